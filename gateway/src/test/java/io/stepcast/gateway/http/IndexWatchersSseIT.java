package io.stepcast.gateway.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.token.ClientTokens;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import io.stepcast.gateway.index.WatcherTally;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Watcher counts in the SSE index stream: {@code event: plan_watchers} (no id) when a plan on the
 * page gains or loses watchers, never for a plan the token does not grant. Presence heartbeats every
 * 300 ms; the waits cover many of them.
 */
class IndexWatchersSseIT {

    private static final String SECRET = "index-watchers-sse-it-secret-0123456789a";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Test
    void anSseIndexStreamSeesTheCountOfAPlanOnItsPageRiseAndFallAndNoUngrantedPlansCount() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String a = "team-a." + run + ".";
        String b = "team-b." + run + ".";
        String prefix = "iws" + run;
        ClientTokens tokens = ClientTokens.withSecret(SECRET);
        String watcher = tokens.issue("alice", List.of(a + "*"), Duration.ofHours(1), false);
        String any = tokens.issue("bob", List.of("*"), Duration.ofHours(1), false);
        try (TestGateway gw = TestGateway.start(Map.of(
                        "stepcast.auth.enabled",
                        "true",
                        "stepcast.auth.hs256-secret",
                        SECRET,
                        "stepcast.redis.prefix",
                        prefix,
                        "stepcast.presence.heartbeat",
                        "300ms"));
                LettuceEventPublisher publisher = LettuceEventPublisher.create(
                        gw.redisUri, BridgeConfig.builder().prefix(prefix).build())) {
            publisher.publish(a + 1, new PlanStarted("a1", List.of("x"))).join();
            publisher.publish(b + 1, new PlanStarted("b1", List.of("x"))).join();
            try (SseTestClient sse = SseTestClient.open(
                    HTTP, gw.uri("/api/plan-index/stream?prefix=team-"), "Authorization", "Bearer " + watcher)) {
                WatcherTally tally = new WatcherTally();
                SseTestClient.SseEvent page = sse.nextEvent(WAIT);
                assertEquals("plans", page.event());
                tally.frame(JSON.readTree(page.data()));
                assertEquals(0, tally.latest(a + 1));
                try (WsClient onA = subscribed(gw, any, a + 1);
                        WsClient onB = subscribed(gw, any, b + 1)) {
                    until(sse, tally, () -> tally.latest(a + 1) == 1);
                }
                until(sse, tally, () -> tally.latest(a + 1) == 0);
                assertEquals(Set.of(a + 1), tally.counted(), "only granted plans are counted");
            }
        }
    }

    private static WsClient subscribed(TestGateway gw, String token, String plan) throws Exception {
        WsClient ws = WsClient.openPath(gw.port(), "/ws", List.of("stepcast.v1", "bearer." + token));
        ws.next("connected");
        ws.send("{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\"}");
        ws.next("subscribed");
        return ws;
    }

    /** Reads the stream's events into the tally until {@code done} holds; plan_watchers events have no id. */
    private static void until(SseTestClient sse, WatcherTally tally, BooleanSupplier done) {
        await().atMost(WAIT).until(() -> {
            for (SseTestClient.SseEvent e = sse.poll(); e != null; e = sse.poll()) {
                if (e.comment() != null || e.data() == null) {
                    continue;
                }
                JsonNode frame = JSON.readTree(e.data());
                if ("plan_watchers".equals(e.event())) {
                    assertEquals("plan_watchers", frame.path("type").asText());
                    assertNull(e.id(), "a count is not a position in the index log");
                }
                tally.frame(frame);
            }
            return done.getAsBoolean();
        });
    }
}
