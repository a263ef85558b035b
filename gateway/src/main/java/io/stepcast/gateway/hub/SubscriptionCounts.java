package io.stepcast.gateway.hub;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hub's counts of local plan subscriptions: the total (gauge {@code stepcast.subscriptions}) and
 * per plan (absent at zero, for presence). Thread-safe; the two are changed together but read
 * independently (a reader may see one updated before the other).
 */
final class SubscriptionCounts {

    private final AtomicInteger total = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> perPlan = new ConcurrentHashMap<>();

    SubscriptionCounts(MeterRegistry registry) {
        Gauge.builder("stepcast.subscriptions", total, AtomicInteger::get)
                .description("Plan subscriptions of local clients")
                .register(registry);
    }

    /** One subscription more ({@code delta} 1) or less (-1) of a plan. */
    void add(String planId, int delta) {
        total.addAndGet(delta);
        perPlan.merge(planId, delta, (now, d) -> now + d == 0 ? null : now + d);
    }

    int total() {
        return total.get();
    }

    /** A live, unmodifiable view: plan id → its local subscriptions. */
    Map<String, Integer> byPlan() {
        return Collections.unmodifiableMap(perPlan);
    }
}
