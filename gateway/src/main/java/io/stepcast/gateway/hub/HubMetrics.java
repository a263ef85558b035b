package io.stepcast.gateway.hub;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The hub's meters (DESIGN.md §6):
 * <ul>
 *   <li>{@code stepcast.frames.out} counter: event deliveries to subscribers (one per recipient);</li>
 *   <li>{@code stepcast.delivery.latency} timer with histogram: publisher {@code ts} → fan-out, once
 *       per frame (not per recipient);</li>
 *   <li>{@code stepcast.resumes{result=recovered|reset}} counter: subscriptions with a cursor;</li>
 *   <li>{@code stepcast.gaps.repaired} counter: live holes filled from the log;</li>
 *   <li>{@code stepcast.resyncs} counter: plans restarted from a snapshot under live subscribers;</li>
 *   <li>{@code stepcast.resubscribe.retries} counter: re-subscriptions of a plan channel that failed
 *       while Redis was away and are tried again (live subscribers kept).</li>
 * </ul>
 * The gauges {@code stepcast.redis.channels} and {@code stepcast.subscriptions} are registered by
 * {@link DefaultPlanHub}. Thread-safe.
 */
final class HubMetrics {

    private final Counter framesOut;
    private final Timer latency;
    private final Counter recovered;
    private final Counter reset;
    private final Counter gapsRepaired;
    private final Counter resyncs;
    private final Counter resubscribeRetries;

    HubMetrics(MeterRegistry registry) {
        framesOut = Counter.builder("stepcast.frames.out")
                .description("Event frames delivered to subscribers (one per recipient)")
                .register(registry);
        latency = Timer.builder("stepcast.delivery.latency")
                .description("Publisher timestamp to fan-out, once per frame")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        recovered = resumes(registry, "recovered");
        reset = resumes(registry, "reset");
        gapsRepaired = Counter.builder("stepcast.gaps.repaired")
                .description("Live holes repaired from the plan log")
                .register(registry);
        resyncs = Counter.builder("stepcast.resyncs")
                .description("Plans restarted from a snapshot under live subscribers (epoch change, log gone)")
                .register(registry);
        resubscribeRetries = Counter.builder("stepcast.resubscribe.retries")
                .description("Failed re-subscriptions of plan channels while Redis was away, tried again")
                .register(registry);
    }

    private static Counter resumes(MeterRegistry registry, String result) {
        return Counter.builder("stepcast.resumes")
                .tag("result", result)
                .description("Subscriptions with a resume cursor, by outcome")
                .register(registry);
    }

    void delivered(int recipients) {
        if (recipients > 0) {
            framesOut.increment(recipients);
        }
    }

    void fannedOut(SharedFrame frame) {
        long ts = Frames.tsMillis(frame.bytes());
        if (ts > 0) {
            latency.record(Math.max(0, System.currentTimeMillis() - ts), TimeUnit.MILLISECONDS);
        }
    }

    void resumed(boolean wasRecovered) {
        (wasRecovered ? recovered : reset).increment();
    }

    void gapRepaired() {
        gapsRepaired.increment();
    }

    void resynced() {
        resyncs.increment();
    }

    void resubscribeFailed() {
        resubscribeRetries.increment();
    }
}
