package io.stepcast.gateway.web;

/** Which per-client connection limit refused a connection ({@link ConnectionQuota}). */
public enum ConnectionLimit {
    /** {@code stepcast.limits.connections-per-subject}. */
    SUBJECT("too many connections for this token's subject on this instance; close some or connect again later"),
    /** {@code stepcast.limits.connections-per-address}. */
    ADDRESS("too many connections from this client address on this instance; close some or connect again later");

    private final String message;

    ConnectionLimit(String message) {
        this.message = message;
    }

    /** The message of the {@code error unavailable} the client gets. */
    public String message() {
        return message;
    }
}
