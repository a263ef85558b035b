package io.stepcast.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis goes away under a running cluster (redis-server, 3 gateways, nginx). Without persistence:
 * the gateways stay up and report not-ready, come back when Redis does, the events the bridge
 * buffered meanwhile are delivered, and clients whose epoch vanished get a reset snapshot, never a
 * silent hole. With AOF: clients resume with {@code recovered:true} and nothing is lost.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisRestartIT {

    @RegisterExtension
    static final ClusterFixture CLUSTER = new ClusterFixture("redis-restart");

    @Test
    @Order(1)
    void redisDownForTenSecondsWithoutPersistenceEndsInResetsNeverInSilentHoles() {
        LocalCluster cluster = CLUSTER.cluster();
        try (ClusterLoad load = steadyLoad("outage")) {
            EventPump pump = load.pump();
            long down = System.nanoTime();
            cluster.stopRedis();
            await("every gateway reports not-ready, and stays alive")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> IntStream.rangeClosed(1, 3)
                            .allMatch(n -> cluster.gatewayStatus(n, "/health/readiness") == 503
                                    && cluster.gatewayStatus(n, "/health/liveness") == 200));
            long buffering = pump.submitted() - pump.published() - pump.failed();
            await("Redis stays down for 10 s")
                    .atMost(Duration.ofSeconds(12))
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> System.nanoTime() - down >= 10_000_000_000L);
            long bufferedAtRestart = pump.submitted() - pump.published() - pump.failed();
            IntStream.rangeClosed(1, 3)
                    .forEach(n -> assertEquals(
                            503,
                            cluster.gatewayStatus(n, "/health/readiness"),
                            "gateway " + n + " is not ready while Redis is down"));
            cluster.startRedis();
            awaitEveryGatewayReady("every gateway ready again");
            load.publishMoreThenStop(600, Duration.ofSeconds(60));

            Tally t = load.settle("Redis down 10 s, no persistence");
            System.out.printf(
                    "[system-test] Redis down 10 s: events buffered in the bridge while Redis was down=%d"
                            + " (when all gateways reported not-ready: %d), resubscribes after 'unavailable'=%d%n",
                    bufferedAtRestart,
                    buffering,
                    load.fleet().clients().stream()
                            .mapToInt(WatchClient::resubscribes)
                            .sum());
            assertTrue(bufferedAtRestart > 0, "the bridge buffered events while Redis was down");
            int subscriptions = load.fleet().clients().size();
            assertAll(
                    t.scenario(),
                    () -> assertEquals(0, pump.failed(), "no publish failed: " + pump.lastFailure()),
                    () -> assertEquals(0, t.lost(), "no silent hole: every client reached the new epoch's head"),
                    () -> assertEquals(0, t.silentEpochChanges(), "a new epoch always came with a snapshot"),
                    () -> assertEquals(0, t.duplicated(), "duplicated"),
                    () -> assertEquals(0, t.errorFrames(), "error frames (other than unavailable)"),
                    () -> assertTrue(
                            t.resets() >= subscriptions, "every client whose epoch vanished got a reset snapshot"));
        }
    }

    @Test
    @Order(2)
    void redisRestartedWithAofLetsClientsResumeWithRecoveredTrue() {
        LocalCluster cluster = CLUSTER.cluster();
        // Switch this cluster's Redis to AOF (the first test left it without persistence).
        cluster.stopRedis();
        cluster.ctlWithEnv("STEPCAST_LOCAL_REDIS_AOF", "yes", "start", "redis");
        awaitEveryGatewayReady("every gateway ready on the AOF Redis");

        try (ClusterLoad load = steadyLoad("aof")) {
            cluster.stopRedis();
            // The clients' connections drop too (a network blip): they reconnect through nginx and
            // resume from their cursors once Redis is back with its append-only file.
            load.fleet().clients().forEach(WatchClient::dropConnection);
            cluster.startRedis();
            Scenario.awaitAllOpen(load.fleet(), Duration.ofSeconds(30));
            load.publishMoreThenStop(600, Duration.ofSeconds(60));
            Tally t = load.settleLossless("Redis restarted with AOF");
            assertTrue(
                    t.recoveredResumes() >= load.fleet().clients().size(), "every client resumed with recovered:true");
        }
    }

    /**
     * 60 clients on 3 fresh plans, and events published to them at 200/s until stopped; returns once
     * the first 1,000 are out, so Redis is taken away from a running stream.
     */
    private static ClusterLoad steadyLoad(String planPrefix) {
        ClusterLoad load = CLUSTER.connect(planPrefix, 3, 60);
        try {
            load.publish(0, 200);
            load.awaitPublished(1_000, Duration.ofSeconds(30));
            return load;
        } catch (RuntimeException | Error e) {
            load.close();
            throw e;
        }
    }

    private static void awaitEveryGatewayReady(String alias) {
        LocalCluster cluster = CLUSTER.cluster();
        await(alias)
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> IntStream.rangeClosed(1, 3)
                        .allMatch(n -> cluster.gatewayStatus(n, "/health/readiness") == 200));
    }
}
