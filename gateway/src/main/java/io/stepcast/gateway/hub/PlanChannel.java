package io.stepcast.gateway.hub;

import io.stepcast.gateway.protocol.Cursor;
import io.stepcast.gateway.redis.LogPage;
import io.stepcast.gateway.redis.PlanBus;
import io.stepcast.gateway.redis.PlanSnapshot;
import java.util.List;
import java.util.function.Consumer;

/**
 * One plan on this instance: the Redis subscription of its channel, its local subscribers (live
 * ones in a {@link LiveSet}, joining ones in its {@link Joiners}) and its {@link PlanStream}.
 *
 * <p><b>Lock.</b> Every entry point is {@code synchronized} on this object: the one lock of a plan,
 * which also guards the {@link LiveSet}, the {@link PlanStream} and the {@link Joiners}. No method does I/O:
 * each returns the {@link Action}s to start, which the hub runs after the lock is released;
 * completions come back through the {@code on*} methods, stale ones recognised by their token.
 * Subscriber callbacks ({@code onSubscribed}, {@code onSnapshot}, {@code onEvent}) are made under the
 * lock, which orders them per plan; {@code onFailed}/{@code onDropped} are actions.
 */
final class PlanChannel implements PlanStream.Owner {

    /**
     * The Redis subscription. {@code RETRYING}: a re-subscription failed while Redis was away; the
     * live subscribers are kept and SUBSCRIBE is sent again after a back-off (nothing in flight).
     */
    enum Bus {
        IDLE,
        SUBSCRIBING,
        SUBSCRIBED,
        UNSUBSCRIBING,
        RETRYING
    }

    /** Longest wait between two re-subscription attempts. */
    static final long MAX_RESUBSCRIBE_DELAY_MS = 2_000;

    final String planId;
    private final HubMetrics metrics;
    private final Consumer<PlanChannel> onRetired;

    // ---- everything below is guarded by this ----

    /** Redis subscription. A SUBSCRIBE/UNSUBSCRIBE is in flight iff SUBSCRIBING/UNSUBSCRIBING: never two. */
    private Bus bus = Bus.IDLE;
    /** Failed re-subscriptions in a row (back-off); reset when one succeeds. */
    private int resubscribeFailures;
    /** Set once, when the channel left the hub's map: a retired channel takes no subscriber. */
    private boolean retired;
    /** Subscribers receiving the stream. Disjoint from {@link #joiners}. */
    private final LiveSet live;

    private final PlanStream stream;
    /** Subscribers catching up. */
    private final Joiners joiners;

    PlanChannel(String planId, HubConfig config, HubMetrics metrics, Consumer<PlanChannel> onRetired) {
        this.planId = planId;
        this.metrics = metrics;
        this.onRetired = onRetired;
        this.live = new LiveSet(planId);
        this.stream = new PlanStream(planId, config, metrics, live, this);
        this.joiners = new Joiners(planId, metrics, live, stream);
    }

    // ------------------------------------------------------------------ membership

    /** Starts (or restarts) a subscription; null when this channel is retired (use a fresh one). */
    synchronized List<Action> join(Subscriber subscriber, Cursor cursor) {
        if (retired) {
            return null;
        }
        Effects out = new Effects();
        removeMember(subscriber);
        Joiner joiner = joiners.add(subscriber, cursor);
        out.add(new Action.Deadline(joiner));
        if (bus == Bus.IDLE) {
            bus = Bus.SUBSCRIBING;
            out.add(Action.SUBSCRIBE);
        } else {
            joiners.startIfAnchored(joiner, out); // else: served when the stream is anchored
        }
        return out.list();
    }

    /** Ends a subscription; no callback for it follows once this returns. */
    synchronized List<Action> leave(Subscriber subscriber) {
        if (!removeMember(subscriber)) {
            return List.of();
        }
        Effects out = new Effects();
        unsubscribeIfUnwanted(out);
        return out.list();
    }

    synchronized boolean contains(Subscriber subscriber) {
        return joiners.contains(subscriber) || live.contains(subscriber);
    }

    synchronized int size() {
        return live.size() + joiners.size();
    }

    synchronized PlanStream.Mode mode() {
        return stream.mode();
    }

    synchronized Bus bus() {
        return bus;
    }

    /** The subscriber did not get live within the subscribe timeout. */
    synchronized List<Action> onDeadline(Joiner joiner) {
        Effects out = new Effects();
        if (joiners.onDeadline(joiner, out)) {
            unsubscribeIfUnwanted(out);
        }
        return out.list();
    }

    // ------------------------------------------------------------------ Redis subscription

    synchronized List<Action> onBusSubscribed() {
        Effects out = new Effects();
        bus = Bus.SUBSCRIBED;
        resubscribeFailures = 0;
        if (wanted()) {
            stream.subscribed(out);
        } else {
            unsubscribeIfUnwanted(out);
        }
        return out.list();
    }

