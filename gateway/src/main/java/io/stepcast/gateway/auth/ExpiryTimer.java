package io.stepcast.gateway.auth;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The token expiry of every session on one event loop, driven by one timer.
 *
 * <p>Why: a timer per session costs a {@code ScheduledFutureTask} per connection (about 70 bytes with
 * its slot in the loop's task queue) for an event that most sessions never reach. Here the sessions
 * are filed by expiry instant (tokens carry whole seconds, so sessions with the same {@code exp}
 * share one bucket) in intrusive lists threaded through their {@link SessionAuth}, and one task is
 * scheduled for the earliest instant. Filing and cancelling cost no allocation; a bucket costs one
 * map entry however many sessions it holds.
 *
 * <p>Precision: a session's callback runs when the loop's clock has passed its token's expiry, as a
 * timer per session would (the task is re-armed for the earliest instant whenever an earlier one is
 * filed; a wall-clock jump is caught up by the next run).
 *
 * <p>Threading: confined to its event loop: {@link SessionAuth} files and cancels there, and the
 * callbacks run there. No locking.
 */
public final class ExpiryTimer implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ExpiryTimer.class);

    private final EventExecutor loop;
    private final LongSupplier clockMillis;
    /** Expiry instant (epoch ms) to the first session of its list. */
    private final TreeMap<Long, SessionAuth> buckets = new TreeMap<>();
    /** The pending run, or null; {@link #armedFor} is the instant it was scheduled for. */
    private ScheduledFuture<?> task;

    private long armedFor;

    public ExpiryTimer(EventExecutor loop) {
        this(loop, System::currentTimeMillis);
    }

    /** With the wall clock (epoch ms) that tokens' expiry is compared against (tests drive both). */
    ExpiryTimer(EventExecutor loop, LongSupplier clockMillis) {
        this.loop = loop;
        this.clockMillis = clockMillis;
    }

    /** Sessions filed and not yet expired or cancelled (diagnostics and tests). */
    int size() {
        int n = 0;
        for (SessionAuth head : buckets.values()) {
            for (SessionAuth s = head; s != null; s = s.nextExpiry) {
                n++;
            }
        }
        return n;
    }

    /** Files the session under {@code atMillis}; it must not be filed already. */
    void add(SessionAuth session, long atMillis) {
        session.expiryAt = atMillis;
        SessionAuth head = buckets.put(atMillis, session);
        session.prevExpiry = null;
        session.nextExpiry = head;
        if (head != null) {
            head.prevExpiry = session;
        }
        if (task == null || atMillis < armedFor) {
            arm(atMillis);
        }
    }

    /** Unfiles the session; a no-op when it is not filed. */
    void remove(SessionAuth session) {
        SessionAuth prev = session.prevExpiry;
        SessionAuth next = session.nextExpiry;
        if (prev != null) {
            prev.nextExpiry = next;
        } else if (buckets.get(session.expiryAt) == session) {
            if (next == null) {
                buckets.remove(session.expiryAt);
            } else {
                buckets.put(session.expiryAt, next);
            }
        } else {
            return; // not filed
        }
        if (next != null) {
            next.prevExpiry = prev;
        }
        session.prevExpiry = null;
        session.nextExpiry = null;
    }

    /** One run: expires every session whose instant has passed, then re-arms for the earliest left. */
    @Override
    public void run() {
        task = null;
        long now = clockMillis.getAsLong();
        for (Map.Entry<Long, SessionAuth> first = buckets.firstEntry();
                first != null && first.getKey() <= now;
                first = buckets.firstEntry()) {
            // one at a time through remove: a callback may cancel or file other sessions meanwhile
            SessionAuth s = first.getValue();
            remove(s);
            expire(s);
        }
        Long earliest = buckets.isEmpty() ? null : buckets.firstKey();
        if (earliest != null && task == null) {
            arm(earliest);
        }
    }

    private static void expire(SessionAuth session) {
        try {
            session.expired();
        } catch (RuntimeException e) {
            // one session's fault must not stop the others' expiry: logged, the next one runs
            LOG.warn("auth.expiry callback failed: {}", e.toString(), e);
        }
    }

    private void arm(long atMillis) {
        if (task != null) {
            task.cancel(false);
        }
        armedFor = atMillis;
        long delay = Math.max(0, atMillis - clockMillis.getAsLong());
        task = loop.schedule(this, delay, TimeUnit.MILLISECONDS);
    }
}
