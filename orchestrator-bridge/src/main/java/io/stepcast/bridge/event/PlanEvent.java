package io.stepcast.bridge.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Set;

/**
 * One event of a plan, as an orchestrator publishes it. The six core events are folded into the
 * plan's snapshot by the publish script; {@link CustomEvent}s are logged and forwarded only.
 *
 * <p>Every event is validated when it is constructed (an {@link io.stepcast.bridge.EventValidationException}
 * names the offending wire field), so an invalid event never reaches a publisher. Each carries an
 * optional {@link #eventId()} (idempotency key: publishing the same id twice in one epoch appends the
 * event once) and a timestamp {@link #ts()} (default: the time of construction; sent with millisecond
 * precision). Records are immutable, except that a {@link CustomEvent}'s {@code ObjectNode} and a
 * {@link PlanCompleted}'s summary are the caller's objects: do not mutate them until
 * {@code publish} has returned (they are serialized synchronously inside {@code publish}).
 */
public sealed interface PlanEvent
        permits PlanStarted, StepStatus, StepOutput, PlanCompleted, PlanFailed, PlanCancelled, CustomEvent {

    String PLAN_STARTED = "plan_started";
    String STEP_STATUS = "step_status";
    String STEP_OUTPUT = "step_output";
    String PLAN_COMPLETED = "plan_completed";
    String PLAN_FAILED = "plan_failed";
    String PLAN_CANCELLED = "plan_cancelled";

    /** Names of the core events; a {@link CustomEvent} may not use them. */
    Set<String> CORE_EVENTS =
            Set.of(PLAN_STARTED, STEP_STATUS, STEP_OUTPUT, PLAN_COMPLETED, PLAN_FAILED, PLAN_CANCELLED);

    /** The wire event name, e.g. {@code step_status}. */
    String event();

    /** The idempotency key, or {@code null} (a publisher then assigns a random one). */
    String eventId();

    /** When the event happened (publisher's clock). */
    Instant ts();

    /** The event's {@code data} object exactly as it goes on the wire (a new tree per call). */
    ObjectNode data();

    /** The same event with another idempotency key ({@code null} = none). */
    PlanEvent withEventId(String eventId);

    /** True for the six core event names. */
    static boolean isCoreEvent(String name) {
        return CORE_EVENTS.contains(name);
    }
}
