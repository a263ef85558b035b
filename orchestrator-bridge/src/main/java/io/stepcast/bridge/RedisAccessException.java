package io.stepcast.bridge;

/**
 * Redis refused this client for good: its credentials (authentication), its permissions
 * (authorization, an ACL) or the TLS handshake (certificate not trusted, hostname mismatch, client
 * certificate refused). Retrying cannot help until the configuration changes, so the publisher fails
 * the publish with this exception instead of buffering and retrying; the event was NOT published.
 * Transient failures (connection refused or lost, timeouts, {@code LOADING}, cluster redirects) are
 * still retried.
 */
public class RedisAccessException extends BridgeException {

    private static final long serialVersionUID = 1L;

    /** What Redis refused. */
    public enum Kind {
        /** {@code NOAUTH} / {@code WRONGPASS}: missing or wrong user or password in the Redis URI. */
        AUTHENTICATION,
        /** {@code NOPERM}: the ACL user may not run a command or touch a key the bridge needs. */
        AUTHORIZATION,
        /** The TLS handshake failed: CA, server certificate, hostname, or client certificate. */
        TLS
    }

    private final Kind kind;

    public RedisAccessException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
