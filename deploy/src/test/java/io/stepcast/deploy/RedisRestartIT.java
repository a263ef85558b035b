package io.stepcast.deploy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis goes away under a running cluster (redis-server, 3 gateways, nginx). Without persistence:
 * the gateways stay up and report not-ready, come back when Redis does, the events the bridge
 * buffered meanwhile are delivered, and clients whose epoch vanished get a reset snapshot, never a
 * silent hole. With AOF: clients resume with {@code recovered:true} and nothing is lost.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisRestartIT {

    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        SystemTools.assumeClusterTools();
        cluster = LocalCluster.start("redis-restart", 3, false, Scenario.gatewayEnv());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void redisDownForTenSecondsWithoutPersistenceEndsInResetsNeverInSilentHoles() {
        List<String> plans = Scenario.plans("outage", 3);
        try (ClientFleet fleet = new ClientFleet(cluster.wsUri(), 60, i -> List.of(plans.get(i % 3)));
             EventPump pump = new EventPump(cluster.redisUri(), plans)) {
            fleet.connectAll(Duration.ofSeconds(60));
            long start = System.nanoTime();
            pump.start(0, 200);
            Scenario.awaitPublished(pump, 1_000, Duration.ofSeconds(30));

            long down = System.nanoTime();
            cluster.stopRedis();
            await("every gateway reports not-ready, and stays alive").atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> IntStream.rangeClosed(1, 3).allMatch(n -> cluster.gatewayStatus(n, "/health/readiness") == 503
                            && cluster.gatewayStatus(n, "/health/liveness") == 200));
            long buffering = pump.submitted() - pump.published() - pump.failed();
            await("Redis stays down for 10 s").atMost(Duration.ofSeconds(12)).pollInterval(Duration.ofMillis(100))
                    .until(() -> System.nanoTime() - down >= 10_000_000_000L);
            long bufferedAtRestart = pump.submitted() - pump.published() - pump.failed();
            IntStream.rangeClosed(1, 3).forEach(n -> assertEquals(503, cluster.gatewayStatus(n, "/health/readiness"),
                    "gateway " + n + " is not ready while Redis is down"));
            cluster.startRedis();
            await("every gateway ready again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> IntStream.rangeClosed(1, 3).allMatch(n -> cluster.gatewayStatus(n, "/health/readiness") == 200));
            long after = pump.published();
            Scenario.awaitPublished(pump, after + 600, Duration.ofSeconds(60));
            pump.stop();

            Tally t = Scenario.settle("Redis down 10 s, no persistence", fleet, pump, start, SETTLE);
            System.out.printf("[system-test] Redis down 10 s: events buffered in the bridge while Redis was down=%d"
                    + " (when all gateways reported not-ready: %d), resubscribes after 'unavailable'=%d%n", bufferedAtRestart, buffering,
                    fleet.clients().stream().mapToInt(WatchClient::resubscribes).sum());
            assertTrue(bufferedAtRestart > 0, "the bridge buffered events while Redis was down");
            int subscriptions = fleet.clients().size();
            assertAll(t.scenario(),
                    () -> assertEquals(0, pump.failed(), "no publish failed: " + pump.lastFailure()),
                    () -> assertEquals(0, t.lost(), "no silent hole: every client reached the new epoch's head"),
                    () -> assertEquals(0, t.silentEpochChanges(), "a new epoch always came with a snapshot"),
                    () -> assertEquals(0, t.duplicated(), "duplicated"),
                    () -> assertEquals(0, t.errorFrames(), "error frames (other than unavailable)"),
                    () -> assertTrue(t.resets() >= subscriptions, "every client whose epoch vanished got a reset snapshot"));
        }
    }

    @Test
    @Order(2)
    void redisRestartedWithAofLetsClientsResumeWithRecoveredTrue() {
        // Switch this cluster's Redis to AOF (the first test left it without persistence).
        cluster.stopRedis();
        cluster.ctlWithEnv("STEPCAST_LOCAL_REDIS_AOF", "yes", "start", "redis");
        await("every gateway ready on the AOF Redis").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> IntStream.rangeClosed(1, 3).allMatch(n -> cluster.gatewayStatus(n, "/health/readiness") == 200));

        List<String> plans = Scenario.plans("aof", 3);
        try (ClientFleet fleet = new ClientFleet(cluster.wsUri(), 60, i -> List.of(plans.get(i % 3)));
             EventPump pump = new EventPump(cluster.redisUri(), plans)) {
            fleet.connectAll(Duration.ofSeconds(60));
            long start = System.nanoTime();
            pump.start(0, 200);
            Scenario.awaitPublished(pump, 1_000, Duration.ofSeconds(30));
            cluster.stopRedis();
            // The clients' connections drop too (a network blip): they reconnect through nginx and
            // resume from their cursors once Redis is back with its append-only file.
            fleet.clients().forEach(WatchClient::dropConnection);
            cluster.startRedis();
            Scenario.awaitAllOpen(fleet, Duration.ofSeconds(30));
            long after = pump.published();
            Scenario.awaitPublished(pump, after + 600, Duration.ofSeconds(60));
            pump.stop();
            Tally t = Scenario.settle("Redis restarted with AOF", fleet, pump, start, SETTLE);
            Scenario.assertLossless(t, pump);
            assertTrue(t.recoveredResumes() >= fleet.clients().size(), "every client resumed with recovered:true");
        }
    }
}
