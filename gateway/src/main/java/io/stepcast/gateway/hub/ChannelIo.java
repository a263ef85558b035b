package io.stepcast.gateway.hub;

import io.stepcast.gateway.redis.PlanBus;
import io.stepcast.gateway.redis.PlanStore;
import java.util.List;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the asynchronous {@link Action}s of a {@link PlanChannel} for {@link DefaultPlanHub}: the
 * plan's Redis subscription and reads, the timers (retry, re-subscription back-off, subscribe
 * deadline) and replay pacing. Each completion asks the channel what follows and hands its answer to
 * {@code done} (the hub's runner), on the thread that completed it (a Redis I/O thread, the hub's
 * timer thread or the subscriber's event loop). Owns the hub's timer. Thread-safe.
 */
final class ChannelIo implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ChannelIo.class);

    private final PlanBus bus;
    private final PlanStore store;
    private final HubConfig config;
    private final BiConsumer<PlanChannel, List<Action>> done;
    private final HubTimer timer = new HubTimer();

    ChannelIo(PlanBus bus, PlanStore store, HubConfig config, BiConsumer<PlanChannel, List<Action>> done) {
        this.bus = bus;
        this.store = store;
        this.config = config;
        this.done = done;
    }

    /** Starts {@code action}; false when it is not one of these (membership actions: the hub's). */
    boolean start(PlanChannel ch, Action action) {
        String plan = ch.planId;
        if (action instanceof Action.Subscribe) {
            bus.subscribe(plan).whenComplete((ok, error) -> {
                if (error != null) {
                    LOG.warn("plan {}: SUBSCRIBE failed: {}", plan, error.toString());
                }
                done.accept(ch, error == null ? ch.onBusSubscribed() : ch.onBusSubscribeFailed());
            });
        } else if (action instanceof Action.Unsubscribe) {
            bus.unsubscribe(plan).whenComplete((ok, error) -> done.accept(ch, ch.onBusUnsubscribed()));
        } else if (action instanceof Action.ReadSnapshot r) {
            store.snapshot(plan)
                    .whenComplete((snapshot, error) -> done.accept(
                            ch,
                            error == null
                                    ? ch.onSnapshot(r.token(), r.forJoiners(), snapshot)
                                    : ch.onReadFailed(r.token(), null, r.forJoiners(), error)));
        } else if (action instanceof Action.ReadLog r) {
            store.readLog(plan, r.after(), config.logPageSize())
                    .whenComplete((page, error) -> done.accept(
                            ch,
                            error == null
                                    ? ch.onLog(r.token(), r.joiner(), page)
                                    : ch.onReadFailed(r.token(), r.joiner(), false, error)));
        } else if (action instanceof Action.Retry r) {
            timer.schedule(() -> done.accept(ch, ch.onRetry()), r.delayMillis());
        } else if (action instanceof Action.Resubscribe r) {
            timer.schedule(() -> done.accept(ch, ch.onResubscribe()), r.delayMillis());
        } else if (action instanceof Action.Deadline d) {
            timer.schedule(
                    () -> done.accept(ch, ch.onDeadline(d.joiner())),
                    config.subscribeTimeout().toMillis());
        } else if (action instanceof Action.AwaitClient a) {
            a.joiner().subscriber.whenReady(() -> done.accept(ch, ch.onClientReady(a.token(), a.joiner())));
        } else {
            return false;
        }
        return true;
    }

    @Override
    public void close() {
        timer.close();
    }
}
