package io.stepcast.gateway.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulated orchestrator of demo mode, running in-process and publishing into the embedded
 * Redis through the orchestrator-bridge, exactly as a real orchestrator would.
 *
 * <p>Until the bridge's {@code DemoOrchestrator} lands this only names the demo plans.
 */
final class DemoSimulation implements AutoCloseable {

    private final List<String> planIds;

    private DemoSimulation(List<String> planIds) {
        this.planIds = List.copyOf(planIds);
    }

    static DemoSimulation start(String redisUri, List<String> planIds) {
        return new DemoSimulation(planIds);
    }

    /** The ids of {@code count} demo plans: {@code demo-1}, {@code demo-2}, ... */
    static List<String> planIds(int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add("demo-" + i);
        }
        return ids;
    }

    List<String> planIds() {
        return planIds;
    }

    @Override
    public void close() {
    }
}
