package io.stepcast.gateway.ws;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.stepcast.gateway.protocol.ErrorCode;
import io.stepcast.gateway.protocol.ServerFrame;
import io.stepcast.gateway.protocol.ServerFrameEncoder;
import io.stepcast.gateway.web.Admission;
import io.stepcast.gateway.web.ConnectionQuota;

/**
 * Admission before the WebSocket upgrade: when the instance holds {@code stepcast.ws.max-connections}
 * connections, or is draining, or the client already holds its share of connections
 * ({@link ConnectionQuota}: per token subject, per client address), {@code /ws} answers HTTP 503 with
 * {@code Retry-After} and an {@code error unavailable} body, so a load balancer or client retries
 * elsewhere or later. (A race of simultaneous upgrades may overshoot the instance cap by a few; those
 * are closed with 1013 right after opening.)
 *
 * <p>The per-client count starts here, before the upgrade is answered, and ends when the socket
 * closes (or at once when the upgrade is refused), so upgrades still in progress count too. Runs
 * after the security filter, which has authenticated the token (if any) by then.
 */
@ServerFilter(StepcastWebSocket.PATH)
public final class ConnectionCapFilter implements Ordered {

    /** Request attribute holding the upgrade's {@link ConnectionQuota.Lease}. */
    private static final String LEASE = "stepcast.lease";

    private final ConnectionRegistry connections;
    private final DrainState drain;
    private final WsConfig config;
    private final ConnectionQuota quota;

    ConnectionCapFilter(ConnectionRegistry connections, DrainState drain, WsConfig config, ConnectionQuota quota) {
        this.connections = connections;
        this.drain = drain;
        this.config = config;
        this.quota = quota;
    }

    @Override
    public int getOrder() {
        return ServerFilterPhase.SECURITY.after();
    }

    @RequestFilter
    @Nullable
    public HttpResponse<?> admit(HttpRequest<?> request) {
        if (drain.isDraining()) {
            return refused("this instance is draining; connect again (to any instance)", 1);
        }
        if (connections.size() >= config.maxConnections()) {
            return refused("this instance is at its connection limit; connect again later", 1);
        }
        Admission admission = quota.admit(request);
        if (admission instanceof Admission.Refused r) {
            return refused(r.limit().message(), 5);
        }
        ConnectionQuota.Lease lease = ((Admission.Admitted) admission).lease();
        request.setAttribute(LEASE, lease);
        if (request instanceof NettyHttpRequest<?> netty) {
            netty.getChannelHandlerContext().channel().closeFuture().addListener(f -> lease.release());
        } else {
            lease.release(); // not a socket of this server: nothing to hold
        }
        return null;
    }

    /** An upgrade refused after admission (origin, auth, ...) gives its count back at once. */
    @ResponseFilter
    public void answered(HttpRequest<?> request, MutableHttpResponse<?> response) {
        // an accepted upgrade passes here as a success (Micronaut writes the 101 itself afterwards)
        if (response.code() >= HttpStatus.MULTIPLE_CHOICES.getCode()) {
            request.getAttribute(LEASE, ConnectionQuota.Lease.class).ifPresent(ConnectionQuota.Lease::release);
        }
    }

    private static HttpResponse<?> refused(String why, int retryAfterSeconds) {
        byte[] body = ServerFrameEncoder.encode(new ServerFrame.Error(ErrorCode.UNAVAILABLE, why, null));
        return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", Integer.toString(retryAfterSeconds))
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(body);
    }
}
