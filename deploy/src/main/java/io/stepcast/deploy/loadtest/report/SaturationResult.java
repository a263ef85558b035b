package io.stepcast.deploy.loadtest.report;

import java.util.List;

/**
 * A saturation search of one system: fan-out steps at rising offered rates.
 *
 * @param p99LimitMs            a step holds when its p99 is at most this, nothing was lost,
 *                              duplicated or closed, and it drained
 * @param steps                 every step, in the order run
 * @param sustainedRate         the highest offered ev/s that held; NaN when none did
 * @param sustainedDeliveredPerSec deliveries/s of that step: the system's "sustained deliveries/s at
 *                              p99 ≤ limit"; NaN when none held
 */
public record SaturationResult(
        String system, double p99LimitMs, List<RateStep> steps, double sustainedRate, double sustainedDeliveredPerSec) {

    /** Whether a step held under {@code p99LimitMs}. */
    public static boolean holds(RateStep s, double p99LimitMs) {
        return !s.saturated()
                && s.lost() == 0
                && s.duplicated() == 0
                && s.closed() == 0
                && s.latency().p99Ms() <= p99LimitMs;
    }
}
