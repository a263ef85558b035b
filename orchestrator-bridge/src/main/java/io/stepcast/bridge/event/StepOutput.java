package io.stepcast.bridge.event;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * {@code step_output}: a chunk of a step's output (log lines, tokens…). Every chunk is forwarded to
 * clients; the snapshot keeps only a bounded tail per step.
 *
 * @param stepIndex 0-based step index
 * @param chunk     the text, any length up to the data size limit
 */
public record StepOutput(int stepIndex, String chunk, String eventId, Instant ts) implements PlanEvent {

    public StepOutput {
        EventValidator.stepIndex(stepIndex);
        EventValidator.required(chunk, "chunk");
        eventId = EventValidator.eventId(eventId);
        ts = EventValidator.ts(ts);
    }

    public StepOutput(int stepIndex, String chunk) {
        this(stepIndex, chunk, null, null);
    }

    @Override
    public String event() {
        return STEP_OUTPUT;
    }

    @Override
    public ObjectNode data() {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("step_index", stepIndex);
        data.put("chunk", chunk);
        return data;
    }

    @Override
    public StepOutput withEventId(String id) {
        return new StepOutput(stepIndex, chunk, id, ts);
    }

    public StepOutput withTs(Instant t) {
        return new StepOutput(stepIndex, chunk, eventId, t);
    }
}
