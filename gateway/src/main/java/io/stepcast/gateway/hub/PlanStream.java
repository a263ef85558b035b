package io.stepcast.gateway.hub;

import io.stepcast.gateway.protocol.Cursor;
import io.stepcast.gateway.redis.LogPage;
import io.stepcast.gateway.redis.PlanBus;
import io.stepcast.gateway.redis.PlanSnapshot;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One plan's event stream as this instance sees it: the position up to which every frame was handed
 * to the live subscribers, and how that position moves on.
 *
 * <p>Once anchored (a snapshot read after the channel subscription was confirmed), each frame of the
 * stream's epoch is handed to the {@link LiveSet} exactly once, in seq order: duplicates are
 * dropped, a hole is filled from the log before later frames (REPAIRING), an epoch change or a log
 * that cannot fill the hole restarts everyone from a fresh snapshot (RESYNCING). Frames arriving
 * while not LIVE are held, bounded ({@link HeldFrames}); past the bound they are dropped and re-read
 * from the log. Reads are tracked by {@link StreamRead}; epochs left behind by {@link PastEpochs}.
 *
 * <p>Not thread-safe: guarded by the lock of the owning {@link PlanChannel}, which it calls back
 * (as {@link Owner}) when a resync starts and when the stream is anchored.
 */
final class PlanStream {

    enum Mode {
        SUBSCRIBING,
        LIVE,
        REPAIRING,
        RESYNCING
    }

    /** The owning channel's part in a resync. */
    interface Owner {
        /** A resync started: reads of joining subscribers are stale now. */
        void resyncStarted();

        /** The stream is anchored at the snapshot: restart live subscribers (if a resync) and serve joiners. */
        void anchored(PlanSnapshot snapshot, boolean resync, Effects out);
    }

    private static final Logger LOG = LoggerFactory.getLogger(PlanStream.class);

    private final String planId;
    private final HubMetrics metrics;
    private final LiveSet live;
    private final Owner owner;

    /** SUBSCRIBING = not anchored: epoch/lastSeq are meaningless. */
    private Mode mode = Mode.SUBSCRIBING;
    /** Epoch of the stream; null = the plan had no events when anchored (then lastSeq is 0). */
    private String epoch;
    /** Every frame of {@link #epoch} with seq ≤ lastSeq has been handed to the live subscribers. */
    private long lastSeq;
    /** Frames received while not LIVE, in arrival order; empty while LIVE (outside a drain). */
    private final HeldFrames held;
    /** The log may hold frames that never reached us (held overflow, pub/sub loss): read it before going LIVE. */
    private boolean recheck;
    /** Highest held seq of the stream's epoch when the current log read was issued. */
    private long repairTarget;
    /** The snapshot or log read in flight, if any. */
    private final StreamRead read = new StreamRead();
    /** Epochs this stream left behind: late frames of those are stale, not a new epoch. */
    private final PastEpochs pastEpochs = new PastEpochs();

    PlanStream(String planId, HubConfig config, HubMetrics metrics, LiveSet live, Owner owner) {
        this.planId = planId;
        this.held = new HeldFrames(config.holdMaxFrames(), config.holdMaxBytes());
        this.metrics = metrics;
        this.live = live;
        this.owner = owner;
    }

    Mode mode() {
        return mode;
    }

    long lastSeq() {
        return lastSeq;
    }

    /** The delivered position while LIVE (nothing being held or repaired), else null. */
    PlanBus.LivePosition livePosition() {
        return mode == Mode.LIVE ? new PlanBus.LivePosition(epoch, lastSeq) : null;
    }

    /** True when joiners can start their reads (the stream has a position). */
    boolean anchored() {
        return mode == Mode.LIVE || mode == Mode.REPAIRING;
    }

    /**
     * True when the stream is live exactly at {@code cursor}: it has handed every event up to it to the
     * live subscribers, and none after it, so a subscriber at the cursor can join without a read.
     */
    boolean isLiveAt(Cursor cursor) {
        return mode == Mode.LIVE
                && !recheck
                && held.isEmpty()
                && Objects.equals(cursor.epoch(), epoch)
                && cursor.seq() == lastSeq;
    }

    /** True when a read that saw epoch {@code e} agrees with the stream (or the stream has no events yet). */
    boolean consistent(String e) {
        return Objects.equals(e, epoch) || (epoch == null && lastSeq == 0);
    }

    /** The channel subscription is confirmed: anchor (first time) or catch up (after a reconnect). */
    void subscribed(Effects out) {
        if (mode == Mode.SUBSCRIBING) {
            if (!read.inFlight()) {
                readSnapshot(out);
            }
        } else {
            recheck = true;
            if (mode == Mode.LIVE) {
                startRepair(null, out);
            }
        }
    }

    /** Pub/sub was lost: whatever was published meanwhile must be read from the log. */
    void busDown() {
        recheck = true;
    }

