package io.stepcast.bridge;

/**
 * An event, its plan id or a configuration value is invalid. Nothing was sent to Redis.
 * {@link #field()} names the offending wire field (e.g. {@code plan_id}, {@code step_index},
 * {@code data}); the message says what was expected.
 */
public class EventValidationException extends BridgeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public EventValidationException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    /** The wire name of the invalid field, e.g. {@code step_index}. */
    public String field() {
        return field;
    }
}
