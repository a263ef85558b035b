package io.stepcast.bridge.event;

import io.stepcast.bridge.EventValidationException;
import io.stepcast.bridge.RedisLayout;
import java.time.Instant;
import java.util.regex.Pattern;

/**
 * The validation rules shared by the event records, publishers and ingest endpoints. Every failure is
 * an {@link EventValidationException} naming the wire field. Stateless and thread-safe.
 */
public final class EventValidator {

    /** Event names: core and custom. */
    public static final Pattern EVENT_NAME = Pattern.compile("[a-z][a-z0-9_.:-]{0,63}");
    /** Steps per plan; step indexes are {@code 0 .. MAX_STEPS-1} (the script enforces it too). */
    public static final int MAX_STEPS = 10_000;

    private EventValidator() {}

    /** A plan id per {@link RedisLayout#PLAN_ID}. */
    public static String planId(String planId) {
        if (!RedisLayout.isValidPlanId(planId)) {
            throw new EventValidationException(
                    "plan_id", "must match " + RedisLayout.PLAN_ID.pattern() + ", was " + quote(planId));
        }
        return planId;
    }

    /** A custom event name: matches {@link #EVENT_NAME} and is not a core event name. */
    public static String customEventName(String name) {
        if (name == null || !EVENT_NAME.matcher(name).matches()) {
            throw new EventValidationException("event", "must match " + EVENT_NAME.pattern() + ", was " + quote(name));
        }
        if (PlanEvent.isCoreEvent(name)) {
            throw new EventValidationException(
                    "event", "'" + name + "' is a core event name; use its typed record instead of CustomEvent");
        }
        return name;
    }

    /** An optional idempotency key: null or per {@link RedisLayout#EVENT_ID}. */
    public static String eventId(String eventId) {
        if (eventId != null && !RedisLayout.EVENT_ID.matcher(eventId).matches()) {
            throw new EventValidationException(
                    "event_id", "must be 1-128 printable ASCII characters without spaces, was " + quote(eventId));
        }
        return eventId;
    }

    /** The timestamp, defaulting to now. */
    public static Instant ts(Instant ts) {
        Instant t = ts == null ? Instant.now() : ts;
        if (t.getEpochSecond() < 0 || t.getEpochSecond() > 253_402_300_799L) {
            throw new EventValidationException("ts", "must be between 1970 and 9999, was " + t);
        }
        return t;
    }

    /** A step index in {@code 0 .. MAX_STEPS-1}. */
    public static int stepIndex(int index) {
        if (index < 0 || index >= MAX_STEPS) {
            throw new EventValidationException(
                    "step_index", "must be between 0 and " + (MAX_STEPS - 1) + ", was " + index);
        }
        return index;
    }

    /** A required (non-null) value. */
    public static <T> T required(T value, String field) {
        if (value == null) {
            throw new EventValidationException(field, "is required");
        }
        return value;
    }

    private static String quote(String s) {
        if (s == null) {
            return "null";
        }
        return "'" + (s.length() > 80 ? s.substring(0, 80) + "…" : s) + "'";
    }
}
