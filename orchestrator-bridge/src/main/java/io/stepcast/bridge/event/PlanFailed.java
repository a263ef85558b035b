package io.stepcast.bridge.event;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * {@code plan_failed}: the plan failed; steps keep the status they were last given.
 *
 * @param error what went wrong (required)
 */
public record PlanFailed(String error, String eventId, Instant ts) implements PlanEvent {

    public PlanFailed {
        EventValidator.required(error, "error");
        eventId = EventValidator.eventId(eventId);
        ts = EventValidator.ts(ts);
    }

    public PlanFailed(String error) {
        this(error, null, null);
    }

    @Override
    public String event() {
        return PLAN_FAILED;
    }

    @Override
    public ObjectNode data() {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("error", error);
        return data;
    }

    @Override
    public PlanFailed withEventId(String id) {
        return new PlanFailed(error, id, ts);
    }

    public PlanFailed withTs(Instant t) {
        return new PlanFailed(error, eventId, t);
    }
}
