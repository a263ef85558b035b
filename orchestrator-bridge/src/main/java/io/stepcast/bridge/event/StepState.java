package io.stepcast.bridge.event;

import io.stepcast.bridge.EventValidationException;
import java.util.Locale;

/** Status of one step; on the wire in lower case ({@code running}). */
public enum StepState {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    SKIPPED,
    CANCELLED;

    private final String wire = name().toLowerCase(Locale.ROOT);

    /** The wire form, e.g. {@code succeeded}. */
    public String wire() {
        return wire;
    }

    /** True for succeeded, failed, skipped and cancelled: the step will not run any more. */
    public boolean isTerminal() {
        return this != PENDING && this != RUNNING;
    }

    /** Parses the wire form; throws {@link EventValidationException} on field {@code status}. */
    public static StepState fromWire(String wire) {
        for (StepState s : values()) {
            if (s.wire.equals(wire)) {
                return s;
            }
        }
        throw new EventValidationException(
                "status", "must be one of pending, running, succeeded, failed, skipped, cancelled; was " + wire);
    }

    @Override
    public String toString() {
        return wire;
    }
}
