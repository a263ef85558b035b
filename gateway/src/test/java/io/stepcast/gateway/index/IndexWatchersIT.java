package io.stepcast.gateway.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.event.PlanEvent;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepState;
import io.stepcast.bridge.event.StepStatus;
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
 * Watcher counts in a WebSocket index watch: {@code plan_watchers} when a plan it shows gains or
 * loses watchers, {@code watchers} in {@code plan_update}s, never a count of a plan outside its scope;
 * after a recovered resume, the counts of its page's plans without an update of them.
 * Presence heartbeats every 300 ms; the waits cover many of them.
 */
class IndexWatchersIT {

    private static final String SECRET = "index-watchers-it-secret-0123456789abcd";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final String A = "team-a." + RUN + ".";
    private static final String B = "team-b." + RUN + ".";
    private static final String O = "other." + RUN + ".";
    private static final String PREFIX = "iw" + RUN;
    private static TestGateway gw;
    private static LettuceEventPublisher publisher;
    private static String watcherToken;
    private static String anyToken;

    @BeforeAll
    static void start() {
        gw = gateway(true);
        publisher = LettuceEventPublisher.create(
                gw.redisUri, BridgeConfig.builder().prefix(PREFIX).build());
        publish(A + 1, new PlanStarted("a1", List.of("x")));
        publish(B + 1, new PlanStarted("b1", List.of("x")));
        publish(O + 1, new PlanStarted("o1", List.of("x")));
        ClientTokens tokens = ClientTokens.withSecret(SECRET);
        watcherToken = tokens.issue("alice", List.of(A + "*", O + "*"), Duration.ofHours(1), false);
        anyToken = tokens.issue("bob", List.of("*"), Duration.ofHours(1), false);
    }

    @AfterAll
    static void stop() {
        publisher.close();
        gw.close();
    }

    static TestGateway gateway(boolean presence) {
        return TestGateway.start(Map.of(
                "stepcast.auth.enabled",
                "true",
                "stepcast.auth.hs256-secret",
                SECRET,
                "stepcast.redis.prefix",
                PREFIX,
                "stepcast.presence.enabled",
                Boolean.toString(presence),
                "stepcast.presence.heartbeat",
                "300ms"));
    }

    static void publish(String plan, PlanEvent event) {
        publisher.publish(plan, event).join();
    }

    static WsClient connect(TestGateway g, String token) throws Exception {
        WsClient ws = WsClient.openPath(g.port(), "/ws", List.of("stepcast.v1", "bearer." + token));
        ws.next("connected");
        return ws;
    }

    static WsClient subscribed(TestGateway g, String plan) throws Exception {
        WsClient ws = connect(g, anyToken);
        ws.send("{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\"}");
        ws.next("subscribed");
        return ws;
    }

    @Test
    void aWebSocketWatchSeesTheCountOfAPlanItShowsRiseAndFallAndNoOtherPlansCount() throws Exception {
        try (WsClient watch = connect(gw, watcherToken)) {
            watch.send("{\"type\":\"watch_plans\",\"prefix\":\"team-\",\"limit\":50}");
            WatcherTally tally = new WatcherTally();
            tally.frame(watch.next("plans"));
            assertEquals(0, tally.latest(A + 1), "the first page counts the plan");
            try (WsClient onA = subscribed(gw, A + 1);
                    WsClient onB = subscribed(gw, B + 1);
                    WsClient onO = subscribed(gw, O + 1)) {
                tally.follow(watch, WAIT, () -> tally.latest(A + 1) == 1);
                publish(A + 1, new StepStatus(0, "x", StepState.RUNNING));
                publish(B + 1, new StepStatus(0, "x", StepState.RUNNING)); // not granted
                publish(O + 1, new StepStatus(0, "x", StepState.RUNNING)); // outside the prefix
                tally.follow(watch, WAIT, () -> tally.lastUpdate(A + 1) != null);
                assertEquals(1, tally.lastUpdate(A + 1), "the update carries the count");

                publish(A + 2, new PlanStarted("a2", List.of("x"))); // shown from its first update on
                tally.follow(watch, WAIT, () -> tally.lastUpdate(A + 2) != null);
                assertEquals(0, tally.lastUpdate(A + 2));
                try (WsClient onA2 = subscribed(gw, A + 2);
                        WsClient again = subscribed(gw, A + 2)) {
                    tally.follow(watch, WAIT, () -> tally.latest(A + 2) == 2);
                }
                tally.follow(watch, WAIT, () -> tally.latest(A + 2) == 0);
            }
            tally.follow(watch, WAIT, () -> tally.latest(A + 1) == 0);
            assertEquals(Set.of(A + 1, A + 2), tally.counted(), "only plans the watch may see are counted");
        }
    }

    @Test
    void withPresenceDisabledAWatchCountsThisInstancesWatchers() throws Exception {
        try (TestGateway local = gateway(false);
                WsClient watch = connect(local, watcherToken)) {
            watch.send("{\"type\":\"watch_plans\",\"prefix\":\"" + A + "1\"}");
            WatcherTally tally = new WatcherTally();
            tally.frame(watch.next("plans"));
            assertEquals(0, tally.latest(A + 1));
            try (WsClient onA = subscribed(local, A + 1)) {
                tally.follow(watch, WAIT, () -> tally.latest(A + 1) == 1);
            }
            tally.follow(watch, WAIT, () -> tally.latest(A + 1) == 0);
            assertTrue(tally.counted().equals(Set.of(A + 1)), tally.counted()::toString);
        }
    }

    @Test
    void aRecoveredWatchIsToldTheCountOfAPlanOfItsPageWithoutAnUpdateOfIt() throws Exception {
        String watchPlans = "{\"type\":\"watch_plans\",\"prefix\":\"team-\",\"limit\":50";
        JsonNode first;
        try (WsClient watch = connect(gw, watcherToken)) {
            watch.send(watchPlans + "}");
            first = watch.next("plans");
        }
        try (WsClient onA = subscribed(gw, A + 1);
                WsClient onB = subscribed(gw, B + 1); // not granted to the watch
                WsClient watch = connect(gw, watcherToken)) {
            watch.send(watchPlans + ",\"since\":" + first.path("seq").asLong() + ",\"epoch\":\""
                    + first.path("epoch").asText() + "\"}");
            JsonNode plans = watch.next("plans");
            assertTrue(plans.path("recovered").asBoolean(), plans::toString);
            assertEquals(0, plans.path("plans").size(), plans::toString);
            WatcherTally tally = new WatcherTally();
            tally.follow(watch, WAIT, () -> tally.latest(A + 1) == 1);
            assertNull(tally.lastUpdate(A + 1), "counted without an update of the plan");
            assertTrue(tally.counted().stream().allMatch(p -> p.startsWith(A)), tally.counted()::toString);
        }
    }
}
