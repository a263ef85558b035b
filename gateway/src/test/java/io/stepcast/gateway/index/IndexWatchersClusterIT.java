package io.stepcast.gateway.index;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepState;
import io.stepcast.bridge.event.StepStatus;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.testing.TestRedisCluster;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Watcher counts of an index watch on two cluster-mode gateways: a watcher on the other gateway is
 * counted (presence in the {@code {_presence}} slot, the index in {@code {_plans}}), also by a watch
 * that resumed with {@code recovered:true} (its page's ids read without summaries). Presence
 * heartbeats every 300 ms; the waits cover many of them.
 */
class IndexWatchersClusterIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static LettuceEventPublisher publisher;
    private static TestGateway a;
    private static TestGateway b;

    @BeforeAll
    static void start() {
        TestRedisCluster.assumeAvailable();
        TestRedisCluster cluster = TestRedisCluster.shared();
        String prefix = "ciw" + RUN;
        Map<String, Object> props = Map.of("stepcast.redis.prefix", prefix, "stepcast.presence.heartbeat", "300ms");
        publisher = LettuceEventPublisher.create(
                cluster.uri(),
                BridgeConfig.builder()
                        .prefix(prefix)
                        .redisMode(RedisMode.CLUSTER)
                        .build());
        a = TestGateway.onCluster(cluster.uri(), props);
        b = TestGateway.onCluster(cluster.uri(), props);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable open : new AutoCloseable[] {publisher, a, b}) {
            if (open != null) {
                open.close();
            }
        }
    }

    /** A connection to gateway b subscribed to the plan. */
    private static WsClient watcherOnB(String plan) throws Exception {
        WsClient onB = WsClient.connect(b.wsUri());
        onB.next("connected");
        await().atMost(WAIT)
                .until(
                        () -> { // b's Redis connections may still be coming up
                            onB.send("{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\"}");
                            return onB.next().path("type").asText().equals("subscribed");
                        });
        return onB;
    }

    @Test
    void aWatchOnAClusterGatewayCountsWatchersOnAnotherGateway() throws Exception {
        String plan = "c" + RUN + "-1";
        publisher.publish(plan, new PlanStarted("p", List.of("s"))).join();
        try (WsClient watch = WsClient.connect(a.wsUri())) {
            watch.next("connected");
            watch.send("{\"type\":\"watch_plans\",\"prefix\":\"c" + RUN + "-\"}");
            WatcherTally tally = new WatcherTally();
            tally.frame(watch.next("plans"));
            assertEquals(0, tally.latest(plan));
            try (WsClient onB = watcherOnB(plan)) {
                tally.follow(watch, WAIT, () -> tally.latest(plan) == 1);
                publisher
                        .publish(plan, new StepStatus(0, "s", StepState.RUNNING))
                        .join();
                tally.follow(watch, WAIT, () -> tally.lastUpdate(plan) != null);
                assertEquals(1, tally.lastUpdate(plan), "the update carries the count");
            }
            tally.follow(watch, WAIT, () -> tally.latest(plan) == 0);
        }
    }

    @Test
    void aRecoveredWatchOnAClusterGatewayCountsAPlanOfItsPageWithoutAnUpdate() throws Exception {
        String plan = "r" + RUN + "-1";
        publisher.publish(plan, new PlanStarted("p", List.of("s"))).join();
        String watchPlans = "{\"type\":\"watch_plans\",\"prefix\":\"r" + RUN + "-\"";
        JsonNode first;
        try (WsClient watch = WsClient.connect(a.wsUri())) {
            watch.next("connected");
            watch.send(watchPlans + "}");
            first = watch.next("plans");
        }
        try (WsClient onB = watcherOnB(plan);
                WsClient watch = WsClient.connect(a.wsUri())) {
            watch.next("connected");
            watch.send(watchPlans + ",\"since\":" + first.path("seq").asLong() + ",\"epoch\":\""
                    + first.path("epoch").asText() + "\"}");
            JsonNode resumed = watch.next("plans");
            assertTrue(resumed.path("recovered").asBoolean(), resumed::toString);
            WatcherTally tally = new WatcherTally();
            tally.follow(watch, WAIT, () -> tally.latest(plan) == 1);
            assertNull(tally.lastUpdate(plan), "counted without an update of the plan");
        }
    }
}
