package io.stepcast.gateway.hub;

import io.stepcast.gateway.redis.LogPage;
import io.stepcast.gateway.redis.PlanSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One plan on this instance: the Redis subscription of its channel, its local subscribers (live
 * ones in a {@link LiveSet}, joining ones as {@link Joiner}s) and its {@link PlanStream}.
 *
 * <p>A joining subscriber catches up on its own — snapshot or cursor, then log pages — until it
 * reaches the stream's position; then it joins the live set with a "skip up to" mark. It never needs
 * a buffer of its own, so a slow start costs Redis reads, not memory.
 *
 * <p><b>Lock.</b> Every entry point is {@code synchronized} on this object: the one lock of a plan,
 * which also guards the {@link LiveSet}, the {@link PlanStream} and the joiners. No method does I/O:
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
    enum Bus { IDLE, SUBSCRIBING, SUBSCRIBED, UNSUBSCRIBING, RETRYING }

    /** Longest wait between two re-subscription attempts. */
    static final long MAX_RESUBSCRIBE_DELAY_MS = 2_000;

    private static final Logger LOG = LoggerFactory.getLogger(PlanChannel.class);

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
    /** Subscribers receiving the stream. Disjoint from {@link #joining}. */
    private final LiveSet live;
    /** Subscribers catching up, in arrival order. */
    private final Map<Subscriber, Joiner> joining = new LinkedHashMap<>();
    private final PlanStream stream;
    /** Token source of joiner reads. */
    private long tokens;
    /** Token of the shared snapshot read in flight for joiners (0 = none); its joiners have it as attempt. */
    private long joinersSnapshot;

    PlanChannel(String planId, HubConfig config, HubMetrics metrics, Consumer<PlanChannel> onRetired) {
        this.planId = planId;
        this.metrics = metrics;
        this.onRetired = onRetired;
        this.live = new LiveSet(planId);
        this.stream = new PlanStream(planId, config, metrics, live, this);
    }

    // ------------------------------------------------------------------ membership

    /** Starts (or restarts) a subscription; null when this channel is retired (use a fresh one). */
    synchronized List<Action> join(Subscriber subscriber, Cursor cursor) {
        if (retired) {
            return null;
        }
        Effects out = new Effects();
        removeMember(subscriber);
        Joiner joiner = new Joiner(subscriber, cursor);
        joining.put(subscriber, joiner);
        out.add(new Action.Deadline(joiner));
        if (bus == Bus.IDLE) {
            bus = Bus.SUBSCRIBING;
            out.add(Action.SUBSCRIBE);
        } else if (stream.anchored()) {
            startJoiner(joiner, out);
        } // else: served when the stream is anchored
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
        return joining.containsKey(subscriber) || live.contains(subscriber);
    }

    synchronized int size() {
        return live.size() + joining.size();
    }

    synchronized PlanStream.Mode mode() {
        return stream.mode();
    }

    synchronized Bus bus() {
        return bus;
    }

    /**
     * The subscriber did not get live within the subscribe timeout. Time spent waiting for the
     * subscriber itself to read its replay does not count: the deadline is set again.
     */
    synchronized List<Action> onDeadline(Joiner joiner) {
        Effects out = new Effects();
        if (joining.get(joiner.subscriber) == joiner) {
            if (joiner.rest != null) {
                out.add(new Action.Deadline(joiner));
            } else {
                failJoiner(joiner, out);
            }
        }
        return out.list();
    }

    /** Replay pacing: the joiner's subscriber is ready for the rest of its page. */
    synchronized List<Action> onClientReady(long token, Joiner joiner) {
        Effects out = new Effects();
        if (isCurrent(joiner, token) && joiner.rest != null) {
            List<LogPage.LogEntry> rest = joiner.rest;
            joiner.rest = null;
            JoinerReplay.replay(this, joiner, rest, joiner.restHead, out);
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
        for (Joiner j : joining.values()) {
            out.add(new Action.Fail(j.subscriber, HubFailure.UNAVAILABLE));
        }
        live.clear();
        joining.clear();
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
        if (token != joinersSnapshot) {
            return List.of();
        }
        joinersSnapshot = 0;
        if (!stream.consistent(snapshot.epoch())) {
            stream.startResync(null, out); // the stream is behind an epoch change: the resync serves them
            return out.list();
        }
        for (Joiner j : new ArrayList<>(joining.values())) {
            if (isCurrent(j, token)) {
                j.attempt = 0;
                if (serve(j, snapshot.epoch(), snapshot.seq(), snapshot.state(), false, out)) {
                    advance(j, out);
                }
            }
        }
        return out.list();
    }

    synchronized List<Action> onLog(long token, Joiner joiner, LogPage page) {
        Effects out = new Effects();
        if (joiner == null) {
            stream.onLog(token, page, out);
        } else if (isCurrent(joiner, token)) {
            joiner.attempt = 0;
            JoinerReplay.apply(this, joiner, page, out);
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
        if (joiner == null) {
            if (token != joinersSnapshot) {
                return List.of();
            }
            joinersSnapshot = 0;
        }
        for (Joiner j : new ArrayList<>(joining.values())) {
            if ((joiner == null || j == joiner) && isCurrent(j, token)) {
                LOG.debug("plan {}: read for {} failed: {}", planId, j.subscriber.id(), error.toString());
                failJoiner(j, out);
            }
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
        joinersSnapshot = 0;
        for (Joiner j : joining.values()) {
            j.attempt = 0; // their reads are stale now
            j.rest = null;
        }
    }

    @Override
    public void anchored(PlanSnapshot snapshot, boolean resync, Effects out) {
        if (resync) {
            for (LiveSet.Attached a : live.members()) {
                Joiner restart = new Joiner(a.subscriber(), null);
                live.remove(a.subscriber());
                if (serve(restart, snapshot.epoch(), snapshot.seq(), snapshot.state(), false, out)) {
                    live.add(restart.subscriber, restart.pos);
                }
            }
        }
        for (Joiner j : new ArrayList<>(joining.values())) {
            if (j.started || j.cursor == null || j.reset) {
                if (serve(j, snapshot.epoch(), snapshot.seq(), snapshot.state(), false, out)) {
                    attach(j);
                }
            } else {
                startJoiner(j, out); // a cursor: its own log read decides
            }
        }
    }

    // ------------------------------------------------------------------ joiners (lock held)

    private void startJoiner(Joiner j, Effects out) {
        j.rest = null;
        if (j.cursor == null || j.reset) {
            if (joinersSnapshot == 0) { // else: join the shared read in flight
                joinersSnapshot = ++tokens;
                out.add(new Action.ReadSnapshot(joinersSnapshot, true));
            }
            j.attempt = joinersSnapshot;
        } else {
            j.attempt = ++tokens;
            out.add(new Action.ReadLog(j.attempt, j, j.cursor.seq()));
        }
    }

    /** A joiner that has everything up to {@code pos}: live if that reaches the stream, else read on. */
    void advance(Joiner j, Effects out) {
        if (j.pos >= stream.lastSeq()) {
            attach(j);
        } else {
            readLogFor(j, out);
        }
    }

    /** Replay pacing: keeps the rest of the page until the subscriber is ready for it. */
    void awaitClient(Joiner j, List<LogPage.LogEntry> rest, long head, Effects out) {
        j.rest = rest;
        j.restHead = head;
        j.attempt = ++tokens;
        out.add(new Action.AwaitClient(j.attempt, j));
    }

    void readLogFor(Joiner j, Effects out) {
        j.attempt = ++tokens;
        out.add(new Action.ReadLog(j.attempt, j, j.pos));
    }

    /** The cursor cannot be honoured (or the catch-up broke off): start over from a snapshot. */
    void resetJoiner(Joiner j, Effects out) {
        j.reset = true;
        startJoiner(j, out);
    }

    boolean consistent(String epoch) {
        return stream.consistent(epoch);
    }

    void startResync(Effects out) {
        stream.startResync(null, out);
    }

    boolean offer(Subscriber subscriber, SharedFrame f) {
        return LiveSet.offer(planId, subscriber, f);
    }

    void metricsDelivered(int recipients) {
        metrics.delivered(recipients);
    }

    /** Calls onSubscribed (+ onSnapshot); false when the subscriber threw (it is dropped). */
    boolean serve(Joiner j, String epoch, long seq, byte[] state, boolean recovered, Effects out) {
        j.started = true;
        j.epoch = epoch;
        j.pos = seq;
        if (j.cursor != null && !j.counted) {
            j.counted = true;
            metrics.resumed(recovered);
        }
        try {
            j.subscriber.onSubscribed(new SubscribeResult(planId, epoch, seq, recovered));
            if (!recovered && state != null) {
                j.subscriber.onSnapshot(planId, state);
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warn("plan {}: subscriber {} threw from onSubscribed/onSnapshot; dropping it", planId,
                    j.subscriber.id(), e);
            dropJoiner(j, out);
            return false;
        }
    }

    void dropJoiner(Joiner j, Effects out) {
        joining.remove(j.subscriber);
        out.add(new Action.Drop(j.subscriber));
    }

    private void attach(Joiner j) {
        joining.remove(j.subscriber);
        live.add(j.subscriber, j.pos);
    }

    private void failJoiner(Joiner j, Effects out) {
        joining.remove(j.subscriber);
        out.add(new Action.Fail(j.subscriber, HubFailure.UNAVAILABLE));
        unsubscribeIfUnwanted(out);
    }

    private boolean isCurrent(Joiner j, long token) {
        return token != 0 && j.attempt == token && joining.get(j.subscriber) == j;
    }

    // ------------------------------------------------------------------ lifecycle (lock held)

    private boolean wanted() {
        return live.size() > 0 || !joining.isEmpty();
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
        return joining.remove(s) != null || live.remove(s);
    }

    @Override
    public synchronized String toString() {
        return "PlanChannel[" + planId + " " + bus + "/" + stream + " live=" + live.size() + " joining="
                + joining.size() + "]";
    }
}
