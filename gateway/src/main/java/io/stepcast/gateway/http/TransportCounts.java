package io.stepcast.gateway.http;

import io.stepcast.gateway.hub.PlanHub;
import io.stepcast.gateway.presence.LocalCounts;
import io.stepcast.gateway.ws.ConnectionRegistry;
import jakarta.inject.Singleton;
import java.util.Map;

/**
 * This gateway's contribution to presence, from the transports' own bookkeeping: watchers per plan
 * are the hub's subscriptions (a WebSocket subscription, an SSE stream, a waiting long-poll: each is
 * one hub subscriber of its plan); connections are the sum of the per-instance gauges
 * {@code stepcast.connections} (WebSocket), {@code stepcast.sse.streams} and
 * {@code stepcast.longpoll.waiting}. Thread-safe and non-blocking.
 */
@Singleton
final class TransportCounts implements LocalCounts {

    private final PlanHub hub;
    private final ConnectionRegistry webSockets;
    private final HttpMetrics http;

    TransportCounts(PlanHub hub, ConnectionRegistry webSockets, HttpMetrics http) {
        this.hub = hub;
        this.webSockets = webSockets;
        this.http = http;
    }

    @Override
    public Map<String, Integer> watchersByPlan() {
        return hub.subscriptionsByPlan();
    }

    @Override
    public int connections() {
        return webSockets.size()
                + http.sseStreams().get()
                + http.longPollWaiting().get();
    }
}
