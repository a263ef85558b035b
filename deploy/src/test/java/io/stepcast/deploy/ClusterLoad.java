package io.stepcast.deploy;

import io.stepcast.bridge.RedisMode;
import java.time.Duration;
import java.util.List;

/**
 * The load of one system-test scenario: a {@link ClientFleet} connected through the cluster's load
 * balancer, each client watching one of a few fresh plans (round robin), and the {@link EventPump}
 * that publishes to those plans straight into Redis. Closing it stops the pump and the clients.
 *
 * <p>Not thread-safe: driven by the test thread; the pump and the clients run on their own threads.
 */
final class ClusterLoad implements AutoCloseable {

    private static final Duration CONNECT = Duration.ofSeconds(60);
    private static final Duration SETTLE = Duration.ofSeconds(90);

    private final ClientFleet fleet;
    private final EventPump pump;
    private long startNanos;

    private ClusterLoad(ClientFleet fleet, EventPump pump) {
        this.fleet = fleet;
        this.pump = pump;
    }

    /**
     * Opens {@code clients} clients, client i watching plan {@code i % plans} of {@code plans} fresh
     * plans named after {@code planPrefix}, and waits until every one is subscribed. Nothing is
     * published yet.
     */
    static ClusterLoad connect(LocalCluster cluster, String planPrefix, int plans, int clients) {
        return connect(cluster, Scenario.plans(planPrefix, plans), clients, 0);
    }

    /** As {@link #connect(LocalCluster, String, int, int)} for these plans; the pump waits for {@code waitReplicas}. */
    static ClusterLoad connect(LocalCluster cluster, List<String> planIds, int clients, int waitReplicas) {
        int plans = planIds.size();
        ClientFleet fleet = new ClientFleet(cluster.wsUri(), clients, i -> List.of(planIds.get(i % plans)));
        EventPump pump = null;
        try {
            pump = new EventPump(
                    cluster.redisUri(),
                    planIds,
                    cluster.redisCluster() ? RedisMode.CLUSTER : RedisMode.STANDALONE,
                    waitReplicas);
            fleet.connectAll(CONNECT);
            return new ClusterLoad(fleet, pump);
        } catch (RuntimeException | Error e) {
            if (pump != null) {
                pump.close();
            }
            fleet.close();
            throw e;
        }
    }

    ClientFleet fleet() {
        return fleet;
    }

    EventPump pump() {
        return pump;
    }

    /**
     * Starts publishing {@code total} events (0 = until stopped) at {@code perSecond} in the
     * background; the scenario's time, as {@link #settle} prints it, starts now.
     */
    void publish(long total, int perSecond) {
        startNanos = System.nanoTime();
        pump.start(total, perSecond);
    }

    /** Waits until at least {@code count} events were published in all. */
    void awaitPublished(long count, Duration timeout) {
        Scenario.awaitPublished(pump, count, timeout);
    }

    /** Waits until {@code more} events beyond those published so far are out, then stops publishing. */
    void publishMoreThenStop(long more, Duration timeout) {
        awaitPublished(pump.published() + more, timeout);
        pump.stop();
    }

    /** {@link Scenario#settle} for this load: waits for the pump and the clients, prints and returns the counts. */
    Tally settle(String scenario) {
        return Scenario.settle(scenario, fleet, pump, startNanos, SETTLE);
    }

    /** {@link #settle}, then requires that every client got every event of its plans exactly once, in order. */
    Tally settleLossless(String scenario) {
        Tally t = settle(scenario);
        Scenario.assertLossless(t, pump);
        return t;
    }

    @Override
    public void close() {
        try {
            pump.close();
        } finally {
            fleet.close();
        }
    }
}
