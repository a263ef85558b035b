package io.stepcast.gateway.presence;

import static io.stepcast.gateway.presence.PresenceProbe.connections;
import static io.stepcast.gateway.presence.PresenceProbe.subscribed;
import static io.stepcast.gateway.presence.PresenceProbe.watchers;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stepcast.bridge.testing.TestRedisCluster;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Presence on a Redis Cluster: every presence key is in the {@code {_presence}} slot, so the one
 * script runs there unchanged. Each test uses its own key prefix, so the totals are its own.
 */
class ClusterPresenceIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private static TestRedisCluster cluster;

    @BeforeAll
    static void start() {
        TestRedisCluster.assumeAvailable();
        cluster = TestRedisCluster.shared();
    }

    private static TestGateway gateway(String prefix, String heartbeat) {
        return TestGateway.onCluster(
                cluster.uri(), Map.of("stepcast.redis.prefix", prefix, "stepcast.presence.heartbeat", heartbeat));
    }

    private static String prefix() {
        return "pr" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void gatewaysOnAClusterCountTogetherAndACrashedOneDropsOut() {
        String prefix = prefix();
        String plan = TestGateway.planId("cluster-seen");
        try (TestGateway a = gateway(prefix, "300ms");
                TestGateway b = gateway(prefix, "300ms");
                WsClient onA = subscribed(a, plan);
                WsClient onB = subscribed(b, plan);
                WsClient alsoOnB = subscribed(b, plan)) {
            await().atMost(WAIT).until(() -> watchers(a, plan) == 3 && watchers(b, plan) == 3);
            await().atMost(WAIT).until(() -> connections(a) == 3);
            b.context().getBean(LettucePresence.class).stopHeartbeat(); // as if b crashed
            await().atMost(WAIT).until(() -> watchers(a, plan) == 1 && connections(a) == 1);
        }
    }

    @Test
    void aGatewayOnAClusterThatShutsDownGracefullyLeavesAtOnce() {
        String prefix = prefix();
        String plan = TestGateway.planId("cluster-leave");
        try (TestGateway a = gateway(prefix, "300ms");
                WsClient onA = subscribed(a, plan)) {
            // b's deadline is 20 s after its last heartbeat: only its leaving can remove it at once; a
            // watcher it gains after its first heartbeat (1 s after start) counts from its next one
            TestGateway b = gateway(prefix, "10s");
            try (WsClient onB = subscribed(b, plan)) {
                await().atMost(WAIT.plusSeconds(10)).until(() -> watchers(a, plan) == 2);
                b.close();
                assertEquals(1, watchers(a, plan), "b's share is gone as soon as it stopped");
                assertEquals(1, connections(a));
            }
        }
    }
}
