package io.stepcast.gateway.hub;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.stepcast.gateway.protocol.Cursor;
import io.stepcast.gateway.redis.PlanBus;
import io.stepcast.gateway.redis.PlanStore;
import io.stepcast.gateway.redis.RedisHealth;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance's {@link PlanHub} over the Redis seams: one {@link PlanChannel} per watched plan, one
 * Redis channel subscription per plan on the single pub/sub connection ({@link PlanBus}), reads from
 * the plan's keys ({@link PlanStore}).
 *
 * <p><b>Delivery.</b> Per plan and subscriber: {@code onSubscribed}, then a snapshot or the replay
 * of the missed events, then live events, each exactly once and in seq order. Live holes are repaired
 * from the log for all local subscribers at once; after a pub/sub reconnect every plan re-confirms its
 * subscription and catches up from the log; an epoch change (or a log that no longer covers the
 * hole) restarts every subscriber of the plan with {@code onSubscribed(recovered=false)} and a fresh
 * snapshot.
 *
 * <p><b>Redis down.</b> A subscribe while Redis is known to be down fails at once with
 * {@link HubFailure#UNAVAILABLE} (on the caller's thread, before {@code subscribe} returns); one that
 * cannot get live within {@code stepcast.hub.subscribe-timeout} fails the same way. Live
 * subscribers stay subscribed across an outage, however long: a re-subscription that fails (Redis
 * away for longer than the command timeout) is retried with back-off until Redis answers, and they
 * are caught up from the log when it does. They see a delay, not a failure.
 *
 * <p><b>Threading.</b> Every method returns without blocking. Callbacks run on Redis I/O threads
 * (and the hub's timer thread) while the plan's lock is held: they must not block and must not call
 * the hub. Subscribers are compared by identity. The frames of a plan are wrapped once and the same
 * {@link SharedFrame} is handed to every subscriber.
 *
 * <p><b>Memory.</b> No per-subscriber buffers: a joining subscriber catches up from Redis until it
 * reaches the plan's live position. Per plan, frames arriving during a repair are held up to
 * {@code stepcast.hub.hold-max-frames}/{@code -bytes}; past that they are re-read from the log.
 */
@Singleton
public final class DefaultPlanHub implements PlanHub, PlanBus.PlanListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultPlanHub.class);

    private final RedisHealth health;
    private final HubConfig config;
    private final HubMetrics metrics;
    /** Plans with at least one local subscriber (or an UNSUBSCRIBE in flight). */
    private final ConcurrentHashMap<String, PlanChannel> plans = new ConcurrentHashMap<>();
    /** Each subscriber's plans; lock order: a subscriber's Memberships, then a PlanChannel. */
    private final ConcurrentHashMap<Subscriber, Memberships> members = new ConcurrentHashMap<>();

    private final SubscriptionCounts counts;
    private final ChannelIo io;
    private final AtomicInteger malformed = new AtomicInteger();
    private volatile boolean closed;

    public DefaultPlanHub(PlanBus bus, PlanStore store, RedisHealth health, HubConfig config, MeterRegistry registry) {
        this.health = health;
        this.config = config;
        this.metrics = new HubMetrics(registry);
        this.counts = new SubscriptionCounts(registry);
        this.io = new ChannelIo(bus, store, config, this::run);
        Gauge.builder("stepcast.redis.channels", plans, ConcurrentHashMap::size)
                .description("Plan channels this instance subscribes to in Redis")
                .register(registry);
        bus.setPlanListener(this);
    }

    @Override
    public void subscribe(Subscriber subscriber, String planId, Cursor cursor) {
        if (!health.isUp()) {
            subscriber.onFailed(planId, HubFailure.UNAVAILABLE);
            return;
        }
        while (true) {
            Memberships m = members.computeIfAbsent(subscriber, s -> new Memberships());
            PlanChannel channel;
            List<Action> actions;
            synchronized (m) {
                if (m.closed) {
                    continue; // raced with unsubscribeAll: start with a fresh record
                }
                do {
                    channel = plans.computeIfAbsent(planId, id -> new PlanChannel(id, config, metrics, this::retired));
                    actions = channel.join(subscriber, cursor);
                } while (actions == null);
                if (m.plans.add(planId)) {
                    counts.add(planId, 1);
                }
            }
            run(channel, actions);
            return;
        }
    }

    @Override
    public void unsubscribe(Subscriber subscriber, String planId) {
        Memberships m = members.get(subscriber);
        if (m == null) {
            return;
        }
        PlanChannel channel;
        List<Action> actions;
        synchronized (m) {
            if (m.closed || !m.plans.remove(planId)) {
                return;
            }
            counts.add(planId, -1);
            closeIfEmpty(subscriber, m);
            channel = plans.get(planId);
            actions = channel == null ? List.of() : channel.leave(subscriber);
        }
        run(channel, actions);
    }

    @Override
    public void unsubscribeAll(Subscriber subscriber) {
        leaveAll(subscriber);
    }

    /** Removes the subscriber everywhere; returns the plans it had. */
    private Set<String> leaveAll(Subscriber subscriber) {
        Memberships m = members.remove(subscriber);
        if (m == null) {
            return Set.of();
        }
        List<PlanChannel> channels = new ArrayList<>();
        List<List<Action>> effects = new ArrayList<>();
        Set<String> had;
        synchronized (m) {
            m.closed = true;
            had = new HashSet<>(m.plans);
            m.plans.clear();
            for (String planId : had) {
                counts.add(planId, -1);
                PlanChannel channel = plans.get(planId);
                if (channel != null) {
                    channels.add(channel);
                    effects.add(channel.leave(subscriber));
                }
            }
        }
        for (int i = 0; i < channels.size(); i++) {
            run(channels.get(i), effects.get(i));
        }
        return had;
    }

    @Override
    public int activePlans() {
        return plans.size();
    }

    @Override
    public int activeSubscriptions() {
        return counts.total();
    }

    @Override
    public Map<String, Integer> subscriptionsByPlan() {
        return counts.byPlan();
    }

    // ------------------------------------------------------------------ bus events

    @Override
    public void onPlanMessage(String planId, byte[] bytes) {
        PlanChannel channel = plans.get(planId);
        if (channel == null) {
            return; // a message that was in flight when the plan was unsubscribed
        }
        SharedFrame frame = Frames.ofChannel(planId, bytes, malformed);
        if (frame != null) {
            run(channel, channel.onFrame(frame));
        }
    }

    @Override
    public void onBusDown() {
        for (PlanChannel channel : plans.values()) {
            run(channel, channel.onBusDown());
        }
    }

    @Override
    public void onPlanLost(String planId) {
        PlanChannel channel = plans.get(planId);
        if (channel != null) {
            run(channel, channel.onBusDown());
        }
    }

    @Override
    public PlanBus.LivePosition livePosition(String planId) {
        PlanChannel channel = plans.get(planId);
        return channel == null ? null : channel.livePosition();
    }

    // ------------------------------------------------------------------ running a channel's actions

    private void run(PlanChannel channel, List<Action> actions) {
        if (closed || actions.isEmpty()) {
            return; // shutting down (connections are closing), or nothing to do: no iterator per frame
        }
        for (Action action : actions) {
            try {
                execute(channel, action);
            } catch (RuntimeException e) {
                LOG.error("plan {}: {} failed", channel.planId, action, e);
            }
        }
    }

    private void execute(PlanChannel ch, Action action) {
        String plan = ch.planId;
        if (io.start(ch, action)) {
            return;
        }
        if (action instanceof Action.Fail f) {
            forget(f.subscriber(), ch);
            f.subscriber().onFailed(plan, f.failure());
        } else if (action instanceof Action.Drop d) {
            Set<String> had = leaveAll(d.subscriber());
            d.subscriber().onDropped(plan);
            for (String other : had) {
                if (!other.equals(plan)) {
                    d.subscriber().onDropped(other);
                }
            }
        }
    }

    /** The channel removed the subscriber by itself: drop the membership unless it re-joined meanwhile. */
    private void forget(Subscriber subscriber, PlanChannel channel) {
        Memberships m = members.get(subscriber);
        if (m == null) {
            return;
        }
        synchronized (m) {
            PlanChannel current = plans.get(channel.planId);
            if (m.closed || (current != null && current.contains(subscriber))) {
                return;
            }
            if (m.plans.remove(channel.planId)) {
                counts.add(channel.planId, -1);
                closeIfEmpty(subscriber, m);
            }
        }
    }

    private void closeIfEmpty(Subscriber subscriber, Memberships m) {
        if (m.plans.isEmpty()) {
            m.closed = true;
            members.remove(subscriber, m);
        }
    }

    /** Called by a channel, under its lock, when it is done: it leaves the map. */
    private void retired(PlanChannel channel) {
        plans.remove(channel.planId, channel);
    }

    @PreDestroy
    @Override
    public void close() {
        closed = true;
        io.close();
    }
}
