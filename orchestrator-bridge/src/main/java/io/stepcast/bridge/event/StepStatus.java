package io.stepcast.bridge.event;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * {@code step_status}: step {@code stepIndex} changed status. An index beyond the known steps extends
 * the snapshot's step list.
 *
 * @param stepIndex 0-based step index
 * @param stepName  the step's name, or {@code null} to keep the name the snapshot already has
 * @param status    the new status
 * @param error     optional error text (typically with {@link StepState#FAILED})
 */
public record StepStatus(int stepIndex, String stepName, StepState status, String error, String eventId, Instant ts)
        implements PlanEvent {

    public StepStatus {
        EventValidator.stepIndex(stepIndex);
        EventValidator.required(status, "status");
        eventId = EventValidator.eventId(eventId);
        ts = EventValidator.ts(ts);
    }

    public StepStatus(int stepIndex, String stepName, StepState status) {
        this(stepIndex, stepName, status, null, null, null);
    }

    public StepStatus(int stepIndex, String stepName, StepState status, String error) {
        this(stepIndex, stepName, status, error, null, null);
    }

    @Override
    public String event() {
        return STEP_STATUS;
    }

    @Override
    public ObjectNode data() {
        ObjectNode data = JsonNodeFactory.instance.objectNode();
        data.put("step_index", stepIndex);
        if (stepName != null) {
            data.put("step_name", stepName);
        }
        data.put("status", status.wire());
        if (error != null) {
            data.put("error", error);
        }
        return data;
    }

    @Override
    public StepStatus withEventId(String id) {
        return new StepStatus(stepIndex, stepName, status, error, id, ts);
    }

    public StepStatus withTs(Instant t) {
        return new StepStatus(stepIndex, stepName, status, error, eventId, t);
    }
}
