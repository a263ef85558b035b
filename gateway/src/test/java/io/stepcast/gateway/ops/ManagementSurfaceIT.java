package io.stepcast.gateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.stepcast.bridge.testing.TestRedis;
import io.stepcast.bridge.token.ClientTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The management surface's secure defaults: only health and prometheus exist; health answers a
 * status without details to anyone; prometheus answers only its own key, never a client token.
 */
class ManagementSurfaceIT {

    private static final String SECRET = "management-surface-test-secret-0123456789";
    private static final String METRICS_KEY = "metrics-key-0123456789abcdef";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static EmbeddedServer keyed;
    private static EmbeddedServer keyless;

    @BeforeAll
    static void start() {
        keyed = ApplicationContext.run(
                EmbeddedServer.class,
                Map.of(
                        "micronaut.server.port",
                        -1,
                        "stepcast.redis.uri",
                        TestRedis.shared().uri(),
                        "stepcast.auth.hs256-secret",
                        SECRET,
                        "stepcast.management.metrics-key",
                        METRICS_KEY));
        keyless = ApplicationContext.run(
                EmbeddedServer.class,
                Map.of(
                        "micronaut.server.port",
                        -1,
                        "stepcast.redis.uri",
                        TestRedis.shared().uri(),
                        "stepcast.auth.enabled",
                        false));
    }

    @AfterAll
    static void stop() {
        keyed.close();
        keyless.close();
    }

    private static HttpResponse<String> get(EmbeddedServer s, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.getPort() + path));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String clientToken() {
        return ClientTokens.withSecret(SECRET).issue("alice", List.of("*"), Duration.ofMinutes(5), true);
    }

    @Test
    void healthAnswersAStatusWithoutDetailsToAnyone() throws Exception {
        for (String path : List.of("/health", "/health/readiness", "/health/liveness")) {
            HttpResponse<String> r = get(keyed, path);
            assertEquals(200, r.statusCode(), path + " " + r.body());
            assertTrue(r.body().contains("\"status\":\"UP\""), r.body());
            for (String detail : List.of("details", "redis", "diskSpace", "drain", "commands")) {
                assertFalse(r.body().contains(detail), path + " shows '" + detail + "': " + r.body());
            }
        }
    }

    @Test
    void unusedManagementEndpointsDoNotExistEvenForAClientToken() throws Exception {
        String bearer = "Bearer " + clientToken();
        for (String path : List.of(
                "/beans",
                "/routes",
                "/threaddump",
                "/refresh",
                "/info",
                "/metrics",
                "/loggers",
                "/env",
                "/stop",
                "/caches")) {
            for (HttpResponse<String> r :
                    List.of(get(keyed, path), get(keyed, path, "Authorization", bearer), get(keyless, path))) {
                assertTrue(r.statusCode() == 404 || r.statusCode() == 401, path + " answered " + r.statusCode());
                assertTrue(r.body().startsWith("{\"type\":\"error\""), path + ": " + r.body());
            }
        }
    }

    @Test
    void metricsAnswerOnlyTheirKey() throws Exception {
        assertEquals(401, get(keyed, "/prometheus").statusCode());
        assertEquals(
                401,
                get(keyed, "/prometheus", "Authorization", "Bearer " + clientToken())
                        .statusCode());
        assertEquals(
                401,
                get(keyed, "/prometheus", "Authorization", "Bearer " + METRICS_KEY + "x")
                        .statusCode());
        HttpResponse<String> ok = get(keyed, "/prometheus", "Authorization", "Bearer " + METRICS_KEY);
        assertEquals(200, ok.statusCode(), ok.body());
        assertTrue(ok.body().contains("# TYPE jvm_"), ok.body());
    }

    @Test
    void withoutAKeyMetricsAreClosedAndSaySo() throws Exception {
        HttpResponse<String> r = get(keyless, "/prometheus");
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("stepcast.management.metrics-key"), r.body());
    }

    @Test
    void aShortMetricsKeyIsRefusedAtStart() {
        Exception e = assertThrows(Exception.class, () -> {
            try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                    "stepcast.redis.uri",
                    TestRedis.shared().uri(),
                    "stepcast.auth.enabled",
                    false,
                    "stepcast.management.metrics-key",
                    "short"))) {
                ctx.getBean(ManagementConfig.class);
            }
        });
        assertTrue(
                String.valueOf(e.getMessage()).contains("metrics-key")
                        || String.valueOf(e.getCause()).contains("metrics-key"),
                String.valueOf(e));
    }
}
