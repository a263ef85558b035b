package io.stepcast.gateway.hub;

/**
 * A client's resume position: the last seq it has seen of the given epoch.
 *
 * @param epoch the epoch the client last saw (may be null: then only {@code seq == 0} can recover,
 *              meaning "I have seen nothing of a plan that had no events")
 * @param seq   the last seq the client has (0 = none)
 */
public record Cursor(String epoch, long seq) {
    public Cursor {
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be >= 0");
        }
    }
}
