package io.stepcast.gateway.hub;

import io.stepcast.gateway.redis.LogPage;
import io.stepcast.gateway.redis.PlanSnapshot;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * One plan on this instance: its local subscribers, its position in the plan's event stream and the
 * Redis subscription of its channel.
 *
 * <p><b>The plan's stream.</b> Once anchored (a snapshot read after the channel subscription was
 * confirmed), the channel hands every frame of its epoch to the live subscribers exactly once, in seq
 * order: duplicates are dropped, a hole is filled from the log before later frames (REPAIRING), an
 * epoch change or a log that cannot fill the hole restarts everyone from a fresh snapshot
 * (RESYNCING). A joining subscriber catches up on its own (snapshot or cursor, then log pages) until
 * it reaches the stream's position, then joins the live array with a "skip up to" mark; it never
 * needs a buffer of its own.
 *
 * <p><b>Lock.</b> Every method is {@code synchronized} on this object, the one lock of a plan. No
 * method does I/O: each returns the {@link Action}s to start, which the hub runs after the lock is
 * released; completions come back through the {@code on*} methods, and stale ones are recognised by
 * their token. Subscriber callbacks ({@code onSubscribed}, {@code onSnapshot}, {@code onEvent}) are
 * made under the lock, which orders them per plan; {@code onFailed}/{@code onDropped} are actions.
 */
final class PlanChannel {

    enum Bus { IDLE, SUBSCRIBING, SUBSCRIBED, UNSUBSCRIBING }

    enum Mode { SUBSCRIBING, LIVE, REPAIRING, RESYNCING }

    /** A live subscriber; frames with seq ≤ {@code after} are already covered by its snapshot or replay. */
    record Attached(Subscriber subscriber, long after) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(PlanChannel.class);
    private static final Attached[] NONE = new Attached[0];
    private static final int PAST_EPOCHS = 4;

    final String planId;
    private final HubConfig config;
    private final HubMetrics metrics;
    private final Consumer<PlanChannel> onRetired;

    // ---- everything below is guarded by this ----

    /** Redis subscription. A SUBSCRIBE/UNSUBSCRIBE is in flight iff SUBSCRIBING/UNSUBSCRIBING: never two at once. */
    private Bus bus = Bus.IDLE;
    /** Set once, when the channel left the hub's map: a retired channel takes no subscriber. */
    private boolean retired;
    /** SUBSCRIBING = not anchored: {@link #epoch}/{@link #lastSeq} are meaningless, joiners wait. */
    private Mode mode = Mode.SUBSCRIBING;
    /** Epoch of the stream; null = the plan had no events when anchored (then lastSeq is 0). */
    private String epoch;
    /** Every frame of {@link #epoch} with seq ≤ lastSeq has been handed to the live subscribers. */
    private long lastSeq;
    /** Live subscribers: copy-on-write, so the hot path iterates it without copying. Disjoint from joining. */
    private Attached[] live = NONE;
    /** Subscribers catching up, in arrival order. */
    private final Map<Subscriber, Joiner> joining = new LinkedHashMap<>();
    /** Frames received while not LIVE, in arrival order (empty while LIVE); bounded by the config. */
    private final ArrayDeque<SharedFrame> held = new ArrayDeque<>();
    private long heldBytes;
    /** The log may hold frames that never reached us (held overflow, pub/sub loss): read it before going LIVE. */
    private boolean recheck;
    /** Highest held seq of the stream's epoch when the current plan-level log read was issued. */
    private long repairTarget;
    /** Token of the plan-level read in flight; 0 = none. */
    private long planRead;
    private long tokens;
    /** Consecutive plan-level read failures (retry back-off). */
    private int failures;
    /** Epochs this channel left behind: late frames of those are stale, not a new epoch. */
    private final ArrayDeque<String> pastEpochs = new ArrayDeque<>(PAST_EPOCHS);

