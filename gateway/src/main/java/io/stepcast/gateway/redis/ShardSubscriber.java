package io.stepcast.gateway.redis;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sharded pub/sub on a Redis Cluster: one {@code SSUBSCRIBE} on the node connection of the slot's
 * current master, retried with a topology refresh while that fails. Stateless apart from its
 * collaborators; thread-safe, callbacks on Lettuce I/O threads.
 */
final class ShardSubscriber {

    private static final long RETRY_MILLIS = 200;
    /** One SSUBSCRIBE attempt; a node connection that is down queues it, so it is given up after this. */
    private static final long ATTEMPT_MILLIS = 2_000;

    private final RedisConnections connections;
    private final ClientResources resources;

    ShardSubscriber(RedisConnections connections, ClientResources resources) {
        this.connections = connections;
        this.resources = resources;
    }

    /** Best-effort SUNSUBSCRIBE of {@code channel} on {@code previous} when the channel moved to {@code at}. */
    static void leavePrevious(ShardSubscription previous, ShardSubscription at, String channel) {
        if (previous != null
                && previous.connection() != at.connection()
                && previous.connection().isOpen()) {
            previous.connection().async().sunsubscribe(channel); // best effort: the old owner
        }
    }

    /**
     * SSUBSCRIBEs {@code channel} on its slot's current master; retried (topology refreshed) until
     * {@code deadline} ({@link System#nanoTime()}), then failed with {@link RedisUnavailableException}.
     */
    CompletableFuture<ShardSubscription> subscribe(String channel, long deadline) {
        StatefulRedisClusterPubSubConnection<String, byte[]> main =
                (StatefulRedisClusterPubSubConnection<String, byte[]>) connections.pubSubNow();
        RedisClusterNode master = main.getPartitions().getMasterBySlot(SlotHash.getSlot(channel));
        CompletableFuture<ShardSubscription> attempt;
        if (master == null || master.getUri() == null) {
            attempt = CompletableFuture.failedFuture(new RedisUnavailableException("no master known for " + channel));
        } else {
            String host = master.getUri().getHost();
            int port = master.getUri().getPort();
            attempt = main.getConnectionAsync(host, port)
                    .thenCompose(node -> node.async()
                            .ssubscribe(channel)
                            .toCompletableFuture()
                            .thenApply(ok -> new ShardSubscription(host, port, node)))
                    .orTimeout(ATTEMPT_MILLIS, TimeUnit.MILLISECONDS);
        }
        return attempt.exceptionallyCompose(error -> {
            if (System.nanoTime() - deadline > 0) {
                return CompletableFuture.failedFuture(new RedisUnavailableException(
                        "SSUBSCRIBE " + channel + " failed: " + error.getMessage(), error));
            }
            CompletableFuture<ShardSubscription> retry = new CompletableFuture<>();
            connections.refreshPubSubTopology();
            resources
                    .eventExecutorGroup()
                    .schedule(
                            () -> subscribe(channel, deadline).whenComplete((ok, e) -> {
                                if (e != null) {
                                    retry.completeExceptionally(e);
                                } else {
                                    retry.complete(ok);
                                }
                            }),
                            RETRY_MILLIS,
                            TimeUnit.MILLISECONDS);
            return retry;
        });
    }
}
