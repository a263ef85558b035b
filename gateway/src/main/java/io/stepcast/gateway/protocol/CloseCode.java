package io.stepcast.gateway.protocol;

/**
 * WebSocket close codes used by the gateway.
 *
 * <p>Ranges (RFC 6455 §7.4): 1000–1015 are protocol codes (1000 normal, 1009 message too big,
 * 1011 internal error, 1012 service restart, 1013 try again later); 4000–4099 are Stepcast's own
 * application codes. A client should resume (subscribe with {@code since}+{@code epoch}) after every
 * code except {@link #UNAUTHORIZED} and {@link #FORBIDDEN}, which need new credentials first.
 */
public enum CloseCode {
    /** Normal closure (e.g. the client said goodbye). */
    NORMAL(1000, "normal"),
    /** A single message exceeded the hard frame limit (the gateway cannot skip it safely). */
    MESSAGE_TOO_BIG(1009, "message too big"),
    /** The gateway hit an unexpected fault on this connection. */
    INTERNAL_ERROR(1011, "internal error"),
    /** The instance is draining (shutdown or restart): reconnect, to any instance. */
    SERVICE_RESTART(1012, "draining"),
    /** The instance is at its connection limit: reconnect later or elsewhere. */
    TRY_AGAIN_LATER(1013, "try again later"),
    /** The token is missing, invalid or expired. */
    UNAUTHORIZED(4001, "unauthorized"),
    /** The token does not allow this connection (e.g. origin not allowed). */
    FORBIDDEN(4003, "forbidden"),
    /** The client did not read fast enough: its pending output passed the bound. Resume. */
    SLOW_CONSUMER(4008, "slow consumer"),
    /** The client sent nothing (no pong, no frame) for longer than the heartbeat timeout. */
    HEARTBEAT_TIMEOUT(4009, "heartbeat timeout"),
    /** The client kept sending over its rate limit. */
    RATE_LIMITED(4029, "rate limited");

    private final int code;
    private final String reason;

    CloseCode(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    /** The numeric close code. */
    public int code() {
        return code;
    }

    /** The short reason text sent in the close frame (ASCII, well under 123 bytes). */
    public String reason() {
        return reason;
    }

    /** The constant with this numeric code, or null. */
    public static CloseCode of(int code) {
        for (CloseCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
