package io.stepcast.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.gateway.TestGateway;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every error the gateway answers is Stepcast's JSON error shape: never Micronaut's default body, never
 * the request's URL (a {@code ?token=} in it), headers or body, never an internal class name.
 */
class ErrorBodiesIT {

    private static final String SECRET = "s3cret-token-value-that-must-never-be-echoed";
    private static final String PUBLISHER_KEY = "publisher-key-0123456789abcdef";
    private static final List<String> LEAKS = List.of(
            SECRET,
            "_links",
            "href",
            "io.micronaut",
            "com.fasterxml",
            "Exception",
            "StreamReadConstraints",
            "java.",
            "Jackson",
            "bean");

    private static TestGateway gateway;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(
                Map.of("stepcast.auth.enabled", "false", "stepcast.auth.publisher-keys", List.of(PUBLISHER_KEY)));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static HttpResponse<String> send(String method, String path, String contentType, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gateway.uri(path))
                .header("Authorization", "Bearer " + PUBLISHER_KEY)
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertStepcastError(HttpResponse<String> response, int status, String code) {
        String body = response.body();
        assertEquals(status, response.statusCode(), body);
        assertTrue(body.startsWith("{\"type\":\"error\",\"code\":\"" + code + "\""), body);
        assertEquals(
                "application/json",
                response.headers().firstValue("Content-Type").orElse("").split(";")[0],
                body);
        for (String leak : LEAKS) {
            assertFalse(body.contains(leak), "the body must not contain '" + leak + "': " + body);
        }
    }

    @Test
    void anUnknownPathIsATypedNotFoundWithoutTheUrl() throws Exception {
        assertStepcastError(send("GET", "/no/such/path?token=" + SECRET, null, null), 404, "not_found");
        HttpResponse<String> browser = HTTP.send(
                HttpRequest.newBuilder(gateway.uri("/no/such/page?token=" + SECRET))
                        .header("Accept", "text/html")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertStepcastError(browser, 404, "not_found");
    }

    @Test
    void aWrongMethodIsATypedMethodNotAllowed() throws Exception {
        assertStepcastError(send("DELETE", "/api/info?token=" + SECRET, null, null), 405, "method_not_allowed");
    }

    @Test
    void anUnconvertibleQueryParameterIsATypedBadRequest() throws Exception {
        HttpResponse<String> r = send("GET", "/api/plans/p-1/events?since=abc&token=" + SECRET, null, null);
        assertStepcastError(r, 400, "bad_request");
    }

    @Test
    void aBodyOverTheServersLimitIsATypedPayloadTooLarge() throws Exception {
        String huge = "{\"event\":\"x\",\"data\":{\"s\":\"" + "a".repeat(11 * 1024 * 1024) + "\"}}";
        HttpResponse<String> r = send("POST", "/api/plans/p-1/events?token=" + SECRET, "application/json", huge);
        assertStepcastError(r, 413, "payload_too_large");
    }

    @Test
    void ingestRejectsDuplicateMemberNamesLikeTheWebSocketDecoder() throws Exception {
        HttpResponse<String> r = send(
                "POST",
                "/api/plans/p-1/events",
                "application/json",
                "{\"event\":\"custom_a\",\"event\":\"custom_b\",\"data\":{}}");
        assertStepcastError(r, 400, "malformed_json");
        assertTrue(r.body().contains("repeats a member name"), r.body());
    }

    @Test
    void aNumberPastJacksonsLimitNamesNoParserInternals() throws Exception {
        HttpResponse<String> r = send(
                "POST",
                "/api/plans/p-1/events",
                "application/json",
                "{\"event\":\"custom_a\",\"data\":{\"n\":" + "9".repeat(5000) + "}}");
        assertStepcastError(r, 400, "malformed_json");
    }

    @Test
    void malformedJsonNamesItsPositionButEchoesNothing() throws Exception {
        HttpResponse<String> r = send("POST", "/api/plans/p-1/events", "application/json", "{\"event\": " + SECRET);
        assertStepcastError(r, 400, "malformed_json");
        assertTrue(r.body().contains("line 1"), r.body());
    }

    @Test
    void aBadUriIsTyped() throws Exception {
        HttpResponse<String> r = HTTP.send(
                HttpRequest.newBuilder(URI.create(gateway.uri("/api/plans/%25zz/state") + "?token=" + SECRET))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, r.statusCode() + " " + r.body());
        assertTrue(r.body().startsWith("{\"type\":\"error\""), r.body());
        assertFalse(r.body().contains(SECRET), r.body());
    }
}
