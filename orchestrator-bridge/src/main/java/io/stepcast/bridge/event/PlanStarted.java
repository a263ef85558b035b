package io.stepcast.bridge.event;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepcast.bridge.EventValidationException;
import java.time.Instant;
import java.util.List;

/**
 * {@code plan_started}: the plan begins (or restarts) with these steps, all pending. Resets the
 * snapshot's steps, summary and error.
 *
 * @param name  the plan's display name
 * @param steps step names, index = position (at most {@link EventValidator#MAX_STEPS})
 */
public record PlanStarted(String name, List<String> steps, String eventId, Instant ts) implements PlanEvent {

    public PlanStarted {
        EventValidator.required(name, "name");
        EventValidator.required(steps, "steps");
        for (int i = 0; i < steps.size(); i++) {
            EventValidator.required(steps.get(i), "steps[" + i + "]");
        }
        steps = List.copyOf(steps);
        if (steps.size() > EventValidator.MAX_STEPS) {
            throw new EventValidationException(
                    "steps", "at most " + EventValidator.MAX_STEPS + " steps, was " + steps.size());
        }
        eventId = EventValidator.eventId(eventId);
        ts = EventValidator.ts(ts);
    }

    public PlanStarted(String name, List<String> steps) {
        this(name, steps, null, null);
    }

    @Override
    public String event() {
        return PLAN_STARTED;
    }

    @Override
    public ObjectNode data() {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("name", name);
        ArrayNode array = data.putArray("steps");
        steps.forEach(array::add);
        return data;
    }

    @Override
    public PlanStarted withEventId(String id) {
        return new PlanStarted(name, steps, id, ts);
    }

    public PlanStarted withTs(Instant t) {
        return new PlanStarted(name, steps, eventId, t);
    }
}
