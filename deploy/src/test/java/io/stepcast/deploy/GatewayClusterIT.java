package io.stepcast.deploy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real cluster on loopback (redis-server, 3 gateway JVMs, nginx; started by deploy/local/up.sh),
 * driven only through nginx as users would: fan-out, a gateway killed with SIGKILL, a gateway
 * stopped with SIGTERM (drain), and a rolling restart of every gateway, each under load and each
 * required to lose and duplicate nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayClusterIT {

    private static final Duration SETTLE = Duration.ofSeconds(90);
    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        SystemTools.assumeClusterTools();
        cluster = LocalCluster.start("gateways", 3, false, Scenario.gatewayEnv());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1)
    void fanOutDeliversEveryEventOfItsPlansToEachOf200ClientsExactlyOnceInOrder() {
        List<String> plans = Scenario.plans("fan", 5);
        try (ClientFleet fleet = new ClientFleet(cluster.wsUri(), 200, i -> List.of(plans.get(i % 5)));
             EventPump pump = new EventPump(cluster.redisUri(), plans)) {
            fleet.connectAll(Duration.ofSeconds(60));
            Map<Integer, Long> spread = Scenario.connectionsPerGateway(cluster);
            System.out.println("[system-test] fan-out: connections per gateway " + spread);
            long start = System.nanoTime();
            pump.start(20_000, 1_000);
            Tally t = Scenario.settle("fan-out", fleet, pump, start, SETTLE);
            Scenario.assertLossless(t, pump);
            assertEquals(20_000, pump.published());
            // A client that falls behind on this shared 2-core box may be closed as a slow consumer
            // and resume (reconnects > 0 in the printed counts); what counts is that it lost nothing.
            spread.forEach((gw, n) -> assertTrue(n > 0, "gateway " + gw + " serves clients: " + spread));
        }
    }

    @Test
    @Order(2)
    void killingAGatewayMidStreamMovesItsClientsToTheOthersWithNothingLost() {
        List<String> plans = Scenario.plans("kill", 3);
        try (ClientFleet fleet = new ClientFleet(cluster.wsUri(), 90, i -> List.of(plans.get(i % 3)));
             EventPump pump = new EventPump(cluster.redisUri(), plans)) {
            fleet.connectAll(Duration.ofSeconds(60));
            long start = System.nanoTime();
            pump.start(6_000, 400);
            Scenario.awaitPublished(pump, 1_500, Duration.ofSeconds(30));
            cluster.killGateway(2);
            Scenario.awaitAllOpen(fleet, Duration.ofSeconds(30));
            Tally t = Scenario.settle("kill -9 gateway 2", fleet, pump, start, SETTLE);
            Scenario.assertLossless(t, pump);
            assertTrue(t.reconnects() > 0, "the killed gateway's clients reconnected");
            assertTrue(t.recoveredResumes() > 0, "the moved clients resumed with recovered:true");
        } finally {
            cluster.startGateway(2);
        }
    }

    @Test
    @Order(3)
    void aGatewayStoppedWithSigtermDrainsItsClientsToTheOthersWithNothingLost() {
        List<String> plans = Scenario.plans("drain", 3);
        try (ClientFleet fleet = new ClientFleet(cluster.wsUri(), 90, i -> List.of(plans.get(i % 3)));
             EventPump pump = new EventPump(cluster.redisUri(), plans)) {
            fleet.connectAll(Duration.ofSeconds(60));
            long start = System.nanoTime();
            pump.start(6_000, 400);
            Scenario.awaitPublished(pump, 1_500, Duration.ofSeconds(30));
            cluster.stopGateway(1);
            Scenario.awaitAllOpen(fleet, Duration.ofSeconds(30));
            Tally t = Scenario.settle("SIGTERM gateway 1 (drain)", fleet, pump, start, SETTLE);
            Scenario.assertLossless(t, pump);
            assertTrue(t.closes1012() > 0, "the drained clients were closed with 1012");
            assertTrue(t.reconnectFrames() > 0, "the drained clients got a reconnect frame");
            assertTrue(t.recoveredResumes() > 0, "the moved clients resumed with recovered:true");
        } finally {
            cluster.startGateway(1);
        }
    }

    @Test
    @Order(4)
    void aRollingRestartOfEveryGatewayUnderLoadLosesNothing() {
        List<String> plans = Scenario.plans("roll", 3);
        try (ClientFleet fleet = new ClientFleet(cluster.wsUri(), 90, i -> List.of(plans.get(i % 3)));
             EventPump pump = new EventPump(cluster.redisUri(), plans)) {
            fleet.connectAll(Duration.ofSeconds(60));
            long start = System.nanoTime();
            pump.start(0, 300);
            Scenario.awaitPublished(pump, 1_000, Duration.ofSeconds(30));
            cluster.rollingRestart();
            long after = pump.published();
            Scenario.awaitPublished(pump, after + 600, Duration.ofSeconds(30));
            pump.stop();
            Tally t = Scenario.settle("rolling restart of 3 gateways", fleet, pump, start, SETTLE);
            Scenario.assertLossless(t, pump);
            assertTrue(t.closes1012() >= fleet.clients().size() / 2, "the restarts drained clients (1012)");
            assertTrue(t.recoveredResumes() > 0, "the moved clients resumed with recovered:true");
        }
    }
}
