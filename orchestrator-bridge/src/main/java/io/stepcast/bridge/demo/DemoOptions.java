package io.stepcast.bridge.demo;

import io.stepcast.bridge.RedisLayout;
import java.time.Duration;

/**
 * Settings of a {@link DemoOrchestrator}; start from {@link #defaults()}.
 *
 * @param plans           how many plans run side by side ({@code <planPrefix>1 .. <planPrefix>N})
 * @param planPrefix      prefix of the plan ids, e.g. {@code demo-}
 * @param eventsPerSecond total publish rate over all plans
 * @param failureRate     probability (0..1) that a run fails at one of its steps
 * @param pause           idle time between the end of a run and the next {@code plan_started}
 * @param seed            seed of the simulation's randomness (same seed, same runs)
 */
public record DemoOptions(
        int plans, String planPrefix, double eventsPerSecond, double failureRate, Duration pause, long seed) {

    /** Most plans one demo simulates. */
    public static final int MAX_PLANS = 10_000;

    public DemoOptions {
        if (plans < 1 || plans > MAX_PLANS) {
            throw new IllegalArgumentException("plans must be 1-" + MAX_PLANS + ", was " + plans);
        }
        if (planPrefix == null || !RedisLayout.isValidPlanId(planPrefix + plans)) {
            throw new IllegalArgumentException("planPrefix must form valid plan ids: " + planPrefix);
        }
        if (!(eventsPerSecond > 0) || eventsPerSecond > 1_000_000) {
            throw new IllegalArgumentException("eventsPerSecond must be in (0, 1000000], was " + eventsPerSecond);
        }
        if (!(failureRate >= 0 && failureRate <= 1)) {
            throw new IllegalArgumentException("failureRate must be in [0, 1], was " + failureRate);
        }
        if (pause == null || pause.isNegative()) {
            throw new IllegalArgumentException("pause must be zero or positive");
        }
    }

    /** 3 plans {@code demo-1..demo-3}, 20 events/s, 20 % of runs fail, 3 s between runs, random seed. */
    public static DemoOptions defaults() {
        return new DemoOptions(3, "demo-", 20, 0.2, Duration.ofSeconds(3), System.nanoTime());
    }

    public DemoOptions withPlans(int plans) {
        return new DemoOptions(plans, planPrefix, eventsPerSecond, failureRate, pause, seed);
    }

    public DemoOptions withPlanPrefix(String planPrefix) {
        return new DemoOptions(plans, planPrefix, eventsPerSecond, failureRate, pause, seed);
    }

    public DemoOptions withRate(double eventsPerSecond) {
        return new DemoOptions(plans, planPrefix, eventsPerSecond, failureRate, pause, seed);
    }

    public DemoOptions withFailureRate(double failureRate) {
        return new DemoOptions(plans, planPrefix, eventsPerSecond, failureRate, pause, seed);
    }

    public DemoOptions withPause(Duration pause) {
        return new DemoOptions(plans, planPrefix, eventsPerSecond, failureRate, pause, seed);
    }

    public DemoOptions withSeed(long seed) {
        return new DemoOptions(plans, planPrefix, eventsPerSecond, failureRate, pause, seed);
    }

    /** The id of plan {@code n} (1-based). */
    public String planId(int n) {
        return planPrefix + n;
    }
}
