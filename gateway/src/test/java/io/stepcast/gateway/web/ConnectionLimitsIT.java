package io.stepcast.gateway.web;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.bridge.token.ClientTokens;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Per-client connection limits across WebSocket, SSE and long-poll: one token subject or one client
 * address cannot take the instance's connections; refusals look like the instance cap (503,
 * {@code Retry-After}, {@code error unavailable}); the client address comes from
 * {@code X-Forwarded-For}/{@code Forwarded} only when the peer is a trusted proxy.
 */
class ConnectionLimitsIT {

    private static final String SECRET = "connection-limits-it-secret-0123456789ab";
    private static final String PLAN = "lim-plan";

    private static String token(String subject) {
        return ClientTokens.withSecret(SECRET).issue(subject, List.of("lim-*"), Duration.ofMinutes(10), false);
    }

    private static WsClient ws(TestGateway gw, String token, String... headers) throws Exception {
        List<String> protocols = token == null ? List.of("stepcast.v1") : List.of("stepcast.v1", "bearer." + token);
        WsClient c = WsClient.openPath(gw.port(), "/ws", protocols, headers);
        c.next("connected");
        return c;
    }

    private static void assertWsRefused(TestGateway gw, String token, String... headers) {
        ExecutionException e = assertThrows(
                ExecutionException.class, () -> ws(gw, token, headers).close());
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
        assertEquals(503, handshake.getResponse().statusCode(), "refused like the instance cap");
        assertTrue(handshake.getResponse().headers().firstValue("Retry-After").isPresent());
    }

    private static HttpResponse<String> get(TestGateway gw, String path, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(gw.uri(path))
                .timeout(Duration.ofSeconds(30))
                .GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return gw.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void assertHttpRefused(HttpResponse<String> res) {
        assertEquals(503, res.statusCode(), res.body());
        assertTrue(res.body().contains("\"code\":\"unavailable\""), res.body());
        assertTrue(res.headers().firstValue("Retry-After").isPresent());
    }

    @Test
    void oneSubjectCannotHoldMoreThanItsShareOnAnyTransport() throws Exception {
        try (TestGateway gw = TestGateway.start(Map.of(
                "stepcast.auth.enabled",
                "true",
                "stepcast.auth.hs256-secret",
                SECRET,
                "stepcast.limits.connections-per-subject",
                2,
                "stepcast.limits.connections-per-address",
                0))) {
            String alice = token("alice");
            List<WsClient> open = new ArrayList<>(List.of(ws(gw, alice), ws(gw, alice)));
            try {
                assertWsRefused(gw, alice);
                String auth = "Bearer " + alice;
                assertHttpRefused(get(gw, "/api/plans/" + PLAN + "/stream", "Authorization", auth));
                assertHttpRefused(get(gw, "/api/plans/" + PLAN + "/events?since=0&wait=5", "Authorization", auth));
                open.add(ws(gw, token("bob"))); // another subject is not affected

                ConnectionQuota quota = gw.context().getBean(ConnectionQuota.class);
                open.remove(0).close();
                await().atMost(Duration.ofSeconds(20)).until(() -> quota.subjectCount("alice") == 1);
                HttpResponse<String> poll =
                        get(gw, "/api/plans/" + PLAN + "/events?since=0&wait=0.2", "Authorization", auth);
                assertEquals(200, poll.statusCode(), "a freed slot is usable again: " + poll.body());
                await().atMost(Duration.ofSeconds(20)).until(() -> quota.subjectCount("alice") == 1);
            } finally {
                open.forEach(WsClient::close);
            }
        }
    }

    @Test
    void behindATrustedProxyTheForwardedClientAddressIsCounted() throws Exception {
        try (TestGateway gw = TestGateway.start(
                Map.of("stepcast.limits.connections-per-address", 2, "stepcast.limits.trusted-proxies", "127.0.0.1"))) {
            List<WsClient> open = new ArrayList<>(List.of(
                    ws(gw, null, "X-Forwarded-For", "203.0.113.7"),
                    ws(gw, null, "X-Forwarded-For", "198.51.100.1, 203.0.113.7")));
            try {
                assertWsRefused(gw, null, "X-Forwarded-For", "203.0.113.7");
                assertWsRefused(gw, null, "Forwarded", "for=203.0.113.7;proto=http");
                assertHttpRefused(get(gw, "/api/plans/" + PLAN + "/stream", "X-Forwarded-For", "203.0.113.7"));
                open.add(ws(gw, null, "X-Forwarded-For", "203.0.113.8")); // another client behind the proxy
            } finally {
                open.forEach(WsClient::close);
            }
        }
    }

    @Test
    void fromAnUntrustedPeerForwardingHeadersAreIgnored() throws Exception {
        try (TestGateway gw = TestGateway.start(
                Map.of("stepcast.limits.connections-per-address", 2, "stepcast.limits.trusted-proxies", "none"))) {
            List<WsClient> open = new ArrayList<>(List.of(
                    ws(gw, null, "X-Forwarded-For", "203.0.113.1"), ws(gw, null, "X-Forwarded-For", "203.0.113.2")));
            try {
                assertWsRefused(gw, null, "X-Forwarded-For", "203.0.113.3");
                assertHttpRefused(
                        get(gw, "/api/plans/" + PLAN + "/events?since=0&wait=5", "X-Forwarded-For", "203.0.113.4"));
            } finally {
                open.forEach(WsClient::close);
            }
        }
    }
}
