package io.stepcast.gateway.redis;

import io.lettuce.core.KeyValue;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.stepcast.bridge.RedisLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * The {@link LettuceClusterPlanBus}'s own check of its sharded subscriptions, so that none stays on a
 * node that no longer owns its slot and no hole stays unnoticed:
 * <ul>
 *   <li>on every topology change Lettuce reports, and every interval: each plan's subscription, and the
 *       plan index's, must be on the current master of its slot, over an open connection;</li>
 *   <li>every interval: the log head of each subscribed plan read one interval ago must have been
 *       delivered by now (same epoch, seq reached). A head that ran ahead means frames were published
 *       and never arrived (e.g. a subscription silently dropped): the plan is repaired.</li>
 * </ul>
 * A failed check reports {@link LettuceClusterPlanBus#lost} (the index: {@link
 * LettuceClusterPlanBus#indexLost}); nothing here touches clients.
 *
 * <p>Threading: runs on a Lettuce event executor; never blocks (head reads are asynchronous, one
 * audit at a time).
 */
final class ClusterReconciler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterReconciler.class);

    private final LettuceClusterPlanBus bus;
    private final RedisConnections connections;
    private final RedisLayout layout;
    private final ClientResources resources;
    private final Duration interval;
    /** Each subscribed plan's log head as read at the previous audit. */
    private final Map<String, PlanBus.LivePosition> heads = new ConcurrentHashMap<>();

    private final AtomicBoolean auditing = new AtomicBoolean();
    private ScheduledFuture<?> task;
    private Disposable topologyEvents;

    ClusterReconciler(
            LettuceClusterPlanBus bus,
            RedisConnections connections,
            RedisLayout layout,
            ClientResources resources,
            Duration interval) {
        this.bus = bus;
        this.connections = connections;
        this.layout = layout;
        this.resources = resources;
        this.interval = interval;
    }

    synchronized void start() {
        if (task != null) {
            return;
        }
        task = resources
                .eventExecutorGroup()
                .scheduleAtFixedRate(this::tick, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        topologyEvents = resources
                .eventBus()
                .get()
                .filter(ClusterTopologyChangedEvent.class::isInstance)
                .subscribe(event -> checkOwners());
    }

    /** The plan was unsubscribed: its head is no longer audited. */
    void forget(String planId) {
        heads.remove(planId);
    }

    private void tick() {
        try {
            checkOwners();
            auditHeads();
        } catch (RuntimeException e) {
            LOG.warn("cluster subscription check failed (next one in {})", interval, e);
        }
    }

    /** Every subscription (each plan's and the index's) on the current master of its slot, over an open connection. */
    void checkOwners() {
        if (!bus.isSharded()
                || !(connections.pubSubNow() instanceof StatefulRedisClusterPubSubConnection<String, byte[]> main)) {
            return;
        }
        Partitions partitions = main.getPartitions();
        bus.subscribed.forEach(
                (plan, at) -> checkOwner(partitions, layout.channel(plan), at, why -> bus.lost(plan, why)));
        ShardSubscription index = bus.indexAt();
        if (index != null) {
            checkOwner(partitions, layout.indexChannel(), index, bus::indexLost);
        }
    }

    /** Reports {@code lost} when {@code at} is not on the slot's current master or its connection is down. */
    private static void checkOwner(Partitions partitions, String channel, ShardSubscription at, Consumer<String> lost) {
        RedisClusterNode owner = partitions.getMasterBySlot(SlotHash.getSlot(channel));
        if (owner == null) {
            return; // no master known (a failover in progress): the next check decides
        }
        if (!at.isOn(owner)) {
            lost.accept("the slot's master is now " + owner.getUri().getHost() + ":"
                    + owner.getUri().getPort());
        } else if (!at.connection().isOpen()) {
            lost.accept("its node connection is down");
        }
    }

    /** Heads read one interval ago must have been delivered; then reads the heads again. */
    private void auditHeads() {
        PlanBus.PlanListener listener = bus.planListener();
        if (listener == null || !bus.isSharded() || !auditing.compareAndSet(false, true)) {
            return;
        }
        List<CompletableFuture<?>> reads = new ArrayList<>();
        try {
            var commands = connections.commands();
            for (String plan : bus.subscribed.keySet()) {
                PlanBus.LivePosition head = heads.get(plan);
                PlanBus.LivePosition delivered = listener.livePosition(plan);
                if (head != null && delivered != null && behind(delivered, head)) {
                    heads.remove(plan);
                    bus.lost(
                            plan,
                            "log head " + head.epoch() + "/" + head.seq() + " was not delivered (delivered "
                                    + delivered.epoch() + "/" + delivered.seq() + ")");
                    continue;
                }
                reads.add(commands.hmget(layout.metaKey(plan), "epoch", "seq")
                        .toCompletableFuture()
                        .thenAccept(values -> remember(plan, values)));
            }
        } catch (RedisUnavailableException e) {
            // not connected: nothing to audit now
        } finally {
            CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                    .orTimeout(interval.toMillis(), TimeUnit.MILLISECONDS)
                    .whenComplete((ok, error) -> auditing.set(false));
        }
    }

    private void remember(String plan, List<KeyValue<String, byte[]>> values) {
        if (!bus.subscribed.containsKey(plan)) {
            return;
        }
        String epoch = text(values.get(0));
        String seq = text(values.get(1));
        if (epoch == null || seq == null) {
            heads.remove(plan);
        } else {
            heads.put(plan, new PlanBus.LivePosition(epoch, Long.parseLong(seq)));
        }
    }

    /** True when {@code head} (read earlier) has frames the live stream has not delivered. */
    static boolean behind(PlanBus.LivePosition delivered, PlanBus.LivePosition head) {
        return head.seq() > 0 && (!head.epoch().equals(delivered.epoch()) || delivered.seq() < head.seq());
    }

    private static String text(KeyValue<String, byte[]> value) {
        return value.hasValue() ? new String(value.getValue(), StandardCharsets.UTF_8) : null;
    }

    @Override
    public synchronized void close() {
        if (task != null) {
            task.cancel(false);
        }
        if (topologyEvents != null) {
            topologyEvents.dispose();
        }
    }
}
