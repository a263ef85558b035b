package io.stepcast.gateway.hub;

/** Why the hub could not serve a subscription. */
public enum HubFailure {
    /**
     * Redis is down (known at subscribe time), could not serve the snapshot or replay, or the
     * subscription did not get live within {@code stepcast.hub.subscribe-timeout}. Retry later.
     */
    UNAVAILABLE,
    /**
     * The subscriber fell too far behind while its subscription was being prepared. Not produced by
     * {@link DefaultPlanHub}, which catches a joining subscriber up from the log instead of buffering
     * for it; kept for other hub implementations.
     */
    OVERFLOW
}
