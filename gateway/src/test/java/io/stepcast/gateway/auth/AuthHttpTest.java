package io.stepcast.gateway.auth;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.stepcast.gateway.WsClient;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthHttpTest {

    static final String PUBLISHER_KEY = "publisher-key-0123456789abcdef";

    private static EmbeddedServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        server = ApplicationContext.run(
                EmbeddedServer.class,
                Map.of(
                        "spec.name",
                        AuthProbes.SPEC,
                        "micronaut.server.port",
                        "-1",
                        "stepcast.redis.uri",
                        TestTokens.NO_REDIS,
                        "stepcast.auth.enabled",
                        "true",
                        "stepcast.auth.hs256-secret",
                        TestTokens.SECRET,
                        "stepcast.auth.publisher-keys",
                        List.of(PUBLISHER_KEY),
                        "stepcast.handshake.timeout",
                        "1s"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static HttpResponse<String> get(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .GET();
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String bearer(String token) {
        return "Bearer " + token;
    }

    @Test
    void infoIsPublicAndSaysAuthIsOn() throws Exception {
        HttpResponse<String> r = get("/api/info");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("\"auth\":{\"enabled\":true}"), r.body());
        assertTrue(r.body().contains("stepcast.v1"), r.body());
    }

    @Test
    void planReadsWithoutTokenAre401WithAChallenge() throws Exception {
        HttpResponse<String> r = get("/api/plans/p-1/authprobe");
        assertEquals(401, r.statusCode());
        assertEquals("{\"type\":\"error\",\"code\":\"unauthorized\",\"message\":\"missing token\"}", r.body());
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"));
    }

    @Test
    void planReadsAreAuthorizedPerPlan() throws Exception {
        String token = TestTokens.hs256("alice", List.of("p-1", "team:*"), false);
        assertEquals(
                "plan:p-1",
                get("/api/plans/p-1/authprobe", "Authorization", bearer(token)).body());
        assertEquals(
                "dashboard:team:9",
                get("/api/dashboard/plan/team:9/authprobe", "Authorization", bearer(token))
                        .body());
        HttpResponse<String> forbidden = get("/api/plans/p-2/authprobe", "Authorization", bearer(token));
        assertEquals(403, forbidden.statusCode());
        assertTrue(forbidden.body().contains("\"code\":\"forbidden\""), forbidden.body());
        assertFalse(forbidden.body().contains("plan:"), forbidden.body());
        assertEquals(
                403,
                get("/api/dashboard/plan/p-2/authprobe", "Authorization", bearer(token))
                        .statusCode());
    }

    @Test
    void queryTokensWorkForGets() throws Exception {
        String token = TestTokens.hs256("alice", List.of("p-1"), false);
        HttpResponse<String> r = get("/api/plans/p-1/authprobe?token=" + token);
        assertEquals(200, r.statusCode());
        assertEquals(403, get("/api/plans/p-2/authprobe?token=" + token).statusCode());
    }

    @Test
    void badTokensAre401WithTheirReason() throws Exception {
        assertEquals(
                "{\"type\":\"error\",\"code\":\"unauthorized\",\"message\":\"token expired\"}",
                get("/api/plans/p-1/authprobe", "Authorization", bearer(TestTokens.expired("alice", List.of("p-1"))))
                        .body());
        for (String bad : List.of(
                TestTokens.algNone("eve", List.of("*")),
                TestTokens.wrongKey("eve", List.of("*")),
                "garbage",
                "a.b.c")) {
            HttpResponse<String> r = get("/api/plans/p-1/authprobe", "Authorization", bearer(bad));
            assertEquals(401, r.statusCode(), bad);
            assertEquals("{\"type\":\"error\",\"code\":\"unauthorized\",\"message\":\"invalid token\"}", r.body());
            assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").contains("invalid_token"));
        }
    }

    @Test
    void encodedAndOddPathsCannotReachAnotherPlan() throws Exception {
        String token = TestTokens.hs256("alice", List.of("p-1"), false);
        for (String path : List.of(
                "/api//plans/p-2/authprobe",
                "/api/plans/p%2D2/authprobe",
                "/api/plans//p-2/authprobe",
                "/api/plans/p-1%2F..%2Fp-2/authprobe",
                "/api/plans/%70-2/authprobe")) {
            HttpResponse<String> r = get(path, "Authorization", bearer(token));
            assertNotEquals(200, r.statusCode(), path + " -> " + r.body());
            assertFalse(r.body().contains("plan:p-2"), path);
        }
        String p2 = TestTokens.hs256("alice", List.of("p-2"), false);
        assertEquals(
                "plan:p-2",
                get("/api/plans/p%2D2/authprobe", "Authorization", bearer(p2)).body());
    }

    @Test
    void ingestNeedsAPublisherKeyNotAClientToken() throws Exception {
        assertEquals(
                "published:p-1",
                post("/api/plans/p-1/authprobe", "Authorization", bearer(PUBLISHER_KEY))
                        .body());
        HttpResponse<String> none = post("/api/plans/p-1/authprobe");
        assertEquals(401, none.statusCode());
        assertTrue(none.body().contains("missing publisher key"), none.body());
        assertEquals(
                401,
                post("/api/plans/p-1/authprobe", "Authorization", bearer(PUBLISHER_KEY + "x"))
                        .statusCode());
        assertEquals(
                401, post("/api/plans/p-1/authprobe?token=" + PUBLISHER_KEY).statusCode());
        String clientToken = TestTokens.hs256("alice", List.of("*"), true);
        assertEquals(
                403,
                post("/api/plans/p-1/authprobe", "Authorization", bearer(clientToken))
                        .statusCode());
    }

    @Test
    void publisherKeysReadNothing() throws Exception {
        assertEquals(
                403,
                get("/api/plans/p-1/authprobe", "Authorization", bearer(PUBLISHER_KEY))
                        .statusCode());
    }

    @Test
    void otherApiRoutesNeedAnyValidToken() throws Exception {
        assertEquals(401, get("/api/authprobe-other").statusCode());
        String token = TestTokens.hs256("alice", List.of("p-1"), false);
        assertEquals(
                200, get("/api/authprobe-other", "Authorization", bearer(token)).statusCode());
    }

    @Test
    void unknownPathsAre404Not401() throws Exception {
        assertEquals(404, get("/nothing-here").statusCode());
    }

    @Test
    void crossSiteUpgradesAreRefusedBeforeTheUpgrade() throws Exception {
        String host = "127.0.0.1:" + server.getPort();
        String evil = RawHttp.exchange(
                server.getPort(),
                RawHttp.upgrade(
                        "/authprobe-ws", host, "Origin: https://evil.example", "Sec-WebSocket-Protocol: stepcast.v1"));
        assertTrue(evil.startsWith("HTTP/1.1 403"), evil);
        String same = RawHttp.exchange(
                server.getPort(),
                RawHttp.upgrade(
                        "/authprobe-ws", host, "Origin: http://" + host, "Sec-WebSocket-Protocol: stepcast.v1"));
        assertTrue(same.startsWith("HTTP/1.1 101"), same);
        String script = RawHttp.exchange(
                server.getPort(), RawHttp.upgrade("/authprobe-ws", host, "Sec-WebSocket-Protocol: stepcast.v1"));
        assertTrue(script.startsWith("HTTP/1.1 101"), script);
    }

    @Test
    void subprotocolTokensAreNeverEchoed() throws Exception {
        String token = TestTokens.hs256("alice", List.of("p-1"), false);
        String head = RawHttp.exchange(
                server.getPort(),
                RawHttp.upgrade(
                        "/authprobe-ws",
                        "127.0.0.1:" + server.getPort(),
                        "Sec-WebSocket-Protocol: stepcast.v1, bearer." + token));
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        assertTrue(head.toLowerCase().contains("sec-websocket-protocol: stepcast.v1\r\n"), head);
        assertFalse(head.contains(token.substring(0, 20)), head);
    }

    @Test
    void webSocketsAuthenticateFromEverySource() throws Exception {
        String token = TestTokens.hs256("alice", List.of("p-1"), false);
        assertEquals(
                "hello alice",
                WsClient.openPath(server.getPort(), "/authprobe-ws", List.of("stepcast.v1", "bearer." + token))
                        .nextText());
        assertEquals(
                "hello alice",
                WsClient.openPath(server.getPort(), "/authprobe-ws?token=" + token, List.of("stepcast.v1"))
                        .nextText());
        assertEquals(
                "hello alice",
                WsClient.openPath(
                                server.getPort(),
                                "/authprobe-ws",
                                List.of("stepcast.v1"),
                                "Authorization",
                                "Bearer " + token)
                        .nextText());
    }

    @Test
    void webSocketsWithoutAValidTokenClose4001WithTheReason() throws Exception {
        WsClient missing = WsClient.openPath(server.getPort(), "/authprobe-ws", List.of("stepcast.v1"));
        assertEquals("4001 unauthorized: missing token", missing.closeStatus());
        WsClient expired = WsClient.openPath(
                server.getPort(),
                "/authprobe-ws",
                List.of("stepcast.v1", "bearer." + TestTokens.expired("alice", List.of("p-1"))));
        assertEquals("4001 unauthorized: token expired", expired.closeStatus());
        WsClient forged = WsClient.openPath(
                server.getPort(),
                "/authprobe-ws",
                List.of("stepcast.v1", "bearer." + TestTokens.algNone("eve", List.of("*"))));
        assertEquals("4001 unauthorized: invalid token", forged.closeStatus());
        WsClient publisher = WsClient.openPath(
                server.getPort(), "/authprobe-ws", List.of("stepcast.v1"), "Authorization", "Bearer " + PUBLISHER_KEY);
        assertEquals("4001 unauthorized: not a client token", publisher.closeStatus());
    }

    @Test
    void connectionsThatNeverCompleteARequestAreClosed() throws Exception {
        try (Socket silent = new Socket("127.0.0.1", server.getPort());
                Socket trickle = new Socket("127.0.0.1", server.getPort())) {
            trickle.getOutputStream()
                    .write("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n".getBytes(StandardCharsets.US_ASCII));
            trickle.getOutputStream().flush();
            for (Socket s : List.of(silent, trickle)) {
                s.setSoTimeout(60_000);
                InputStream in = s.getInputStream();
                await().atMost(Duration.ofSeconds(60)).until(() -> in.read() < 0);
            }
        }
    }
}
