package io.stepcast.gateway.auth;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Authentication and authorization on the real {@code /ws} endpoint, against a real Redis. */
class WsAuthIT {

    private static TestGateway server;

    @BeforeAll
    static void start() {
        server = TestGateway.start(
                Map.of("stepcast.auth.enabled", "true", "stepcast.auth.hs256-secret", TestTokens.SECRET));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static WsClient connect(String token) throws Exception {
        return WsClient.openPath(
                server.port(),
                "/ws",
                token == null ? List.of("stepcast.v1") : List.of("stepcast.v1", "bearer." + token));
    }

    private static int status(String pathAndQuery, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + pathAndQuery))
                .timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HttpClient.newHttpClient()
                .send(b.build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void httpTransportsAreAuthorizedPerPlanBeforeTheControllerRuns() throws Exception {
        String token = TestTokens.hs256("alice", List.of("auth-it-h"), false);
        for (String path : List.of(
                "/api/plans/auth-it-x",
                "/api/dashboard/plan/auth-it-x/poll",
                "/api/plans/auth-it-x/events?since=0&wait=1",
                "/api/plans/auth-it-x/stream")) {
            assertEquals(401, status(path, null), path);
            assertEquals(403, status(path, token), path);
            assertEquals(401, status(path, TestTokens.expired("alice", List.of("auth-it-x"))), path);
        }
        assertFalse(
                List.of(401, 403).contains(status("/api/plans/auth-it-h", token)),
                "granted plan reaches the controller");
        assertEquals(200, status("/api/info", null));
    }

    @Test
    void noTokenClosesWith4001BeforeConnected() throws Exception {
        WsClient client = connect(null);
        assertEquals("4001 unauthorized: missing token", client.closeStatus());
        WsClient expired = connect(TestTokens.expired("alice", List.of("p-1")));
        assertEquals("4001 unauthorized: token expired", expired.closeStatus());
    }

    @Test
    void subscribingOutsideTheTokensPlansIsForbidden() throws Exception {
        WsClient client = connect(TestTokens.hs256("alice", List.of("auth-it-a:*"), false));
        client.awaitText("\"connected\"");
        client.send("{\"type\":\"subscribe\",\"plan_id\":\"auth-it-b\"}");
        String error = client.awaitText("\"error\"");
        assertTrue(error.contains("\"code\":\"forbidden\"") && error.contains("\"ref\":\"auth-it-b\""), error);
        client.send("{\"type\":\"subscribe\",\"plan_id\":\"auth-it-a:1\"}");
        assertTrue(client.awaitText("\"subscribed\"").contains("auth-it-a:1"));
    }

    @Test
    void commandsNeedTheCmdClaim() throws Exception {
        WsClient client = connect(TestTokens.hs256("alice", List.of("auth-it-c"), false));
        client.awaitText("\"connected\"");
        client.send("{\"type\":\"command\",\"id\":\"c1\",\"plan_id\":\"auth-it-c\",\"command\":\"cancel\"}");
        String error = client.awaitText("\"error\"");
        assertTrue(error.contains("\"code\":\"forbidden\"") && error.contains("\"ref\":\"c1\""), error);
    }

    @Test
    void anExpiringTokenClosesTheSessionWith4001() throws Exception {
        WsClient client = connect(TestTokens.hs256("alice", List.of("p-1"), Duration.ofSeconds(2)));
        client.awaitText("\"connected\"");
        assertEquals("4001 unauthorized: token expired", client.closeStatus());
    }

    @Test
    void refreshWithTheSameSubjectKeepsTheSessionOpen() throws Exception {
        String shortToken = TestTokens.hs256("alice", List.of("auth-it-r1", "auth-it-r2"), Duration.ofSeconds(3));
        Instant firstExpiry = Instant.now().plusSeconds(4);
        WsClient client = connect(shortToken);
        client.awaitText("\"connected\"");
        client.send("{\"type\":\"subscribe\",\"plan_id\":\"auth-it-r1\"}");
        client.awaitText("\"subscribed\"");
        client.send("{\"type\":\"subscribe\",\"plan_id\":\"auth-it-r2\"}");
        client.awaitText("\"subscribed\"");
        // a different subject is refused and changes nothing
        client.send("{\"type\":\"refresh\",\"id\":\"r0\",\"token\":\""
                + TestTokens.hs256("mallory", List.of("*"), false) + "\"}");
        String refused = client.awaitText("\"error\"");
        assertTrue(refused.contains("\"code\":\"unauthorized\"") && refused.contains("\"ref\":\"r0\""), refused);
        assertFalse(refused.contains("eyJ"), "tokens are never echoed: " + refused);
        // same subject, narrower plans, longer lifetime
        client.send("{\"type\":\"refresh\",\"id\":\"r1\",\"token\":\""
                + TestTokens.hs256("alice", List.of("auth-it-r1"), false) + "\"}");
        Map<String, String> frames = client.awaitTexts("\"forbidden\"", "\"unsubscribed\"", "\"refreshed\"");
        assertTrue(frames.get("\"forbidden\"").contains("auth-it-r2"), frames.toString());
        assertTrue(frames.get("\"unsubscribed\"").contains("auth-it-r2"), frames.toString());
        assertTrue(frames.get("\"refreshed\"").contains("\"id\":\"r1\""), frames.toString());
        await().pollDelay(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(60))
                .until(() -> Instant.now().isAfter(firstExpiry));
        client.send("{\"type\":\"ping\",\"id\":7}");
        client.awaitText("\"pong\"");
        assertFalse(client.isClosed());
    }

    @Test
    void aRejectedRefreshLeavesTheOldExpiryInForce() throws Exception {
        WsClient client = connect(TestTokens.hs256("alice", List.of("p-1"), Duration.ofSeconds(3)));
        client.awaitText("\"connected\"");
        client.send("{\"type\":\"refresh\",\"token\":\"" + TestTokens.algNone("alice", List.of("*")) + "\"}");
        assertTrue(client.awaitText("\"error\"").contains("invalid token"));
        assertEquals("4001 unauthorized: token expired", client.closeStatus());
    }
}