    PlanChannel(String planId, HubConfig config, HubMetrics metrics, Consumer<PlanChannel> onRetired) {
        this.planId = planId;
        this.config = config;
        this.metrics = metrics;
        this.onRetired = onRetired;
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
        } else if (mode == Mode.LIVE || mode == Mode.REPAIRING) {
            startJoiner(joiner, out);
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
        return joining.containsKey(subscriber) || indexOf(subscriber) >= 0;
    }

    synchronized int size() {
        return live.length + joining.size();
    }

    synchronized Mode mode() {
        return mode;
    }

    synchronized Bus bus() {
        return bus;
    }

    /** The subscriber did not get live within the subscribe timeout. */
    synchronized List<Action> onDeadline(Joiner joiner) {
        if (joining.get(joiner.subscriber) != joiner) {
            return List.of();
        }
        return failJoiner(joiner, HubFailure.UNAVAILABLE);
    }

    // ------------------------------------------------------------------ Redis subscription

    synchronized List<Action> onBusSubscribed() {
        Effects out = new Effects();
        bus = Bus.SUBSCRIBED;
        if (!wanted()) {
            unsubscribeIfUnwanted(out);
        } else if (mode == Mode.SUBSCRIBING) {
            if (planRead == 0) {
                readPlanSnapshot(out);
            }
        } else {
            // re-confirmed after a connection loss: whatever was published meanwhile is in the log
            recheck = true;
            if (mode == Mode.LIVE) {
                startRepair(null, out);
            }
        }
        return out.list();
    }