    /**
     * SUBSCRIBE failed. With live subscribers it was a re-subscription after the pub/sub connection
     * dropped (Redis away for longer than the command timeout): they stay subscribed and it is tried
     * again, with back-off, until Redis answers; then the stream catches up from the log. Without
     * (never connected, or shut down) nobody can be served: the joiners fail.
     */
    synchronized List<Action> onBusSubscribeFailed() {
        Effects out = new Effects();
        if (live.size() > 0 && !retired) {
            bus = Bus.RETRYING;
            metrics.resubscribeFailed();
            long delay = Math.min(MAX_RESUBSCRIBE_DELAY_MS, 100L << Math.min(resubscribeFailures++, 5));
            out.add(new Action.Resubscribe(delay));
            return out.list();
        }
        bus = Bus.IDLE;
        for (LiveSet.Attached a : live.members()) {
            out.add(new Action.Fail(a.subscriber(), HubFailure.UNAVAILABLE));
        }
        for (Joiner j : joiners.clear()) {
            out.add(new Action.Fail(j.subscriber, HubFailure.UNAVAILABLE));
        }
        live.clear();
        stream.reset();
        retire();
        return out.list();
    }

    synchronized List<Action> onBusUnsubscribed() {
        bus = Bus.IDLE;
        if (wanted()) {
            bus = Bus.SUBSCRIBING;
            return List.of(Action.SUBSCRIBE);
        }
        retire();
        return List.of();
    }

    /** The delivered position while the stream is live, else null. */
    synchronized PlanBus.LivePosition livePosition() {
        return stream.livePosition();
    }

    /** The back-off after a failed re-subscription is over: SUBSCRIBE again if still wanted. */
    synchronized List<Action> onResubscribe() {
        if (bus != Bus.RETRYING) {
            return List.of();
        }
        if (wanted()) {
            bus = Bus.SUBSCRIBING;
            return List.of(Action.SUBSCRIBE);
        }
        bus = Bus.IDLE;
        stream.reset();
        retire();
        return List.of();
    }

    /** Replay pacing: the joiner's subscriber is ready for the rest of its page. */
    synchronized List<Action> onClientReady(long token, Joiner joiner) {
        Effects out = new Effects();
        joiners.onClientReady(token, joiner, out);
        return out.list();
    }

    /** The pub/sub connection dropped: re-confirm the subscription, then catch up from the log. */
    synchronized List<Action> onBusDown() {
        stream.busDown();
        if (bus == Bus.SUBSCRIBED && wanted()) {
            bus = Bus.SUBSCRIBING;
            return List.of(Action.SUBSCRIBE);
        }
        return List.of();
    }

    // ------------------------------------------------------------------ stream and reads

    /** One frame from the plan channel (the hot path). */
    synchronized List<Action> onFrame(SharedFrame frame) {
        Effects out = new Effects();
        stream.onFrame(frame, out);
        return out.list();
    }

    synchronized List<Action> onSnapshot(long token, boolean forJoiners, PlanSnapshot snapshot) {
        Effects out = new Effects();
        if (!forJoiners) {
            stream.onSnapshot(token, snapshot, out);
            return out.list();
        }
        joiners.onSnapshot(token, snapshot, out);
        return out.list();
    }

    synchronized List<Action> onLog(long token, Joiner joiner, LogPage page) {
        Effects out = new Effects();
        if (joiner == null) {
            stream.onLog(token, page, out);
        } else {
            joiners.onLog(token, joiner, page, out);
        }
        return out.list();
    }

    /** A read failed; {@code joiner} null = the stream's read or the joiners' shared snapshot read. */
    synchronized List<Action> onReadFailed(long token, Joiner joiner, boolean forJoiners, Throwable error) {
        if (joiner == null && !forJoiners) {
            long delay = stream.onReadFailed(token, error);
            return delay < 0 ? List.of() : List.of(new Action.Retry(delay));
        }
        Effects out = new Effects();
        if (joiners.onReadFailed(token, joiner, error, out)) {
            unsubscribeIfUnwanted(out);
        }
        return out.list();
    }

    synchronized List<Action> onRetry() {
        if (retired) {
            return List.of();
        }
        Effects out = new Effects();
        stream.retry(bus == Bus.SUBSCRIBED, out);
        return out.list();
    }

    // ------------------------------------------------------------------ PlanStream.Owner (lock held)

    @Override
    public void resyncStarted() {
        joiners.resyncStarted();
    }

    @Override
    public void anchored(PlanSnapshot snapshot, boolean resync, Effects out) {
        if (resync) {
            for (LiveSet.Attached a : live.members()) {
                live.remove(a.subscriber());
                joiners.restart(a.subscriber(), snapshot, out);
            }
        }
        joiners.anchored(snapshot, out);
    }

    // ------------------------------------------------------------------ lifecycle (lock held)

    private boolean wanted() {
        return live.size() > 0 || joiners.size() > 0;
    }

    private void unsubscribeIfUnwanted(Effects out) {
        if (!wanted() && bus == Bus.SUBSCRIBED) {
            bus = Bus.UNSUBSCRIBING;
            stream.reset();
            out.add(Action.UNSUBSCRIBE);
        }
    }

    private void retire() {
        retired = true;
        onRetired.accept(this);
    }

    private boolean removeMember(Subscriber s) {
        return joiners.remove(s) || live.remove(s);
    }

    @Override
    public synchronized String toString() {
        return "PlanChannel[" + planId + " " + bus + "/" + stream + " live=" + live.size() + " joining="
                + joiners.size() + "]";
    }
}
