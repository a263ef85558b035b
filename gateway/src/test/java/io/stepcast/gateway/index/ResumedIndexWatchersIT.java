package io.stepcast.gateway.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.event.PlanEvent;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.token.ClientTokens;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Watcher counts after a recovered resume of an index watch: the plans of the first page the watch
 * would have got are counted from the next presence heartbeat on, without an update of them, within
 * the watch's scope only. Presence heartbeats every 300 ms; the wait covers many of them.
 */
class ResumedIndexWatchersIT {

    private static final String SECRET = "resumed-index-watchers-it-secret-0123456";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final String A = "team-a." + RUN + ".";
    private static final String B = "team-b." + RUN + ".";
    private static final String PREFIX = "riw" + RUN;
    private static TestGateway gw;
    private static LettuceEventPublisher publisher;
    private static String watcherToken;
    private static String anyToken;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of(
                "stepcast.auth.enabled",
                "true",
                "stepcast.auth.hs256-secret",
                SECRET,
                "stepcast.redis.prefix",
                PREFIX,
                "stepcast.presence.heartbeat",
                "300ms"));
        publisher = LettuceEventPublisher.create(
                gw.redisUri, BridgeConfig.builder().prefix(PREFIX).build());
        publish(A + 1, new PlanStarted("a1", List.of("x")));
        publish(A + 2, new PlanStarted("a2", List.of("x")));
        publish(B + 1, new PlanStarted("b1", List.of("x")));
        ClientTokens tokens = ClientTokens.withSecret(SECRET);
        watcherToken = tokens.issue("alice", List.of(A + "*"), Duration.ofHours(1), false);
        anyToken = tokens.issue("bob", List.of("*"), Duration.ofHours(1), false);
    }

    @AfterAll
    static void stop() {
        publisher.close();
        gw.close();
    }

    static void publish(String plan, PlanEvent event) {
        publisher.publish(plan, event).join();
    }

    static WsClient connect(String token) throws Exception {
        WsClient ws = WsClient.openPath(gw.port(), "/ws", List.of("stepcast.v1", "bearer." + token));
        ws.next("connected");
        return ws;
    }

    static WsClient subscribed(String plan) throws Exception {
        WsClient ws = connect(anyToken);
        ws.send("{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\"}");
        ws.next("subscribed");
        return ws;
    }

    @Test
    void aRecoveredWatchIsToldTheCountOfAPlanOfItsPageWithoutAnUpdateOfIt() throws Exception {
        String epoch;
        long seq;
        try (WsClient first = connect(watcherToken)) {
            first.send("{\"type\":\"watch_plans\",\"prefix\":\"team-\",\"limit\":50}");
            JsonNode plans = first.next("plans");
            assertEquals(2, plans.path("plans").size(), plans::toString);
            epoch = plans.path("epoch").asText();
            seq = plans.path("seq").asLong();
        }
        try (WsClient onA = subscribed(A + 1);
                WsClient onB = subscribed(B + 1); // not granted to the watch
                WsClient watch = connect(watcherToken)) {
            watch.send("{\"type\":\"watch_plans\",\"prefix\":\"team-\",\"limit\":50,\"since\":" + seq + ",\"epoch\":\""
                    + epoch + "\"}");
            JsonNode plans = watch.next("plans");
            assertTrue(plans.path("recovered").asBoolean(), plans::toString);
            assertEquals(0, plans.path("plans").size(), plans::toString);
            WatcherTally tally = new WatcherTally();
            tally.follow(watch, WAIT, () -> tally.latest(A + 1) == 1);
            assertNull(tally.lastUpdate(A + 1), "counted without an update of the plan");
            tally.follow(watch, WAIT, () -> tally.latest(A + 2) == 0);
            assertEquals(Set.of(A + 1, A + 2), tally.counted(), "only plans the watch may see are counted");
        }
    }
}
