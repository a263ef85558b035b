package io.stepcast.gateway.web;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The {@code stepcast.handshake} block.
 *
 * @param timeout how long a new HTTP/1.1 connection may take to deliver its first complete request
 *                head (request line and headers: a WebSocket upgrade, a poll, …), and a WebSocket
 *                upgrade until it is answered (the session is open); the connection is closed when
 *                it has not by then. Defends against connections that never send a
 *                request or trickle their headers (slowloris). Zero or negative switches it off.
 *                Default 10 s.
 */
@ConfigurationProperties("stepcast.handshake")
public record HandshakeConfig(
        @Bindable(defaultValue = "10s") Duration timeout) {

    public HandshakeConfig {
        if (timeout == null) {
            timeout = Duration.ofSeconds(10);
        }
    }

    /** True when the timeout is active. */
    public boolean enabled() {
        return !timeout.isZero() && !timeout.isNegative();
    }
}
