package io.stepcast.deploy.loadtest.client;

import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One client connection of the fleet watching one plan, judged by seq: each delivered event must be
 * {@code last + 1}; a lower seq is a duplicate, a higher one a gap (lost events). Fields are written
 * only by the connection's event loop and read by the scenario thread (volatile: single writer).
 */
public final class Conn {

    private final int id;
    private final PublishedPlan plan;
    private final FleetStats stats;
    volatile Channel channel;

    private volatile long last;
    private volatile long lost;
    private volatile long dup;
    private volatile long delivered;
    private volatile boolean subscribed;
    private volatile Boolean recovered;
    private volatile String epoch;
    private volatile long snapshots;
    private volatile long errors;
    private volatile long subscribedAtNanos;
    private volatile long target = Long.MAX_VALUE;
    private volatile long reachedTargetNanos;
    private volatile boolean resume;
    private volatile long periodStart;
    private final AtomicReference<Runnable> ready = new AtomicReference<>();

    public Conn(int id, PublishedPlan plan, FleetStats stats) {
        this.id = id;
        this.plan = plan;
        this.stats = stats;
    }

    // ---- called on the event loop by a Wire ------------------------------------------------------

    /** An event with this seq arrived; {@code publishedRel} is its publish time, -1 if unknown. */
    public void onEvent(long seq, long publishedRel) {
        long now = System.nanoTime();
        long l = last;
        if (seq <= l) {
            dup++;
            return;
        }
        if (seq > l + 1) {
            lost += seq - l - 1;
        }
        last = seq;
        delivered++;
        stats.delivered.increment();
        if (publishedRel >= 0 && plan.measured(seq)) {
            stats.record(publishedRel, now);
        }
        if (seq >= target && reachedTargetNanos == 0) {
            reachedTargetNanos = now;
        }
    }

    /**
     * The server confirmed the subscription. {@code seq >= 0} (Stepcast) is where the stream starts
     * unless it was a recovery; the peers know no seq (-1): the scenario sets the start.
     */
    public void onSubscribed(long seq, String epoch, Boolean recovered) {
        this.recovered = recovered;
        if (epoch != null) {
            this.epoch = epoch;
        }
        if (seq >= 0 && !Boolean.TRUE.equals(recovered)) {
            last = seq;
        }
        subscribedAtNanos = System.nanoTime();
        subscribed = true;
        stats.subscribed.increment();
        fireReady();
    }

    public void onSnapshot() {
        snapshots++;
    }

    /** An error frame: a failed subscription will not be confirmed, so the connect wait ends here. */
    public void onError() {
        errors++;
        stats.errors.increment();
        fireReady();
    }

    void onClosed() {
        subscribed = false;
        stats.closed.increment();
        fireReady();
    }

    /** Runs the hook once, at the next subscription confirmation or close. */
    void armReady(Runnable hook) {
        ready.set(hook);
    }

    void fireReady() {
        Runnable r = ready.getAndSet(null);
        if (r != null) {
            r.run();
        }
    }

    // ---- scenario side ---------------------------------------------------------------------------

    public int id() {
        return id;
    }

    public PublishedPlan plan() {
        return plan;
    }

    public Channel channel() {
        return channel;
    }

    public long last() {
        return last;
    }

    public long lost() {
        return lost;
    }

    public long dup() {
        return dup;
    }

    public long delivered() {
        return delivered;
    }

    public boolean subscribed() {
        return subscribed;
    }

    public Boolean recovered() {
        return recovered;
    }

    public String epoch() {
        return epoch;
    }

    public long snapshots() {
        return snapshots;
    }

    public long errors() {
        return errors;
    }

    public long subscribedAtNanos() {
        return subscribedAtNanos;
    }

    public long reachedTargetNanos() {
        return reachedTargetNanos;
    }

    /** Whether the next connect resumes from {@link #last()} and {@link #epoch()}. */
    public boolean resume() {
        return resume;
    }

    /**
     * Starts a counting period with the publisher quiet: the stream continues at {@code fromSeq + 1},
     * and the counters restart.
     */
    public void startPeriod(long fromSeq) {
        periodStart = fromSeq;
        last = fromSeq;
        lost = 0;
        dup = 0;
        delivered = 0;
    }

    /** Prepares a reconnect that resumes from where this connection stopped. */
    public void prepareResume(long targetSeq) {
        resume = true;
        subscribed = false;
        recovered = null;
        snapshots = 0;
        lost = 0;
        dup = 0;
        delivered = 0;
        target = targetSeq;
        reachedTargetNanos = 0;
    }

    /** Deliveries due since the period started: {@code plan.issued() - start}. */
    public long expectedInPeriod() {
        return plan.issued() - periodStart;
    }

    /** Events still missing at the end of a period: {@code plan.issued() - last}, never negative. */
    public long missingAtEnd() {
        return Math.max(0, plan.issued() - last);
    }
}
