package io.stepcast.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.token.ClientTokens;
import io.stepcast.gateway.TestGateway;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /api/plan-index/stream}: the live plan index over SSE, scoped by the token, resumed by Last-Event-ID. */
class IndexSseIT {

    private static final String SECRET = "index-sse-it-secret-0123456789abcdef-00";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static final String A = "team-a." + RUN + ".";
    private static final String B = "team-b." + RUN + ".";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static TestGateway gw;
    private static LettuceEventPublisher publisher;
    private static String token;

    @BeforeAll
    static void start() {
        String prefix = "isse" + RUN;
        gw = TestGateway.start(Map.of(
                "stepcast.auth.enabled", "true",
                "stepcast.auth.hs256-secret", SECRET,
                "stepcast.redis.prefix", prefix));
        publisher = LettuceEventPublisher.create(
                gw.redisUri, BridgeConfig.builder().prefix(prefix).build());
        publisher.publish(A + 1, new PlanStarted("a1", List.of("x"))).join();
        publisher.publish(B + 1, new PlanStarted("b1", List.of("x"))).join();
        token = ClientTokens.withSecret(SECRET).issue("bob", List.of(A + "*"), Duration.ofHours(1), false);
    }

    @AfterAll
    static void stop() {
        publisher.close();
        gw.close();
    }

    private SseTestClient open(String query, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "Authorization";
        all[1] = "Bearer " + token;
        System.arraycopy(headers, 0, all, 2, headers.length);
        return SseTestClient.open(HTTP, gw.uri("/api/plan-index/stream" + query), all);
    }

    @Test
    void theStreamSendsAPageThenGrantedChangesAndResumesFromLastEventId() throws Exception {
        String lastId;
        try (SseTestClient sse = open("?prefix=team-")) {
            SseTestClient.SseEvent page = sse.nextEvent(WAIT);
            assertEquals("plans", page.event());
            JsonNode plans = JSON.readTree(page.data());
            assertFalse(plans.get("recovered").asBoolean());
            assertEquals(A + 1, plans.get("plans").get(0).get("plan_id").asText());
            assertFalse(page.data().contains("team-b"), page.data());
            publisher.publish(B + 2, new PlanStarted("b2", List.of())).join();
            publisher.publish(A + 2, new PlanStarted("a2", List.of())).join();
            SseTestClient.SseEvent update = sse.nextEvent(WAIT);
            assertEquals("plan_update", update.event());
            JsonNode change = JSON.readTree(update.data());
            assertEquals(A + 2, change.get("summary").get("plan_id").asText());
            assertEquals(change.get("epoch").asText() + ":" + change.get("seq").asLong(), update.id());
            lastId = update.id();
        }
        publisher.publish(A + 3, new PlanStarted("a3", List.of())).join();
        try (SseTestClient sse = open("?prefix=team-", "Last-Event-ID", lastId)) {
            SseTestClient.SseEvent page = sse.nextEvent(WAIT);
            assertEquals("plans", page.event());
            assertTrue(JSON.readTree(page.data()).get("recovered").asBoolean(), page.data());
            SseTestClient.SseEvent update = sse.nextEvent(WAIT);
            assertEquals(
                    A + 3,
                    JSON.readTree(update.data()).get("summary").get("plan_id").asText());
        }
    }

    @Test
    void anIndexStreamEndsWithUnauthorizedWhenItsTokenExpires() throws Exception {
        String shortLived =
                ClientTokens.withSecret(SECRET).issue("bob", List.of(A + "*"), Duration.ofSeconds(2), false);
        try (SseTestClient sse = SseTestClient.open(
                HTTP, gw.uri("/api/plan-index/stream?prefix=team-"), "Authorization", "Bearer " + shortLived)) {
            assertEquals("plans", sse.nextEvent(WAIT).event());
            SseTestClient.SseEvent end = sse.nextEvent(WAIT); // the 2 s token plus the 10 s clock-skew leeway
            assertEquals("error", end.event(), "the stream must end with an error event, not just stop");
            assertTrue(
                    end.data().contains("\"code\":\"unauthorized\"")
                            && end.data().contains("token expired"),
                    end.data());
            assertEquals(SseTestClient.END, sse.nextEvent(WAIT), "and then end");
        }
    }

    @Test
    void badParametersAreTypedErrors() throws Exception {
        assertEquals(
                400,
                gw.get("/api/plan-index/stream?limit=501", "Authorization", "Bearer " + token)
                        .statusCode());
        assertEquals(
                400,
                gw.get("/api/plan-index/stream?prefix=%7Bx", "Authorization", "Bearer " + token)
                        .statusCode());
        assertEquals(
                400,
                gw.get("/api/plan-index/stream", "Authorization", "Bearer " + token, "Last-Event-ID", "garbage:x")
                        .statusCode());
        assertEquals(401, gw.get("/api/plan-index/stream").statusCode());
    }

    @Test
    void aPlanNamedStreamStillPolls() throws Exception {
        publisher
                .publish("stream", new PlanStarted("named stream", List.of("x")))
                .join();
        String streamToken =
                ClientTokens.withSecret(SECRET).issue("carol", List.of("stream"), Duration.ofHours(1), false);
        HttpResponse<String> poll = gw.get("/api/plans/stream", "Authorization", "Bearer " + streamToken);
        assertEquals(200, poll.statusCode(), poll.body());
        assertEquals("stream", JSON.readTree(poll.body()).get("plan_id").asText());
        assertEquals(
                403,
                gw.get("/api/plans/stream", "Authorization", "Bearer " + token).statusCode());
    }
}
