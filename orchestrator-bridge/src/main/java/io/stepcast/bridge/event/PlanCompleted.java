package io.stepcast.bridge.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * {@code plan_completed}: the plan succeeded.
 *
 * @param summary any JSON value kept byte-for-byte in the snapshot, or {@code null}
 */
public record PlanCompleted(JsonNode summary, String eventId, Instant ts) implements PlanEvent {

    public PlanCompleted {
        summary = summary == null || summary.isNull() || summary.isMissingNode() ? null : summary;
        eventId = EventValidator.eventId(eventId);
        ts = EventValidator.ts(ts);
    }

    public PlanCompleted(JsonNode summary) {
        this(summary, null, null);
    }

    @Override
    public String event() {
        return PLAN_COMPLETED;
    }

    @Override
    public ObjectNode data() {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        if (summary != null) {
            data.set("summary", summary);
        }
        return data;
    }

    @Override
    public PlanCompleted withEventId(String id) {
        return new PlanCompleted(summary, id, ts);
    }

    public PlanCompleted withTs(Instant t) {
        return new PlanCompleted(summary, eventId, t);
    }
}
