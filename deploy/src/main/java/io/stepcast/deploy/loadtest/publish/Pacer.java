package io.stepcast.deploy.loadtest.publish;

import io.stepcast.deploy.loadtest.client.PublishedPlan;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes at a fixed rate, round robin over plans. Each event carries its <em>intended</em>
 * publish time (start + i / rate), so a publisher that falls behind shows up as latency instead of
 * hiding it (no coordinated omission).
 */
public final class Pacer {

    private Pacer() {}

    /** Publishes {@code rate × duration} events; returns how many. */
    public static long run(
            EventSource source, List<PublishedPlan> plans, double rate, Duration duration, long timeBase) {
        long period = (long) (1_000_000_000L / rate);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        long i = 0;
        int n = plans.size();
        while (true) {
            long due = start + i * period;
            if (due >= end) {
                return i;
            }
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
                continue;
            }
            source.publish(plans.get((int) (i % n)), due - timeBase);
            i++;
        }
    }
}
