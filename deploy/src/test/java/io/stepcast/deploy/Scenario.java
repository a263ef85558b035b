package io.stepcast.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.core.ConditionTimeoutException;

/** Shared steps of the system tests: plan ids, settling, printing, the zero-loss verdict. */
final class Scenario {

    private static final Pattern CONNECTIONS =
            Pattern.compile("(?m)^stepcast_connections(?:\\{[^}]*})?\\s+([0-9.eE+-]+)");

    private Scenario() {}

    /** Fresh plan ids for one scenario (every scenario watches plans no other has touched). */
    static List<String> plans(String prefix, int count) {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(prefix + "-" + run + "-" + i);
        }
        return out;
    }

    /**
     * Waits for the publisher to settle and the clients to reach every plan's head (a timeout is
     * not thrown: the tally then shows what is missing), prints the counts and returns them.
     */
    static Tally settle(String name, ClientFleet fleet, EventPump pump, long startNanos, Duration timeout) {
        pump.awaitSettled(timeout);
        Map<String, ClientFleet.PlanHead> heads = pump.heads();
        try {
            fleet.awaitConverged(heads, timeout);
        } catch (ConditionTimeoutException e) {
            System.out.println("[system-test] " + name + ": clients did not all reach the heads within " + timeout
                    + "; some of them:");
            fleet.laggards(heads, 10).forEach(l -> System.out.println("[system-test]   " + l));
        }
        return fleet.tally(name, pump.heads(), pump.published()).print((System.nanoTime() - startNanos) / 1e9);
    }

    /** Every client received every event of its plans exactly once, in order, with no reset. */
    static void assertLossless(Tally t, EventPump pump) {
        assertAll(
                t.scenario(),
                () -> assertEquals(0, pump.failed(), "publishes failed: " + pump.lastFailure()),
                () -> assertEquals(0, t.lost(), "lost"),
                () -> assertEquals(0, t.duplicated(), "duplicated"),
                () -> assertEquals(0, t.resets(), "resets"),
                () -> assertEquals(0, t.silentEpochChanges(), "silent epoch changes"),
                () -> assertEquals(0, t.errorFrames(), "error frames"),
                () -> assertEquals(t.expectedDeliveries(), t.delivered(), "deliveries"));
    }

    /** Open client connections per gateway, from each gateway's stepcast_connections gauge. */
    static Map<Integer, Long> connectionsPerGateway(LocalCluster cluster) {
        Map<Integer, Long> out = new LinkedHashMap<>();
        for (int n = 1; n <= cluster.gateways(); n++) {
            Matcher m = CONNECTIONS.matcher(cluster.gatewayBody(n, "/prometheus"));
            out.put(n, m.find() ? (long) Double.parseDouble(m.group(1)) : -1L);
        }
        return out;
    }

    static void awaitAllOpen(ClientFleet fleet, Duration timeout) {
        await("every client connected again")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> fleet.clients().stream().allMatch(WatchClient::isOpen));
    }

    static void awaitPublished(EventPump pump, long count, Duration timeout) {
        await("events published")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> pump.published() >= count);
    }

    /** Gateway configuration for the system tests: a short drain so a stop takes seconds. */
    static Map<String, String> gatewayEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("STEPCAST_WS_DRAIN_WINDOW", "2s");
        env.put("STEPCAST_WS_RECONNECT_AFTER_MAX", "500ms");
        return env;
    }
}
