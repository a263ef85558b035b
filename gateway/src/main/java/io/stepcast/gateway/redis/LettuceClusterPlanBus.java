package io.stepcast.gateway.redis;

import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubAdapter;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.stepcast.bridge.RedisLayout;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PlanBus} on a Redis Cluster. On Redis ≥ 7 each plan is {@code SSUBSCRIBE}d on the node
 * connection of its slot's current master (one SSUBSCRIBE per plan, so each future completes with
 * the confirmation of exactly that channel); on a Redis 6.2 cluster plan channels are plain
 * SUBSCRIBEs on the default connection (the cluster bus broadcasts PUBLISH to every node). Session
 * channels are one PSUBSCRIBE on the default connection (the bridge PUBLISHes direct messages,
 * broadcast cluster-wide).
 *
 * <p><b>Reconciliation.</b> Lettuce re-subscribes a node connection after a reconnect to the same
 * node, but does not move a sharded subscription to a slot's new owner after a failover or a slot
 * migration. This bus does, for every plan it holds, through {@link PlanListener#onPlanLost}: the hub
 * SUBSCRIBEs again (routed to the owner at that moment) and repairs the hole from the log; likewise for
 * the index channel through {@link IndexListener#onIndexLost}. Triggers:
 * a {@code sunsubscribe} pushed by a node (Redis unsubscribes shard channels of a slot the node lost),
 * a per-node connection that drops, a topology change (Lettuce's periodic and adaptive refresh), and
 * every {@code reconcile-interval} a check of each plan's owner and of its log head against what was
 * delivered ({@link ClusterReconciler}).
 *
 * <p>Threading: thread-safe; listeners are called on Lettuce I/O threads and must not block.
 */
public final class LettuceClusterPlanBus implements PlanBus, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LettuceClusterPlanBus.class);

    private final RedisConnections connections;
    private final RedisHealth health;
    private final RedisLayout layout;
    private final ShardSubscriber shards;
    private final Duration subscribeDeadline;
    private final ClusterReconciler reconciler;
    /** Plans confirmed on a node connection (sharded mode). */
    final Map<String, ShardSubscription> subscribed = new ConcurrentHashMap<>();

    private final CompletableFuture<Boolean> sharded = new CompletableFuture<>();
    private volatile PlanListener planListener;
    private volatile IndexListener indexListener;
    /** Where the index channel is SSUBSCRIBEd (sharded mode), null before. */
    private volatile ShardSubscription indexAt;

    private final SessionRoute sessions;

    public LettuceClusterPlanBus(
            RedisConnections connections, RedisHealth health, GatewayRedisConfig config, ClientResources resources) {
        this.connections = connections;
        this.health = health;
        this.layout = new RedisLayout(config.prefix());
        this.sessions = new SessionRoute(layout);
        this.shards = new ShardSubscriber(connections, resources);
        this.subscribeDeadline =
                Duration.ofSeconds(Math.max(30, 10 * config.reconcileInterval().toSeconds()));
        this.reconciler = new ClusterReconciler(this, connections, layout, resources, config.reconcileInterval());
        health.addListener((link, up) -> {
            PlanListener listener = planListener;
            if (link == RedisHealth.Link.PUB_SUB && !up && listener != null) {
                listener.onBusDown();
            }
            IndexListener index = indexListener;
            if (link == RedisHealth.Link.PUB_SUB && !up && index != null) {
                index.onIndexLost();
            }
        });
        connections.addPubSubStateListener(new NodeLinkListener());
        connections.pubSub().thenAccept(c -> attach((StatefulRedisClusterPubSubConnection<String, byte[]>) c));
    }

    private void attach(StatefulRedisClusterPubSubConnection<String, byte[]> connection) {
        connection.addListener(new RedisClusterPubSubAdapter<>() {
            @Override
            public void smessage(RedisClusterNode node, String channel, byte[] message) {
                deliver(channel, message);
            }

            @Override
            public void message(RedisClusterNode node, String channel, byte[] message) {
                deliver(channel, message);
            }

            @Override
            public void message(RedisClusterNode node, String pattern, String channel, byte[] message) {
                sessions.deliver(channel, message);
            }

            @Override
            public void sunsubscribed(RedisClusterNode node, String channel, long count) {
                ShardSubscription index = indexAt;
                if (channel.equals(layout.indexChannel()) && index != null && (node == null || index.isOn(node))) {
                    indexLost("the server unsubscribed it (slot moved)");
                    return;
                }
                String plan = layout.planOfChannel(channel);
                ShardSubscription at = plan == null ? null : subscribed.get(plan);
                // our own SUNSUBSCRIBE removed the plan first; anything else is the server's doing
                if (at != null && (node == null || at.isOn(node))) {
                    lost(plan, "the server unsubscribed it (slot moved)");
                }
            }
        });
        // INFO before any subscription (a subscribed connection accepts only pub/sub commands)
        connection.async().info("server").whenComplete((info, error) -> {
            boolean shardedPubSub = error == null && majorVersion(info) >= 7;
            if (error != null) {
                LOG.warn("cannot read the Redis version ({}): plan channels use plain SUBSCRIBE", error.toString());
            }
            LOG.info(
                    "Redis Cluster plan channels: {}",
                    shardedPubSub
                            ? "SSUBSCRIBE per slot owner (sharded pub/sub)"
                            : "SUBSCRIBE (Redis < 7: PUBLISH is broadcast to every node)");
            sharded.complete(shardedPubSub);
            sessions.psubscribe(connection);
        });
        reconciler.start();
    }

    private void deliver(String channel, byte[] message) {
        IndexListener index = indexListener;
        if (index != null && channel.equals(layout.indexChannel())) {
            index.onIndexMessage(message);
            return;
        }
        String plan = layout.planOfChannel(channel);
        PlanListener listener = planListener;
        if (plan != null && listener != null) {
            listener.onPlanMessage(plan, message);
        }
    }

    /** The plan's subscription may have a hole: the hub re-subscribes and repairs it from the log. */
    void lost(String planId, String why) {
        PlanListener listener = planListener;
        if (listener != null && subscribed.containsKey(planId)) {
            LOG.info(
                    "plan {}: sharded subscription lost ({}): re-subscribing on the slot's owner and repairing",
                    planId,
                    why);
            listener.onPlanLost(planId);
        }
    }

    /** Where the index channel is SSUBSCRIBEd now; null before its first subscription or when not sharded. */
    ShardSubscription indexAt() {
        return indexAt;
    }

    PlanListener planListener() {
        return planListener;
    }

    boolean isSharded() {
        return Boolean.TRUE.equals(sharded.getNow(false));
    }

    @Override
    public void setPlanListener(PlanListener listener) {
        this.planListener = listener;
    }

    @Override
    public void listenSessions(String instanceId, SessionListener listener) {
        // before the version check the connection must stay unsubscribed (INFO comes first); the
        // check's callback PSUBSCRIBEs then
        StatefulRedisPubSubConnection<String, byte[]> connection = connections.pubSubNow();
        sessions.listen(instanceId, listener, sharded.isDone() ? connection : null);
    }

    @Override
    public CompletableFuture<Void> subscribe(String planId) {
        StatefulRedisPubSubConnection<String, byte[]> main = connections.pubSubNow();
        if (main == null) {
            return CompletableFuture.failedFuture(
                    new RedisUnavailableException("Redis at " + connections.address() + " is not connected yet"));
        }
        String channel = layout.channel(planId);
        return sharded.thenCompose(shardedPubSub -> shardedPubSub
                ? ssubscribe(planId, channel, System.nanoTime() + subscribeDeadline.toNanos())
                : main.async().subscribe(channel).toCompletableFuture());
    }

    /** SSUBSCRIBE a plan on the slot's current master, replacing (and leaving) its previous owner. */
    private CompletableFuture<Void> ssubscribe(String planId, String channel, long deadline) {
        return shards.subscribe(channel, deadline).thenApply(at -> {
            ShardSubscription previous = subscribed.put(planId, at);
            ShardSubscriber.leavePrevious(previous, at, channel);
            return null;
        });
    }

    @Override
    public void setIndexListener(IndexListener listener) {
        this.indexListener = listener;
    }

    @Override
    public CompletableFuture<Void> subscribeIndex() {
        StatefulRedisPubSubConnection<String, byte[]> main = connections.pubSubNow();
        if (main == null) {
            return CompletableFuture.failedFuture(
                    new RedisUnavailableException("Redis at " + connections.address() + " is not connected yet"));
        }
        String channel = layout.indexChannel();
        return sharded.thenCompose(shardedPubSub -> shardedPubSub
                ? shards.subscribe(channel, System.nanoTime() + subscribeDeadline.toNanos())
                        .thenApply(at -> {
                            ShardSubscription previous = indexAt;
                            indexAt = at;
                            ShardSubscriber.leavePrevious(previous, at, channel);
                            return (Void) null;
                        })
                : main.async().subscribe(channel).toCompletableFuture());
    }

    /** The index subscription may have a hole: its listener re-subscribes and repairs from the index log. */
    void indexLost(String why) {
        IndexListener listener = indexListener;
        if (listener != null && indexAt != null) {
            LOG.info("plan index: sharded subscription lost ({}): re-subscribing and repairing", why);
            listener.onIndexLost();
        }
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String planId) {
        StatefulRedisPubSubConnection<String, byte[]> main = connections.pubSubNow();
        if (main == null) {
            return CompletableFuture.failedFuture(
                    new RedisUnavailableException("Redis at " + connections.address() + " is not connected yet"));
        }
        String channel = layout.channel(planId);
        reconciler.forget(planId);
        if (!isSharded()) {
            return main.async().unsubscribe(channel).toCompletableFuture();
        }
        ShardSubscription at = subscribed.remove(planId);
        if (at == null || !at.connection().isOpen()) {
            return CompletableFuture.completedFuture(null);
        }
        return at.connection()
                .async()
                .sunsubscribe(channel)
                .toCompletableFuture()
                .exceptionally(error -> null); // a node that went away holds no subscription any more
    }

    @Override
    public boolean isUp() {
        return health.isUp(RedisHealth.Link.PUB_SUB);
    }

    @Override
    public void close() {
        reconciler.close();
    }

    static int majorVersion(String info) {
        for (String line : info == null ? new String[0] : info.split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                String v = line.substring("redis_version:".length()).trim();
                try {
                    return Integer.parseInt(v.contains(".") ? v.substring(0, v.indexOf('.')) : v);
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /** A per-node connection that drops may have lost messages of every plan it carried. */
    private final class NodeLinkListener implements RedisConnectionStateListener {
        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            ShardSubscription index = indexAt;
            if (index != null && index.connection() == connection) {
                indexLost("its node connection dropped");
            }
            subscribed.forEach((plan, at) -> {
                if (at.connection() == connection) {
                    lost(plan, "its node connection dropped");
                }
            });
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
            // Lettuce re-subscribes the node's channels itself; the reconciler checks the owners
        }
    }
}
