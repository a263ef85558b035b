package io.stepcast.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.gateway.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IngestIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "test-publisher-key-0123456789";
    private static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(); // auth off (tests' default): ingest needs no key
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void customEventDataIsPublishedExactlyAsWrittenByteForByte() throws Exception {
        String plan = TestGateway.planId("in-raw");
        String one = "{\"at\": 1796383123.123456, \"n\":1E+2, \"s\":\"caf\\u00e9 \u00e9\", \"l\":[1.50, -0.0]}";
        String two = "{ \"big\" : 123456789012345678901234567890 }";
        HttpResponse<String> res = post(
                plan,
                "[{\"event\":\"metrics:sample\",\"data\":" + one + "},\n  {\"event\":\"metrics:sample\",\n \"data\":"
                        + two + "}]");
        assertEquals(200, res.statusCode(), res.body());
        assertTrue(frameInLog(plan, 1).endsWith(",\"data\":" + one + "}"), frameInLog(plan, 1));
        assertTrue(frameInLog(plan, 2).endsWith(",\"data\":" + two + "}"), frameInLog(plan, 2));
    }

    private static String frameInLog(String plan, long seq) {
        RedisClient client = RedisClient.create(gw.redisUri);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync()
                    .xrange(RedisLayout.defaults().logKey(plan), Range.create(seq + "-0", seq + "-0"))
                    .get(0)
                    .getBody()
                    .get(RedisLayout.LOG_FIELD);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void oneEventIsPublishedAndAnsweredWithItsSeq() throws Exception {
        String plan = TestGateway.planId("in-one");
        HttpResponse<String> res =
                post(plan, "{\"event\":\"plan_started\",\"data\":{\"name\":\"ci\",\"steps\":[\"a\",\"b\"]}}");
        assertEquals(200, res.statusCode(), res.body());
        JsonNode result = JSON.readTree(res.body()).get("results").get(0);
        assertEquals(1, result.get("seq").asLong());
        assertFalse(result.get("duplicate").asBoolean());
        JsonNode state = JSON.readTree(gw.get("/api/plans/" + plan).body());
        assertEquals("ci", state.get("name").asText());
        assertEquals(result.get("epoch").asText(), state.get("epoch").asText());
    }

    @Test
    void anArrayIsOneAtomicBatch() throws Exception {
        String plan = TestGateway.planId("in-batch");
        HttpResponse<String> res = post(
                plan,
                "[{\"event\":\"plan_started\",\"data\":{\"name\":\"n\",\"steps\":[\"a\"]}},"
                        + "{\"event\":\"step_status\",\"data\":{\"step_index\":0,\"status\":\"running\"}},"
                        + "{\"event\":\"batch:start\",\"data\":{\"k\":1},\"ts\":\"2026-11-23T17:00:00.123Z\"}]");
        assertEquals(200, res.statusCode(), res.body());
        JsonNode results = JSON.readTree(res.body()).get("results");
        assertEquals(3, results.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i + 1, results.get(i).get("seq").asLong());
        }

        HttpResponse<String> bad = post(
                plan,
                "[{\"event\":\"step_output\",\"data\":{\"step_index\":0,\"chunk\":\"x\"}},"
                        + "{\"event\":\"step_status\",\"data\":{\"step_index\":\"zero\",\"status\":\"running\"}}]");
        assertEquals(400, bad.statusCode());
        JsonNode error = JSON.readTree(bad.body());
        assertEquals("invalid_event", error.get("code").asText());
        assertEquals("step_index", error.get("field").asText());
        assertEquals(1, error.get("index").asInt());
        assertEquals(
                3,
                JSON.readTree(gw.get("/api/plans/" + plan).body()).get("seq").asLong(),
                "nothing of a rejected batch is published");
    }

    @Test
    void validationErrorsNameTheBadField() throws Exception {
        String plan = TestGateway.planId("in-bad");
        assertInvalid(plan, "{\"data\":{}}", "event");
        assertInvalid(plan, "{\"event\":\"Bad Name\",\"data\":{}}", "event");
        assertInvalid(
                plan, "{\"event\":\"step_status\",\"data\":{\"step_index\":1,\"status\":\"sleeping\"}}", "status");
        assertInvalid(plan, "{\"event\":\"step_status\",\"data\":{\"step_index\":1}}", "status");
        assertInvalid(
                plan,
                "{\"event\":\"plan_started\",\"data\":{\"name\":\"x\",\"steps\":[\"a\"],\"colour\":1}}",
                "data.colour");
        assertInvalid(plan, "{\"event\":\"x\",\"data\":[1]}", "data");
        assertInvalid(plan, "{\"event\":\"x\",\"ts\":\"yesterday\"}", "ts");
        assertInvalid(plan, "{\"event\":\"x\",\"plan_id\":\"other\"}", "plan_id");
        assertInvalid(plan, "{\"event\":\"x\",\"event_id\":\"has space\"}", "event_id");
        HttpResponse<String> malformed = post(plan, "{\"event\":");
        assertEquals(400, malformed.statusCode());
        assertEquals(
                "malformed_json", JSON.readTree(malformed.body()).get("code").asText());
        assertEquals(404, gw.get("/api/plans/" + plan).statusCode(), "nothing was published");
    }

    @Test
    void retryWithTheSameIdempotencyKeyPublishesOnce() throws Exception {
        String plan = TestGateway.planId("in-idem");
        String body = "{\"event\":\"plan_started\",\"data\":{\"name\":\"n\",\"steps\":[\"a\"]}}";
        JsonNode first = JSON.readTree(
                        post(plan, body, "Idempotency-Key", "req-42").body())
                .get("results")
                .get(0);
        JsonNode retry = JSON.readTree(
                        post(plan, body, "Idempotency-Key", "req-42").body())
                .get("results")
                .get(0);
        assertFalse(first.get("duplicate").asBoolean());
        assertTrue(retry.get("duplicate").asBoolean());
        assertEquals(first.get("seq").asLong(), retry.get("seq").asLong());

        String batch = "[{\"event\":\"step_output\",\"data\":{\"step_index\":0,\"chunk\":\"a\"}},"
                + "{\"event\":\"step_output\",\"data\":{\"step_index\":0,\"chunk\":\"b\"}}]";
        JsonNode b1 = JSON.readTree(
                        post(plan, batch, "Idempotency-Key", "req-43").body())
                .get("results");
        JsonNode b2 = JSON.readTree(
                        post(plan, batch, "Idempotency-Key", "req-43").body())
                .get("results");
        assertEquals(b1.get(1).get("seq").asLong(), b2.get(1).get("seq").asLong());
        assertTrue(b2.get(0).get("duplicate").asBoolean()
                && b2.get(1).get("duplicate").asBoolean());

        String withId =
                "{\"event\":\"step_output\",\"event_id\":\"own-1\",\"data\":{\"step_index\":0,\"chunk\":\"c\"}}";
        post(plan, withId);
        assertTrue(JSON.readTree(post(plan, withId).body())
                .get("results")
                .get(0)
                .get("duplicate")
                .asBoolean());
        assertEquals(
                4,
                JSON.readTree(gw.get("/api/plans/" + plan).body()).get("seq").asLong(),
                "four distinct events, however often retried");
    }

    @Test
    void withAuthOnlyAPublisherKeyMayPublish() throws Exception {
        try (TestGateway secured = TestGateway.start(Map.of(
                "stepcast.auth.enabled",
                "true",
                "stepcast.auth.hs256-secret",
                "0123456789abcdef0123456789abcdef-test",
                "stepcast.auth.publisher-keys",
                KEY))) {
            String plan = TestGateway.planId("in-auth");
            String body = "{\"event\":\"x\",\"data\":{}}";
            assertEquals(401, send(secured, plan, body).statusCode());
            assertEquals(
                    401,
                    send(secured, plan, body, "Authorization", "Bearer " + KEY + "x")
                            .statusCode());
            HttpResponse<String> ok = send(secured, plan, body, "Authorization", "Bearer " + KEY);
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals(
                    1, JSON.readTree(ok.body()).get("results").get(0).get("seq").asLong());
        }
    }

    private static HttpResponse<String> send(TestGateway target, String plan, String body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(target.uri("/api/plans/" + plan + "/events"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return target.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void ingestCanBeSwitchedOff() throws Exception {
        try (TestGateway off = TestGateway.start(Map.of("stepcast.ingest.enabled", "false"))) {
            HttpResponse<String> res = off.http.send(
                    HttpRequest.newBuilder(off.uri("/api/plans/p/events"))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"event\":\"x\"}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, res.statusCode());
            assertEquals("not_found", JSON.readTree(res.body()).get("code").asText());
        }
    }

    private static void assertInvalid(String plan, String body, String field) throws Exception {
        HttpResponse<String> res = post(plan, body);
        assertEquals(400, res.statusCode(), body + " -> " + res.body());
        JsonNode error = JSON.readTree(res.body());
        assertEquals("invalid_event", error.get("code").asText(), res.body());
        assertEquals(field, error.get("field").asText(), res.body());
    }

    static HttpResponse<String> post(String plan, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri("/api/plans/" + plan + "/events"))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return gw.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
