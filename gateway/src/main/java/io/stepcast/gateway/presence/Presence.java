package io.stepcast.gateway.presence;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Cluster-wide presence: watchers per plan and open connections, summed over every live gateway.
 *
 * <p>Watchers of a plan are its WebSocket subscriptions, SSE streams and waiting long-polls; a
 * connection is an open WebSocket, SSE stream or waiting long-poll (the per-instance gauges
 * {@code stepcast.connections}, {@code stepcast.sse.streams}, {@code stepcast.longpoll.waiting}).
 *
 * <p>Freshness: each gateway publishes its counts once per {@code stepcast.presence.heartbeat}, so a
 * figure may lag by about one heartbeat; a gateway that stops (crash, kill, network cut) drops out
 * of the sums two to three heartbeats after its last one, a gateway that shuts down gracefully at
 * once. The figures are counts, not a delivery promise: nothing depends on them being exact.
 *
 * <p>Threading: every method returns at once without blocking; the future completes on a Redis I/O
 * thread (do not block there). It fails with {@code RedisUnavailableException} while Redis does
 * not answer; callers answer 503 or leave the figure out.
 */
public interface Presence {

    /** Watchers of one plan over all live gateways (0 when none or unknown). */
    CompletableFuture<Long> watchers(String plan);

    /** Watchers of each of these plans (every plan asked for is in the map, 0 when none). One read. */
    CompletableFuture<Map<String, Long>> watchers(Collection<String> plans);

    /** Open connections over all live gateways. */
    CompletableFuture<Long> connections();

    /** True when the figures span every gateway (presence kept in Redis); false: this instance only. */
    boolean clusterWide();
}
