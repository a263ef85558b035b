package io.stepcast.gateway.ws;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * The WebSocket endpoint's settings, block {@code stepcast.ws} (docs/configuration.md).
 *
 * @param compression       negotiate permessage-deflate when a client offers it
 * @param heartbeat         interval of server WebSocket pings
 * @param heartbeatTimeout  a connection silent (no pong, no message) for longer is closed 4009
 * @param maxFrameBytes     largest client message accepted; larger ones (up to the hard limit
 *                          {@link #HARD_FRAME_BYTES}) get {@code error frame_too_large}
 * @param maxArgsBytes      largest {@code command.args} object
 * @param maxSubscriptions  subscriptions per connection
 * @param maxConnections    WebSocket connections per instance; further upgrades get HTTP 503
 * @param closeTimeout      a closing connection whose pending output made no progress for this long
 *                          is dropped without waiting for its close frame; one that keeps reading gets
 *                          at most {@code heartbeatTimeout} to reach it
 * @param maxPendingBytes   output held for one connection beyond its socket's write buffer (the
 *                          Netty high watermark); past it the connection is closed as a slow consumer
 *                          (4008). Leaves room for several maximum-size events
 * @param maxPendingTime    a connection whose held output has been waiting for longer than this is
 *                          closed as a slow consumer (4008): it does not keep up
 * @param drainWindow       on shutdown, connections are closed (1012) spread over this window
 * @param reconnectAfterMax the {@code after_ms} of a drain's {@code reconnect} frame is drawn
 *                          uniformly from 0 up to this
 */
@ConfigurationProperties("stepcast.ws")
public record WsConfig(
        @Bindable(defaultValue = "false") boolean compression,
        @NotNull @Bindable(defaultValue = "25s") Duration heartbeat,
        @NotNull @Bindable(defaultValue = "60s") Duration heartbeatTimeout,

        @Min(256) @Max(HARD_FRAME_BYTES) @Bindable(defaultValue = "65536")
        int maxFrameBytes,

        @Min(2) @Bindable(defaultValue = "16384") int maxArgsBytes,

        @Min(1) @Max(100_000) @Bindable(defaultValue = "128")
        int maxSubscriptions,

        @Min(1) @Bindable(defaultValue = "10000") int maxConnections,
        @NotNull @Bindable(defaultValue = "5s") Duration closeTimeout,

        @Min(MIN_PENDING_BYTES) @Bindable(defaultValue = "8388608")
        long maxPendingBytes,

        @NotNull @Bindable(defaultValue = "10s") Duration maxPendingTime,
        @NotNull @Bindable(defaultValue = "10s") Duration drainWindow,
        @NotNull @Bindable(defaultValue = "2s") Duration reconnectAfterMax) {

    /**
     * Netty's limit for one WebSocket frame and for a reassembled fragmented message. Beyond it the
     * message cannot be skipped safely and the connection is closed with 1009.
     */
    public static final int HARD_FRAME_BYTES = 1024 * 1024;

    /** Smallest {@code max-pending-bytes}: two maximum-size events (1 MiB of data each) and their headers. */
    public static final long MIN_PENDING_BYTES = 2L * 1024 * 1024 + 4096;

    public WsConfig {
        if (heartbeat != null && heartbeatTimeout != null) {
            requirePositive("stepcast.ws.heartbeat", heartbeat);
            if (heartbeatTimeout.compareTo(heartbeat) <= 0) {
                throw new ConfigurationException("stepcast.ws.heartbeat-timeout (" + heartbeatTimeout
                        + ") must be longer than stepcast.ws.heartbeat (" + heartbeat + ")");
            }
        }
        if (maxArgsBytes > maxFrameBytes) {
            throw new ConfigurationException("stepcast.ws.max-args-bytes (" + maxArgsBytes
                    + ") must not exceed stepcast.ws.max-frame-bytes (" + maxFrameBytes + ")");
        }
        if (closeTimeout != null) {
            requirePositive("stepcast.ws.close-timeout", closeTimeout);
        }
        if (maxPendingTime != null) {
            requirePositive("stepcast.ws.max-pending-time", maxPendingTime);
        }
        if (drainWindow != null && drainWindow.isNegative()) {
            throw new ConfigurationException("stepcast.ws.drain-window must not be negative");
        }
        if (reconnectAfterMax != null && reconnectAfterMax.isNegative()) {
            throw new ConfigurationException("stepcast.ws.reconnect-after-max must not be negative");
        }
    }

    private static void requirePositive(String key, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new ConfigurationException(key + " must be positive, was " + d);
        }
    }
}
