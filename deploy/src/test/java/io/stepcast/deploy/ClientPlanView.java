package io.stepcast.deploy;

/**
 * One client's view of one plan: its cursor (epoch, seq) and what it has seen, judged frame by frame.
 *
 * <p>Rules: an event must carry the cursor's epoch and {@code seq = cursor + 1}. A lower seq is a
 * duplicate; a higher one is a hole (its missing seqs count as lost); an event of another epoch
 * without a snapshot first is a silent epoch change (counted as a hole). A snapshot moves the cursor
 * to its (epoch, seq); after the first subscription every snapshot is a reset, which is legitimate
 * only when the plan's epoch changed or its log no longer covers the cursor.
 *
 * <p>Thread-safe: every method is synchronized (one WebSocket's callbacks are sequential; a
 * reconnection may overlap the old connection's last callbacks).
 */
final class ClientPlanView {

    private final String planId;
    private String epoch;
    private long seq;
    private boolean subscribedOnce;
    private boolean snapshotExpected;
    private long delivered;
    private long duplicates;
    private long lost;
    private long silentEpochChanges;
    private long resets;
    private long recovered;
    private long coveredBySnapshot;

    ClientPlanView(String planId) {
        this.planId = planId;
    }

    String planId() {
        return planId;
    }

    /** The resume cursor: epoch (null before the first event) and last seq. */
    synchronized Cursor cursor() {
        return new Cursor(epoch, seq);
    }

    /** True once the plan's first {@code subscribed} (or snapshot) arrived. */
    synchronized boolean isSubscribed() {
        return subscribedOnce;
    }

    /** A {@code subscribed} frame; {@code resumed} = our subscribe carried since+epoch. */
    synchronized void onSubscribed(String frameEpoch, long frameSeq, boolean wasRecovered, boolean resumed) {
        if (wasRecovered) {
            recovered++;
            subscribedOnce = true;
            // The replay follows: events after our cursor up to frameSeq, then live ones.
            return;
        }
        if (subscribedOnce && (resumed || epoch != null)) {
            resets++;
            if (frameEpoch != null && frameEpoch.equals(epoch) && frameSeq > seq) {
                coveredBySnapshot += frameSeq - seq;
            }
        }
        subscribedOnce = true;
        epoch = frameEpoch;
        seq = frameSeq;
        snapshotExpected = frameEpoch != null;
    }

    /** A {@code snapshot} frame carrying the plan's state at (epoch, seq). */
    synchronized void onSnapshot(String stateEpoch, long stateSeq) {
        if (snapshotExpected) {
            snapshotExpected = false;
        } else {
            // Unsolicited: the gateway saw the plan's epoch change (or its log stop covering us).
            resets++;
            if (stateEpoch != null && stateEpoch.equals(epoch) && stateSeq > seq) {
                coveredBySnapshot += stateSeq - seq;
            }
        }
        subscribedOnce = true;
        epoch = stateEpoch;
        seq = stateSeq;
    }

    synchronized void onEvent(String eventEpoch, long eventSeq) {
        if (epoch == null) {
            // Watching a plan that had no events: the first one starts the epoch.
            epoch = eventEpoch;
        } else if (!epoch.equals(eventEpoch)) {
            silentEpochChanges++;
            lost += eventSeq - 1;
            epoch = eventEpoch;
            seq = eventSeq;
            delivered++;
            return;
        }
        if (eventSeq <= seq) {
            duplicates++;
            return;
        }
        if (eventSeq > seq + 1) {
            lost += eventSeq - seq - 1;
        }
        seq = eventSeq;
        delivered++;
    }

    /** True when the cursor reached the plan's head (epoch, seq). */
    synchronized boolean reached(String headEpoch, long headSeq) {
        return headEpoch != null && headEpoch.equals(epoch) && seq >= headSeq;
    }

    /** Lost events: holes so far plus what is still missing up to the head. */
    synchronized long lostUpTo(String headEpoch, long headSeq) {
        long missing = headEpoch != null && headEpoch.equals(epoch) ? Math.max(0, headSeq - seq) : headSeq;
        return lost + missing;
    }

    synchronized Counts counts() {
        return new Counts(delivered, duplicates, lost, silentEpochChanges, resets, recovered, coveredBySnapshot);
    }

    record Cursor(String epoch, long seq) {}

    /**
     * @param delivered          events received in order
     * @param duplicates         events received again (seq at or below the cursor)
     * @param lost               seqs skipped by a hole or a silent epoch change
     * @param silentEpochChanges events of a new epoch without a snapshot first
     * @param resets             snapshots (or empty restarts) replacing a cursor
     * @param recovered          resumes answered with recovered:true
     * @param coveredBySnapshot  seqs of the same epoch not delivered one by one because a reset
     *                           snapshot covered them
     */
    record Counts(
            long delivered,
            long duplicates,
            long lost,
            long silentEpochChanges,
            long resets,
            long recovered,
            long coveredBySnapshot) {
        Counts plus(Counts o) {
            return new Counts(
                    delivered + o.delivered,
                    duplicates + o.duplicates,
                    lost + o.lost,
                    silentEpochChanges + o.silentEpochChanges,
                    resets + o.resets,
                    recovered + o.recovered,
                    coveredBySnapshot + o.coveredBySnapshot);
        }

        static Counts zero() {
            return new Counts(0, 0, 0, 0, 0, 0, 0);
        }
    }
}