    /** SUBSCRIBE failed (never connected, or shut down): nobody can be served. */
    synchronized List<Action> onBusSubscribeFailed() {
        Effects out = new Effects();
        bus = Bus.IDLE;
        for (Attached a : live) {
            out.add(new Action.Fail(a.subscriber(), HubFailure.UNAVAILABLE));
        }
        for (Joiner j : joining.values()) {
            out.add(new Action.Fail(j.subscriber, HubFailure.UNAVAILABLE));
        }
        live = NONE;
        joining.clear();
        unanchor();
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

    /** The pub/sub connection dropped: re-confirm the subscription, then catch up from the log. */
    synchronized List<Action> onBusDown() {
        recheck = true;
        if (bus == Bus.SUBSCRIBED && wanted()) {
            bus = Bus.SUBSCRIBING;
            return List.of(Action.SUBSCRIBE);
        }
        return List.of();
    }

    // ------------------------------------------------------------------ the plan's stream

    /** One frame from the plan channel (the hot path). */
    synchronized List<Action> onFrame(SharedFrame frame) {
        if (mode != Mode.LIVE) {
            hold(frame);
            return List.of();
        }
        Effects out = new Effects();
        accept(frame, out);
        return out.list();
    }

    synchronized List<Action> onSnapshot(long token, Joiner joiner, PlanSnapshot snapshot) {
        Effects out = new Effects();
        if (joiner != null) {
            if (isCurrent(joiner, token)) {
                joiner.attempt = 0;
                if (!consistent(snapshot.epoch())) {
                    startResync(null, out);
                } else if (serve(joiner, snapshot.epoch(), snapshot.seq(), snapshot.state(), false, out)) {
                    advance(joiner, out);
                }
            }
            return out.list();
        }
        if (token != planRead) {
            return List.of();
        }
        planRead = 0;
        failures = 0;
        anchor(snapshot, out);
        return out.list();
    }

    synchronized List<Action> onLog(long token, Joiner joiner, LogPage page) {
        Effects out = new Effects();
        if (joiner != null) {
            if (isCurrent(joiner, token)) {
                joiner.attempt = 0;
                JoinerReplay.apply(this, joiner, page, out);
            }
            return out.list();
        }
        if (token != planRead) {
            return List.of();
        }
        planRead = 0;
        failures = 0;
        repaired(page, out);
        return out.list();
    }

    synchronized List<Action> onReadFailed(long token, Joiner joiner, Throwable error) {
        if (joiner != null) {
            if (!isCurrent(joiner, token)) {
                return List.of();
            }
            LOG.debug("plan {}: read for {} failed: {}", planId, joiner.subscriber.id(), error.toString());
            return failJoiner(joiner, HubFailure.UNAVAILABLE);
        }
        if (token != planRead) {
            return List.of();
        }
        planRead = 0;
        failures++;
        long delay = Math.min(5_000, 50L << Math.min(failures, 7));
        if (failures == 1 || failures % 20 == 0) {
            LOG.warn("plan {}: {} read failed ({}), retrying in {} ms", planId, mode, error.toString(), delay);
        }
        return List.of(new Action.Retry(delay));
    }

    synchronized List<Action> onRetry() {
        if (retired || planRead != 0) {
            return List.of();
        }
        Effects out = new Effects();
        switch (mode) {
            case SUBSCRIBING -> {
                if (bus == Bus.SUBSCRIBED) {
                    readPlanSnapshot(out);
                }
            }
            case RESYNCING -> readPlanSnapshot(out);
            case REPAIRING -> readPlanLog(out);
            case LIVE -> { }
        }
        return out.list();
    }

    // ------------------------------------------------------------------ internals (lock held)

    private void accept(SharedFrame f, Effects out) {
        if (!f.epoch().equals(epoch)) {
            if (epoch == null && lastSeq == 0) {
                if (f.seq() == 1) {
                    epoch = f.epoch();
                    deliver(f, out);
                } else {
                    startRepair(f, out);
                }
            } else if (!pastEpochs.contains(f.epoch())) {
                startResync(f, out);
            }
            return;
        }
        if (f.seq() == lastSeq + 1) {
            deliver(f, out);
        } else if (f.seq() > lastSeq) {
            startRepair(f, out);
        }
    }

    /** Hands a frame of the stream to every live subscriber that has not covered it yet. */
    void deliver(SharedFrame f, Effects out) {
        lastSeq = f.seq();
        Attached[] targets = live;
        if (targets.length == 0) {
            return;
        }
        metrics.fannedOut(f);
        int sent = 0;
        for (Attached a : targets) {
            if (f.seq() > a.after()) {
                if (offer(a.subscriber(), f)) {
                    sent++;
                } else {
                    removeLive(a.subscriber());
                    out.add(new Action.Drop(a.subscriber()));
                }
            }
        }
        metrics.delivered(sent);
    }

    /** False when the subscriber cannot keep up (or threw). */
    boolean offer(Subscriber subscriber, SharedFrame f) {
        try {
            return subscriber.onEvent(f);
        } catch (RuntimeException e) {
            LOG.warn("plan {}: subscriber {} threw from onEvent; dropping it", planId, subscriber.id(), e);
            return false;
        }
    }

    private void hold(SharedFrame f) {
        held.addLast(f);
        heldBytes += f.bytes().length;
        if (held.size() > config.holdMaxFrames() || heldBytes > config.holdMaxBytes()) {
            held.clear();
            heldBytes = 0;
            recheck = true; // the log has them: read it instead
        }
    }

    private void anchor(PlanSnapshot snapshot, Effects out) {
        boolean resync = mode == Mode.RESYNCING;
        if (epoch != null && !epoch.equals(snapshot.epoch())) {
            if (pastEpochs.size() == PAST_EPOCHS) {
                pastEpochs.removeFirst();
            }
            pastEpochs.addLast(epoch);
        }
        epoch = snapshot.epoch();
        lastSeq = snapshot.seq();
        mode = Mode.LIVE;
        if (epoch != null) { // frames of other epochs that were held are stale (or bogus)
            held.removeIf(f -> !f.epoch().equals(epoch));
        }
        if (resync) {
            metrics.resynced();
            for (Attached a : live) {
                Joiner restart = new Joiner(a.subscriber(), null);
                removeLive(a.subscriber());
                if (serve(restart, epoch, lastSeq, snapshot.state(), false, out)) {
                    attach(restart);
                }
            }
        }
        for (Joiner j : new ArrayList<>(joining.values())) {
            if (j.started || j.cursor == null || j.reset) {
                if (serve(j, epoch, lastSeq, snapshot.state(), false, out)) {
                    attach(j);
                }
            } else {
                startJoiner(j, out);
            }
        }
        drainHeld(out);
    }

    private void repaired(LogPage page, Effects out) {
        if (epoch == null && lastSeq == 0 && page.epoch() != null) {
            epoch = page.epoch(); // the first events of a plan that was empty when anchored
        }
        List<LogPage.LogEntry> entries = page.entries();
        boolean continuous = Objects.equals(page.epoch(), epoch) && page.head() >= lastSeq
                && (entries.isEmpty() ? page.head() == lastSeq : entries.get(0).seq() == lastSeq + 1);
        if (!continuous) {
            startResync(null, out);
            return;
        }
        for (LogPage.LogEntry e : entries) {
            SharedFrame f = JoinerReplay.frame(planId, e);
            if (f != null) {
                deliver(f, out);
            }
            lastSeq = e.seq();
        }
        if (!entries.isEmpty()) {
            metrics.gapRepaired();
        }
        if (lastSeq < page.head()) {
            readPlanLog(out);
            return;
        }
        if (repairTarget > lastSeq) { // held before the read, yet beyond the head it saw: not from the bridge
            long bogus = repairTarget;
            if (held.removeIf(f -> f.epoch().equals(epoch) && f.seq() > lastSeq && f.seq() <= bogus)) {
                LOG.warn("plan {}: dropped frames beyond the plan's head {} (published outside the bridge?)",
                        planId, lastSeq);
                recheck = true;
            }
        }
        mode = Mode.LIVE;
        drainHeld(out);
    }

    /** Back to LIVE: replays the held frames through {@link #accept}, unless the log must be read first. */
    private void drainHeld(Effects out) {
        if (recheck) {
            startRepair(null, out);
            return;
        }
        while (mode == Mode.LIVE && !held.isEmpty()) {
            SharedFrame f = held.pollFirst();
            heldBytes -= f.bytes().length;
            accept(f, out);
        }
        if (held.isEmpty()) {
            heldBytes = 0;
        }
    }

    private void startRepair(SharedFrame first, Effects out) {
        mode = Mode.REPAIRING;
        if (first != null) {
            held.addFirst(first);
            heldBytes += first.bytes().length;
        }
        readPlanLog(out);
    }

    private void startResync(SharedFrame first, Effects out) {
        mode = Mode.RESYNCING;
        if (first != null) {
            held.addFirst(first);
            heldBytes += first.bytes().length;
        }
        for (Joiner j : joining.values()) {
            j.attempt = 0; // their reads are stale now; served when the resync completes
        }
        readPlanSnapshot(out);
    }

    private void readPlanSnapshot(Effects out) {
        recheck = false;
        planRead = ++tokens;
        out.add(new Action.ReadSnapshot(planRead, null));
    }

    private void readPlanLog(Effects out) {
        recheck = false;
        repairTarget = 0;
        for (SharedFrame f : held) {
            if (f.epoch().equals(epoch)) {
                repairTarget = Math.max(repairTarget, f.seq());
            }
        }
        planRead = ++tokens;
        out.add(new Action.ReadLog(planRead, null, lastSeq));
    }

    // ------------------------------------------------------------------ joiners (lock held)

    private void startJoiner(Joiner j, Effects out) {
        j.attempt = ++tokens;
        if (j.cursor == null || j.reset) {
            out.add(new Action.ReadSnapshot(j.attempt, j));
        } else {
            out.add(new Action.ReadLog(j.attempt, j, j.cursor.seq()));
        }
    }

    /** A joiner that delivered everything up to {@code pos}: live if that reaches the stream, else read on. */
    void advance(Joiner j, Effects out) {
        if (j.pos >= lastSeq) {
            attach(j);
        } else {
            readLogFor(j, out);
        }
    }

    void readLogFor(Joiner j, Effects out) {
        j.attempt = ++tokens;
        out.add(new Action.ReadLog(j.attempt, j, j.pos));
    }

    void resetJoiner(Joiner j, Effects out) {
        j.reset = true;
        startJoiner(j, out);
    }

    /** Calls onSubscribed (+ onSnapshot); false when the subscriber threw (it is dropped). */
    boolean serve(Joiner j, String e, long seq, byte[] state, boolean recovered, Effects out) {
        j.started = true;
        j.epoch = e;
        j.pos = seq;
        if (j.cursor != null && !j.counted) {
            j.counted = true;
            metrics.resumed(recovered);
        }
        try {
            j.subscriber.onSubscribed(new SubscribeResult(planId, e, seq, recovered));
            if (!recovered && state != null) {
                j.subscriber.onSnapshot(planId, state);
            }
            return true;
        } catch (RuntimeException ex) {
            LOG.warn("plan {}: subscriber {} threw from onSubscribed/onSnapshot; dropping it", planId,
                    j.subscriber.id(), ex);
            dropJoiner(j, out);
            return false;
        }
    }

    void dropJoiner(Joiner j, Effects out) {
        joining.remove(j.subscriber);
        out.add(new Action.Drop(j.subscriber));
    }

    /** True when a read that saw {@code e} agrees with the stream (or the stream has no events yet). */
    boolean consistent(String e) {
        return Objects.equals(e, epoch) || (epoch == null && lastSeq == 0);
    }

    void startResync(Effects out) {
        startResync(null, out);
    }

    void metricsDelivered(int recipients) {
        metrics.delivered(recipients);
    }

    private void attach(Joiner j) {
        joining.remove(j.subscriber);
        Attached[] next = Arrays.copyOf(live, live.length + 1);
        next[live.length] = new Attached(j.subscriber, j.pos);
        live = next;
    }

    private List<Action> failJoiner(Joiner j, HubFailure failure) {
        Effects out = new Effects();
        joining.remove(j.subscriber);
        out.add(new Action.Fail(j.subscriber, failure));
        unsubscribeIfUnwanted(out);
        return out.list();
    }

    private boolean isCurrent(Joiner j, long token) {
        return token != 0 && j.attempt == token && joining.get(j.subscriber) == j;
    }

    private boolean wanted() {
        return live.length > 0 || !joining.isEmpty();
    }

    private void unsubscribeIfUnwanted(Effects out) {
        if (!wanted() && bus == Bus.SUBSCRIBED) {
            bus = Bus.UNSUBSCRIBING;
            unanchor();
            out.add(Action.UNSUBSCRIBE);
        }
    }

    private void unanchor() {
        mode = Mode.SUBSCRIBING;
        epoch = null;
        lastSeq = 0;
        held.clear();
        heldBytes = 0;
        recheck = false;
        planRead = 0;
        failures = 0;
    }

    private void retire() {
        retired = true;
        onRetired.accept(this);
    }

    private boolean removeMember(Subscriber s) {
        return joining.remove(s) != null || removeLive(s);
    }

    private boolean removeLive(Subscriber s) {
        int i = indexOf(s);
        if (i < 0) {
            return false;
        }
        Attached[] next = new Attached[live.length - 1];
        System.arraycopy(live, 0, next, 0, i);
        System.arraycopy(live, i + 1, next, i, live.length - i - 1);
        live = next;
        return true;
    }

    private int indexOf(Subscriber s) {
        Attached[] a = live;
        for (int i = 0; i < a.length; i++) {
            if (a[i].subscriber() == s) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public synchronized String toString() {
        return "PlanChannel[" + planId + " " + bus + "/" + mode + " " + epoch + "#" + lastSeq + " live="
                + live.length + " joining=" + joining.size() + " held=" + held.size() + "]";
    }
}
