package io.stepcast.gateway.ws;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.http.server.HttpServerConfiguration;
import io.stepcast.gateway.config.WsConfig;

import java.time.Duration;

/**
 * Fails start-up when a Netty idle timeout could drop a healthy WebSocket client before the gateway's
 * own heartbeat does: Micronaut closes a WebSocket on any idle event, so
 * {@code micronaut.server.idle-timeout}, {@code read-idle-timeout} and {@code write-idle-timeout}
 * (whole seconds; negative or zero disables) must each exceed {@code stepcast.ws.heartbeat-timeout}.
 */
@Context
final class IdleTimeoutCheck {

    IdleTimeoutCheck(HttpServerConfiguration server, WsConfig ws) {
        Duration timeout = ws.heartbeatTimeout();
        check("micronaut.server.idle-timeout", server.getIdleTimeout(), timeout);
        check("micronaut.server.read-idle-timeout", server.getReadIdleTimeout(), timeout);
        check("micronaut.server.write-idle-timeout", server.getWriteIdleTimeout(), timeout);
    }

    private static void check(String key, Duration idle, Duration heartbeatTimeout) {
        long seconds = idle.getSeconds();
        if (seconds > 0 && Duration.ofSeconds(seconds).compareTo(heartbeatTimeout) <= 0) {
            throw new ConfigurationException(key + " (" + idle + ") must be longer than stepcast.ws.heartbeat-timeout ("
                    + heartbeatTimeout + "), or WebSocket clients are dropped by Netty before the heartbeat can act");
        }
    }
}
