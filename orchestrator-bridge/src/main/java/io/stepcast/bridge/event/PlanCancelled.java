package io.stepcast.bridge.event;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * {@code plan_cancelled}: the plan was cancelled; steps still pending or running become cancelled.
 *
 * @param reason optional human-readable reason
 */
public record PlanCancelled(String reason, String eventId, Instant ts) implements PlanEvent {

    public PlanCancelled {
        eventId = EventValidator.eventId(eventId);
        ts = EventValidator.ts(ts);
    }

    public PlanCancelled(String reason) {
        this(reason, null, null);
    }

    @Override
    public String event() {
        return PLAN_CANCELLED;
    }

    @Override
    public ObjectNode data() {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        if (reason != null) {
            data.put("reason", reason);
        }
        return data;
    }

    @Override
    public PlanCancelled withEventId(String id) {
        return new PlanCancelled(reason, id, ts);
    }

    public PlanCancelled withTs(Instant t) {
        return new PlanCancelled(reason, eventId, t);
    }
}
