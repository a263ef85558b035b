package io.stepcast.bridge;

/**
 * The publisher did not accept an event, or gave up on it: the retry buffer is full (back-pressure:
 * slow down or wait for earlier futures), the publisher is closed, or it closed before the event
 * could be delivered. The event was NOT published unless {@link #mayHaveBeenPublished()} says so
 * (an attempt was in flight when the publisher gave up, so Redis may or may not have applied it; a
 * later publish with the same {@code event_id} resolves the doubt without duplicating).
 */
public class PublishRejectedException extends BridgeException {

    private static final long serialVersionUID = 1L;

    private final boolean mayHaveBeenPublished;

    public PublishRejectedException(String message, boolean mayHaveBeenPublished) {
        super(message);
        this.mayHaveBeenPublished = mayHaveBeenPublished;
    }

    public PublishRejectedException(String message, boolean mayHaveBeenPublished, Throwable cause) {
        super(message, cause);
        this.mayHaveBeenPublished = mayHaveBeenPublished;
    }

    /** True when an attempt had been sent to Redis whose outcome is unknown. */
    public boolean mayHaveBeenPublished() {
        return mayHaveBeenPublished;
    }
}
