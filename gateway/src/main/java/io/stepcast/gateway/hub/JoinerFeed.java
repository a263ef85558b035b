package io.stepcast.gateway.hub;

import io.stepcast.gateway.redis.LogPage;
import io.stepcast.gateway.redis.PlanSnapshot;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a joining subscriber of one plan is handed before it is live: where its stream starts
 * ({@code onSubscribed} with the position and {@code recovered}, then the snapshot when it starts from
 * one) and the log entries it replays, offered as fast as it reads them. Keeps the joiner's position
 * ({@link Joiner#pos}) in step with what was handed over, and counts the resume outcome of a subscriber
 * that came with a cursor (once) and the replayed events.
 *
 * <p>Outcomes are return values: {@link Joiners} decides the next read or drops the subscriber; a
 * subscriber that throws is logged here and reported like one that refused. No I/O. Not thread-safe:
 * called by {@link Joiners} with the {@link PlanChannel}'s lock held.
 */
final class JoinerFeed {

    /** How a {@link #replay} ended. */
    enum Replayed {
        /** Every entry was offered. */
        DONE,
        /** The subscriber is not ready for more: the rest waits in {@link Joiner#rest}. */
        PAUSED,
        /** The subscriber refused an event (or threw): drop it. */
        DROPPED
    }

    /** The joiners' logger: these lines are theirs, as operators know them. */
    private static final Logger LOG = LoggerFactory.getLogger(Joiners.class);

    private final String planId;
    private final HubMetrics metrics;

    JoinerFeed(String planId, HubMetrics metrics) {
        this.planId = planId;
        this.metrics = metrics;
    }

    /** Starts the joiner at the snapshot (not recovered); false when the subscriber threw. */
    boolean fromSnapshot(Joiner j, PlanSnapshot snapshot) {
        return serve(j, snapshot.epoch(), snapshot.seq(), false, snapshot.state() == null ? null : snapshot);
    }

    /** Resumes the joiner at its cursor {@code epoch}/{@code seq} (recovered); false when it threw. */
    boolean resumed(Joiner j, String epoch, long seq) {
        return serve(j, epoch, seq, true, null);
    }

    /**
     * Offers {@code entries} (the rest of a page whose log head was {@code head}) as fast as the
     * subscriber takes them: when it is not {@link Subscriber#ready() ready}, the rest waits until it
     * is (at least one entry is offered per call, so a replay always moves on).
     */
    Replayed replay(Joiner j, List<LogPage.LogEntry> entries, long head) {
        int sent = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (sent > 0 && !j.subscriber.ready()) {
                metrics.delivered(sent);
                j.rest = entries.subList(i, entries.size());
                j.restHead = head;
                return Replayed.PAUSED;
            }
            LogPage.LogEntry e = entries.get(i);
            SharedFrame f = Frames.fromLog(planId, e);
            if (f != null) {
                if (!LiveSet.offer(planId, j.subscriber, f)) {
                    return Replayed.DROPPED;
                }
                sent++;
            }
            j.pos = e.seq();
        }
        metrics.delivered(sent);
        return Replayed.DONE;
    }

    /** Calls onSubscribed (+ onSnapshot); false when the subscriber threw. */
    private boolean serve(Joiner j, String epoch, long seq, boolean recovered, PlanSnapshot snapshot) {
        j.started = true;
        j.epoch = epoch;
        j.pos = seq;
        if (j.cursor != null && !j.counted) {
            j.counted = true;
            metrics.resumed(recovered);
        }
        try {
            j.subscriber.onSubscribed(new SubscribeResult(planId, epoch, seq, recovered));
            if (snapshot != null) {
                j.subscriber.onSnapshot(planId, snapshot);
            }
            return true;
        } catch (RuntimeException e) {
            LOG.warn(
                    "plan {}: subscriber {} threw from onSubscribed/onSnapshot; dropping it",
                    planId,
                    j.subscriber.id(),
                    e);
            return false;
        }
    }
}