    /** Forgets the position (the channel is being unsubscribed). */
    void reset() {
        mode = Mode.SUBSCRIBING;
        epoch = null;
        lastSeq = 0;
        held.clear();
        recheck = false;
        read.reset();
    }

    void onFrame(SharedFrame frame, Effects out) {
        if (mode == Mode.LIVE) {
            accept(frame, out);
        } else {
            hold(frame);
        }
    }

    void onSnapshot(long token, PlanSnapshot snapshot, Effects out) {
        if (!read.completed(token)) {
            return;
        }
        boolean resync = mode == Mode.RESYNCING;
        if (epoch != null && !epoch.equals(snapshot.epoch())) {
            pastEpochs.left(epoch);
        }
        epoch = snapshot.epoch();
        lastSeq = snapshot.seq();
        mode = Mode.LIVE;
        if (epoch != null) { // held frames of other epochs are stale (or bogus)
            held.retainEpoch(epoch);
        }
        if (resync) {
            metrics.resynced();
        }
        owner.anchored(snapshot, resync, out);
        drainHeld(out);
    }

    void onLog(long token, LogPage page, Effects out) {
        if (!read.completed(token)) {
            return;
        }
        if (epoch == null && lastSeq == 0 && page.epoch() != null) {
            epoch = page.epoch(); // the first events of a plan that was empty when anchored
        }
        List<LogPage.LogEntry> entries = page.entries();
        boolean continuous = Objects.equals(page.epoch(), epoch)
                && page.head() >= lastSeq
                && (entries.isEmpty() ? page.head() == lastSeq : entries.get(0).seq() == lastSeq + 1);
        if (!continuous) {
            startResync(null, out);
            return;
        }
        for (LogPage.LogEntry e : entries) {
            SharedFrame f = Frames.fromLog(planId, e);
            if (f != null) {
                deliver(f, out);
            }
            lastSeq = e.seq();
        }
        if (!entries.isEmpty()) {
            metrics.gapRepaired();
        }
        if (lastSeq < page.head()) {
            readLog(out);
            return;
        }
        if (repairTarget > lastSeq) { // held before the read, yet beyond the head it saw: not from the bridge
            if (held.dropBeyondHead(epoch, lastSeq, repairTarget)) {
                LOG.warn(
                        "plan {}: dropped frames beyond the plan's head {} (published outside the bridge?)",
                        planId,
                        lastSeq);
                recheck = true;
            }
        }
        mode = Mode.LIVE;
        drainHeld(out);
    }

    /** A read failed: the retry delay, or -1 when the failure was stale. */
    long onReadFailed(long token, Throwable error) {
        long delay = read.failed(token);
        if (delay >= 0 && read.worthLogging()) {
            LOG.warn("plan {}: {} read failed ({}), retrying in {} ms", planId, mode, error.toString(), delay);
        }
        return delay;
    }

    /** Re-issues the read the current mode needs (after a failure). */
    void retry(boolean subscribed, Effects out) {
        if (read.inFlight()) {
            return;
        }
        switch (mode) {
            case SUBSCRIBING -> {
                if (subscribed) {
                    readSnapshot(out);
                }
            }
            case RESYNCING -> readSnapshot(out);
            case REPAIRING -> readLog(out);
            case LIVE -> {}
        }
    }

    /** Restarts everyone from a fresh snapshot. */
    void startResync(SharedFrame first, Effects out) {
        mode = Mode.RESYNCING;
        if (first != null) {
            held.addFirst(first);
        }
        owner.resyncStarted();
        readSnapshot(out);
    }

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

    private void deliver(SharedFrame f, Effects out) {
        lastSeq = f.seq();
        if (live.size() > 0) {
            metrics.fannedOut(f);
            metrics.delivered(live.fanOut(f, out));
        }
    }

    private void hold(SharedFrame f) {
        if (!held.add(f)) {
            recheck = true; // the log has them: read it instead
        }
    }

    /** Back to LIVE: replays the held frames through {@link #accept}, unless the log must be read first. */
    private void drainHeld(Effects out) {
        if (recheck) {
            startRepair(null, out);
            return;
        }
        while (mode == Mode.LIVE && !held.isEmpty()) {
            accept(held.poll(), out);
        }
    }

    private void startRepair(SharedFrame first, Effects out) {
        mode = Mode.REPAIRING;
        if (first != null) {
            held.addFirst(first);
        }
        readLog(out);
    }

    private void readSnapshot(Effects out) {
        recheck = false;
        read.snapshot(out);
    }

    private void readLog(Effects out) {
        recheck = false;
        repairTarget = held.highestSeq(epoch);
        read.log(lastSeq, out);
    }

    @Override
    public String toString() {
        return mode + " " + epoch + "#" + lastSeq + " held=" + held.size();
    }
}
