package io.stepcast.deploy.loadtest.client;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/** Counters shared by all connections of one run: latency (µs), deliveries, closes. Thread-safe. */
public final class FleetStats {

    /** Publish→receive latency in microseconds, 1 µs … 5 min, 3 significant digits. */
    private final Recorder latencyMicros = new Recorder(3);

    public final LongAdder delivered = new LongAdder();
    public final LongAdder closed = new LongAdder();
    public final LongAdder errors = new LongAdder();
    public final LongAdder subscribed = new LongAdder();
    public final long timeBase;

    public FleetStats(long timeBase) {
        this.timeBase = timeBase;
    }

    public void record(long publishedRelNanos, long nowNanos) {
        long micros = (nowNanos - timeBase - publishedRelNanos) / 1000;
        latencyMicros.recordValue(Math.max(0, Math.min(micros, 300_000_000L)));
    }

    /** The latencies recorded since the previous call (the first call discards warm-up). */
    public Histogram takeLatency() {
        return latencyMicros.getIntervalHistogram();
    }
}
