package io.stepcast.gateway.hub;

import io.stepcast.gateway.protocol.Cursor;
import io.stepcast.gateway.redis.LogPage;
import io.stepcast.gateway.redis.PlanSnapshot;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The joining subscribers of one plan: those whose snapshot or replay is being read, each catching up
 * on its own (snapshot or cursor, then log pages) until it reaches the stream's position and joins
 * the {@link LiveSet} with a "skip up to" mark. A joiner needs no buffer of its own, so a slow start
 * costs Redis reads, not memory. Subscribers that need a snapshot at the same moment share one read.
 *
 * <p>The resume decision for a cursor is {@link Cursor#continuedBy}: the same rule as the HTTP
 * long-poll's. A cursor at the position of a live stream is resumed without any read.
 *
 * <p>Not thread-safe: owned by one {@link PlanChannel} and called only with its lock held. No method
 * does I/O; reads are {@link Action}s added to the {@link Effects} of the call.
 */
final class Joiners {

    private static final Logger LOG = LoggerFactory.getLogger(Joiners.class);

    private final String planId;
    private final HubMetrics metrics;
    private final LiveSet live;
    private final PlanStream stream;
    private final JoinerFeed feed;
    /** Subscribers catching up, in arrival order. Disjoint from the live set. */
    private final Map<Subscriber, Joiner> joining = new LinkedHashMap<>();
    /** Token source of joiner reads. */
    private long tokens;
    /** Token of the shared snapshot read in flight for joiners (0 = none); its joiners have it as attempt. */
    private long sharedSnapshot;

    Joiners(String planId, HubMetrics metrics, LiveSet live, PlanStream stream) {
        this.planId = planId;
        this.metrics = metrics;
        this.live = live;
        this.stream = stream;
        this.feed = new JoinerFeed(planId, metrics);
    }

    // ------------------------------------------------------------------ membership

    /** Adds a joiner; it starts with {@link #startIfAnchored}, or with {@link #anchored}. */
    Joiner add(Subscriber subscriber, Cursor cursor) {
        Joiner joiner = new Joiner(subscriber, cursor);
        joining.put(subscriber, joiner);
        return joiner;
    }

    /** Starts the joiner's reads when the stream has a position (else {@link #anchored} will). */
    void startIfAnchored(Joiner joiner, Effects out) {
        if (stream.anchored()) {
            start(joiner, out);
        }
    }

    boolean remove(Subscriber subscriber) {
        return joining.remove(subscriber) != null;
    }

    boolean contains(Subscriber subscriber) {
        return joining.containsKey(subscriber);
    }

    int size() {
        return joining.size();
    }

    /** Every joiner, for failing them all; the set is cleared. */
    Collection<Joiner> clear() {
        Collection<Joiner> all = new ArrayList<>(joining.values());
        joining.clear();
        return all;
    }

    /**
     * The joiner did not get live within the subscribe timeout: true when it was failed now. Time
     * spent waiting for the subscriber itself to read its replay does not count: the deadline is set
     * again.
     */
    boolean onDeadline(Joiner joiner, Effects out) {
        if (joining.get(joiner.subscriber) != joiner) {
            return false;
        }
        if (joiner.rest != null) {
            out.add(new Action.Deadline(joiner));
            return false;
        }
        fail(joiner, out);
        return true;
    }

    /** Replay pacing: the joiner's subscriber is ready for the rest of its page. */
    void onClientReady(long token, Joiner j, Effects out) {
        if (isCurrent(j, token) && j.rest != null) {
            List<LogPage.LogEntry> rest = j.rest;
            j.rest = null;
            replay(j, rest, j.restHead, out);
        }
    }

    // ------------------------------------------------------------------ read results

    /** The shared snapshot read of {@code token} completed. */
    void onSnapshot(long token, PlanSnapshot snapshot, Effects out) {
        if (token != sharedSnapshot) {
            return;
        }
        sharedSnapshot = 0;
        if (!stream.consistent(snapshot.epoch())) {
            stream.startResync(null, out); // the stream is behind an epoch change: the resync serves them
            return;
        }
        for (Joiner j : new ArrayList<>(joining.values())) {
            if (isCurrent(j, token)) {
                j.attempt = 0;
                if (serveSnapshot(j, snapshot, out)) {
                    advance(j, out);
                }
            }
        }
    }

    /** A log page read for {@code joiner}: the resume decision (first page) and the replay. */
    void onLog(long token, Joiner j, LogPage page, Effects out) {
        if (!isCurrent(j, token)) {
            return;
        }
        j.attempt = 0;
        Cursor at = j.started ? new Cursor(j.epoch, j.pos) : j.cursor;
        if (!at.continuedBy(page)) {
            reset(j, out); // other epoch, trimmed, ahead of the plan, or re-created while catching up
            return;
        }
        if (!j.started) {
            if (!stream.consistent(page.epoch())) {
                stream.startResync(null, out); // the stream is behind an epoch change; the joiner is served after it
                return;
            }
            if (!serveResume(j, page.epoch(), at.seq(), out)) {
                return;
            }
        }
        j.epoch = page.epoch();
        replay(j, page.entries(), page.head(), out);
    }

    /** Replays {@code entries} (the rest of a page whose log head was {@code head}), then reads on or joins. */
    private void replay(Joiner j, List<LogPage.LogEntry> entries, long head, Effects out) {
        switch (feed.replay(j, entries, head)) {
            case PAUSED -> {
                j.attempt = ++tokens;
                out.add(new Action.AwaitClient(j.attempt, j));
            }
            case DROPPED -> drop(j, out);
            case DONE -> {
                if (j.pos < head && !entries.isEmpty()) {
                    readLog(j, out); // next page
                } else {
                    advance(j, out);
                }
            }
        }
    }

    /**
     * A read failed: {@code joiner} null = the shared snapshot read of {@code token}. True when a
     * joiner was failed.
     */
    boolean onReadFailed(long token, Joiner joiner, Throwable error, Effects out) {
        if (joiner == null) {
            if (token != sharedSnapshot) {
                return false;
            }
            sharedSnapshot = 0;
        }
        boolean failed = false;
        for (Joiner j : new ArrayList<>(joining.values())) {
            if ((joiner == null || j == joiner) && isCurrent(j, token)) {
                LOG.debug("plan {}: read for {} failed: {}", planId, j.subscriber.id(), error.toString());
                fail(j, out);
                failed = true;
            }
        }
        return failed;
    }

    // ------------------------------------------------------------------ the stream's turns

    /** A resync started: the joiners' reads in flight are stale. */
    void resyncStarted() {
        sharedSnapshot = 0;
        for (Joiner j : joining.values()) {
            j.attempt = 0;
            j.rest = null;
        }
    }

    /** The stream is anchored at {@code snapshot}: serve the joiners that need it, start the others' reads. */
    void anchored(PlanSnapshot snapshot, Effects out) {
        for (Joiner j : new ArrayList<>(joining.values())) {
            if (j.started || j.cursor == null || j.reset) {
                if (serveSnapshot(j, snapshot, out)) {
                    attach(j);
                }
            } else {
                start(j, out); // a cursor: its own log read decides
            }
        }
    }

    /**
     * Restarts a live subscriber at the stream's new anchor (a resync): it gets the snapshot and stays
     * live; false when it threw (it is dropped).
     */
    boolean restart(Subscriber subscriber, PlanSnapshot snapshot, Effects out) {
        Joiner restart = new Joiner(subscriber, null);
        if (!serveSnapshot(restart, snapshot, out)) {
            return false;
        }
        live.add(subscriber, restart.pos);
        return true;
    }

    // ------------------------------------------------------------------ one joiner's steps

    private void start(Joiner j, Effects out) {
        j.rest = null;
        if (j.cursor == null || j.reset) {
            if (sharedSnapshot == 0) { // else: join the shared read in flight
                sharedSnapshot = ++tokens;
                out.add(new Action.ReadSnapshot(sharedSnapshot, true));
            }
            j.attempt = sharedSnapshot;
        } else if (stream.isLiveAt(j.cursor)) {
            if (serveResume(j, j.cursor.epoch(), j.cursor.seq(), out)) {
                attach(j); // nothing to replay: the stream delivers what follows the cursor
            }
        } else {
            j.attempt = ++tokens;
            out.add(new Action.ReadLog(j.attempt, j, j.cursor.seq()));
        }
    }

    /** A joiner that has everything up to {@code pos}: live if that reaches the stream, else read on. */
    private void advance(Joiner j, Effects out) {
        if (j.pos >= stream.lastSeq()) {
            attach(j);
        } else {
            readLog(j, out);
        }
    }

    private void readLog(Joiner j, Effects out) {
        j.attempt = ++tokens;
        out.add(new Action.ReadLog(j.attempt, j, j.pos));
    }

    /** The cursor cannot be honoured (or the catch-up broke off): start over from a snapshot. */
    private void reset(Joiner j, Effects out) {
        j.reset = true;
        start(j, out);
    }

    /** Starts the joiner at the snapshot; false when its subscriber threw (it is dropped). */
    private boolean serveSnapshot(Joiner j, PlanSnapshot snapshot, Effects out) {
        return served(j, feed.fromSnapshot(j, snapshot), out);
    }

    /** Resumes the joiner at {@code epoch}/{@code seq}; false when its subscriber threw (it is dropped). */
    private boolean serveResume(Joiner j, String epoch, long seq, Effects out) {
        return served(j, feed.resumed(j, epoch, seq), out);
    }

    private boolean served(Joiner j, boolean ok, Effects out) {
        if (!ok) {
            drop(j, out);
        }
        return ok;
    }

    private void drop(Joiner j, Effects out) {
        joining.remove(j.subscriber);
        out.add(new Action.Drop(j.subscriber));
    }

    private void attach(Joiner j) {
        joining.remove(j.subscriber);
        live.add(j.subscriber, j.pos);
    }

    private void fail(Joiner j, Effects out) {
        joining.remove(j.subscriber);
        out.add(new Action.Fail(j.subscriber, HubFailure.UNAVAILABLE));
    }

    private boolean isCurrent(Joiner j, long token) {
        return token != 0 && j.attempt == token && joining.get(j.subscriber) == j;
    }
}
