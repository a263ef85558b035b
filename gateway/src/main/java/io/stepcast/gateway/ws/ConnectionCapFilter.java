package io.stepcast.gateway.ws;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.stepcast.gateway.protocol.ErrorCode;
import io.stepcast.gateway.protocol.ServerFrame;
import io.stepcast.gateway.protocol.ServerFrameEncoder;

/**
 * Admission before the WebSocket upgrade: when the instance holds {@code stepcast.ws.max-connections}
 * connections, or is draining, {@code /ws} answers HTTP 503 with {@code Retry-After} and an
 * {@code error unavailable} body, so a load balancer or client retries elsewhere. (A race of
 * simultaneous upgrades may overshoot by a few; those are closed with 1013 right after opening.)
 */
@ServerFilter("/ws")
public final class ConnectionCapFilter {

    private final ConnectionRegistry connections;
    private final DrainState drain;
    private final WsConfig config;

    ConnectionCapFilter(ConnectionRegistry connections, DrainState drain, WsConfig config) {
        this.connections = connections;
        this.drain = drain;
        this.config = config;
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> admit(HttpRequest<?> request) {
        String why;
        if (drain.isDraining()) {
            why = "this instance is draining; connect again (to any instance)";
        } else if (connections.size() >= config.maxConnections()) {
            why = "this instance is at its connection limit; connect again later";
        } else {
            return null;
        }
        byte[] body = ServerFrameEncoder.encode(new ServerFrame.Error(ErrorCode.UNAVAILABLE, why, null));
        return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "1")
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(body);
    }
}
