package io.stepcast.gateway.hub;

/** Why the hub could not serve a subscription. */
public enum HubFailure {
    /** Redis could not be reached or answered with an error. */
    UNAVAILABLE,
    /** The subscriber fell too far behind while its subscription was being prepared. */
    OVERFLOW
}
