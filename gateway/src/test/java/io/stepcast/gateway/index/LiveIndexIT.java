package io.stepcast.gateway.index;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.event.PlanEvent;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepState;
import io.stepcast.bridge.event.StepStatus;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.token.ClientTokens;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The live plan index over WebSocket against the index the bridge's publish path keeps in the shared
 * test Redis (own key prefix): first page, live changes scoped by prefix and token, resume, bad input.
 */
class LiveIndexIT {

    private static final String SECRET = "live-index-it-secret-0123456789abcdef-0";
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final String A = "team-a." + RUN + ".";
    private static final String B = "team-b." + RUN + ".";
    private static final String PREFIX = "lidx" + RUN;
    private static TestGateway gw;
    private static LettuceEventPublisher publisher;
    private static String tokenA;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of(
                "stepcast.auth.enabled", "true",
                "stepcast.auth.hs256-secret", SECRET,
                "stepcast.redis.prefix", PREFIX));
        publisher = LettuceEventPublisher.create(
                gw.redisUri, BridgeConfig.builder().prefix(PREFIX).build());
        publish(A + 1, new PlanStarted("a1", List.of("x", "y")));
        publish(B + 1, new PlanStarted("b1", List.of("x")));
        publish(A + 2, new PlanStarted("a2", List.of("x")));
        tokenA = ClientTokens.withSecret(SECRET)
                .issue(
                        "alice",
                        List.of("team-a." + RUN + ".*", "team-b." + RUN + ".visible"),
                        Duration.ofHours(1),
                        false);
    }

    @AfterAll
    static void stop() {
        publisher.close();
        gw.close();
    }

    static void publish(String plan, PlanEvent event) {
        publisher.publish(plan, event).join();
    }

    static WsClient connect() throws Exception {
        WsClient ws = WsClient.openPath(gw.port(), "/ws", List.of("stepcast.v1", "bearer." + tokenA));
        ws.next("connected");
        return ws;
    }

    static List<String> ids(JsonNode plans) {
        List<String> ids = new ArrayList<>();
        plans.get("plans").forEach(s -> ids.add(s.get("plan_id").asText()));
        return ids;
    }

    @Test
    void aWatchGetsAFirstPageThenLiveChangesOfGrantedPlansUnderItsPrefixOnly() throws Exception {
        try (WsClient ws = connect()) {
            ws.send("{\"type\":\"watch_plans\",\"prefix\":\"team-\",\"limit\":50}");
            JsonNode page = ws.next("plans");
            assertFalse(page.get("recovered").asBoolean());
            List<String> first = ids(page);
            assertTrue(first.containsAll(List.of(A + 1, A + 2)), page.toString());
            assertFalse(page.toString().contains("team-b"), "no ungranted plan in the page: " + page);
            assertTrue(page.get("epoch").asText().matches("[a-z0-9]{12}"));

            publish(A + 1, new StepStatus(0, "x", StepState.SKIPPED));
            publish(B + 2, new PlanStarted("b2", List.of("x"))); // not granted
            publish(A + 3, new PlanStarted("a3", List.of("x")));
            JsonNode u1 = ws.next("plan_update");
            JsonNode u2 = ws.next("plan_update");
            assertEquals(A + 1, u1.get("summary").get("plan_id").asText());
            assertEquals(1, u1.get("summary").get("steps").get("skipped").asInt());
            assertEquals(A + 3, u2.get("summary").get("plan_id").asText());
            assertEquals(u1.get("seq").asLong() + 2, u2.get("seq").asLong(), "the ungranted change was skipped");

            ws.send("{\"type\":\"unwatch_plans\"}");
            ws.next("plans_unwatched");
        }
    }

    @Test
    void aPrefixNarrowsTheWatch() throws Exception {
        try (WsClient ws = connect()) {
            ws.send("{\"type\":\"watch_plans\",\"prefix\":\"" + A + "2\"}");
            assertEquals(List.of(A + 2), ids(ws.next("plans")));
            publish(A + 1, new StepStatus(1, "y", StepState.CANCELLED));
            publish(A + 2, new StepStatus(0, "x", StepState.SUCCEEDED));
            JsonNode u = ws.next("plan_update");
            assertEquals(A + 2, u.get("summary").get("plan_id").asText());
        }
    }

    @Test
    void aResumeWithTheIndexCursorGetsOnlyTheMissedChangesOrAFreshPage() throws Exception {
        JsonNode page;
        try (WsClient ws = connect()) {
            ws.send("{\"type\":\"watch_plans\",\"prefix\":\"" + A + "\"}");
            page = ws.next("plans");
        }
        String epoch = page.get("epoch").asText();
        long seq = page.get("seq").asLong();
        publish(A + 4, new PlanStarted("a4", List.of("x")));
        publish(B + 3, new PlanStarted("b3", List.of("x")));
        publish(A + 4, new StepStatus(0, "x", StepState.RUNNING));
        try (WsClient ws = connect()) {
            ws.send("{\"type\":\"watch_plans\",\"prefix\":\"" + A + "\",\"since\":" + seq + ",\"epoch\":\"" + epoch
                    + "\"}");
            JsonNode recovered = ws.next("plans");
            assertTrue(recovered.get("recovered").asBoolean(), recovered.toString());
            assertEquals(0, recovered.get("plans").size());
            assertEquals(seq, recovered.get("seq").asLong());
            JsonNode u1 = ws.next("plan_update");
            JsonNode u2 = ws.next("plan_update");
            assertEquals(A + 4, u1.get("summary").get("plan_id").asText());
            assertEquals(1, u2.get("summary").get("steps").get("running").asInt());
            assertTrue(u1.get("seq").asLong() > seq);

            // another epoch: the log cannot continue it, a first page instead
            ws.send("{\"type\":\"watch_plans\",\"prefix\":\"" + A + "\",\"since\":" + seq
                    + ",\"epoch\":\"zzzzzzzzzzzz\"}");
            JsonNode fresh = ws.next("plans");
            assertFalse(fresh.get("recovered").asBoolean());
            assertTrue(ids(fresh).contains(A + 4));
        }
    }

    @Test
    void aChangeWhoseMessageWasLostIsRepairedFromTheIndexLog() throws Exception {
        RedisLayout layout = new RedisLayout(PREFIX);
        RedisClient redis = RedisClient.create(gw.redisUri);
        try (WsClient ws = connect();
                StatefulRedisConnection<String, String> c = redis.connect()) {
            ws.send("{\"type\":\"watch_plans\",\"prefix\":\"" + A + "\"}");
            JsonNode page = ws.next("plans");
            String epoch = page.get("epoch").asText();
            // a change that reached the log but whose message was lost (as while the subscription was down)
            long lost = c.sync().hincrby(layout.indexMetaKey(), "seq", 1);
            String frame = "{\"type\":\"plan_update\",\"seq\":" + lost + ",\"epoch\":\"" + epoch
                    + "\",\"summary\":{\"plan_id\":\"" + A
                    + "lost\",\"name\":\"lost\",\"overall_status\":\"running\"}}";
            c.sync().xadd(layout.indexLogKey(), new XAddArgs().id(RedisLayout.logEntryId(lost)), Map.of("f", frame));
            publish(A + 5, new PlanStarted("a5", List.of("x")));
            JsonNode repaired = ws.next("plan_update");
            JsonNode next = ws.next("plan_update");
            assertEquals(A + "lost", repaired.get("summary").get("plan_id").asText());
            assertEquals(lost, repaired.get("seq").asLong());
            assertEquals(A + 5, next.get("summary").get("plan_id").asText());
            assertEquals(lost + 1, next.get("seq").asLong());
        } finally {
            redis.shutdown();
        }
    }

    @Test
    void badWatchFramesGetTypedErrorsAndTheConnectionStaysUsable() throws Exception {
        try (WsClient ws = connect()) {
            String[][] cases = {
                {"{\"type\":\"watch_plans\",\"prefix\":\"{x}\"}", "prefix"},
                {"{\"type\":\"watch_plans\",\"limit\":501}", "limit"},
                {"{\"type\":\"watch_plans\",\"limit\":0}", "limit"},
                {"{\"type\":\"watch_plans\",\"limit\":\"ten\"}", "limit"},
                {"{\"type\":\"watch_plans\",\"since\":-1,\"epoch\":\"abcdefabcdef\"}", "since"},
                {"{\"type\":\"watch_plans\",\"epoch\":\"abcdefabcdef\"}", "since"},
                {"{\"type\":\"watch_plans\",\"since\":3,\"epoch\":\"NOT-AN-EPOCH\"}", "epoch"},
            };
            for (String[] c : cases) {
                ws.send(c[0]);
                JsonNode error = ws.nextError("bad_request");
                assertTrue(error.get("message").asText().contains(c[1]), c[0] + " → " + error);
            }
            ws.send("{\"type\":\"ping\",\"id\":1}");
            ws.next("pong");
        }
    }

    @Test
    void watchersAreCountedWhenTheSummaryIsInAPage() throws Exception {
        try (WsClient watcher = connect();
                WsClient ws = connect()) {
            watcher.send("{\"type\":\"subscribe\",\"plan_id\":\"" + A + 2 + "\"}");
            watcher.next("subscribed");
            await().atMost(WsClient.WAIT).untilAsserted(() -> {
                ws.send("{\"type\":\"watch_plans\",\"prefix\":\"" + A + "2\"}");
                JsonNode page = ws.next("plans");
                assertEquals(1, page.get("plans").get(0).path("watchers").asInt(), page.toString());
            });
        }
    }
}
