package io.stepcast.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.token.ClientTokens;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.http.SseTestClient.SseEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** An SSE stream lives no longer than the token it was opened with (a WebSocket closes with 4001). */
class SseAuthIT {

    private static final String SECRET = "sse-auth-it-secret-0123456789abcdef-0123";
    private static final Duration T = Duration.ofSeconds(20);
    private static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of(
                "stepcast.auth.enabled", "true",
                "stepcast.auth.hs256-secret", SECRET,
                "stepcast.http.sse.heartbeat", "300ms"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    /** The next non-comment event that is an {@code error} or the end, failing after {@link #T} in all. */
    private static SseEvent untilErrorOrEnd(SseTestClient sse, String[] lastId) throws InterruptedException {
        long deadline = System.nanoTime() + T.toNanos();
        while (System.nanoTime() < deadline) {
            SseEvent e = sse.next(T); // comments too (heartbeats), so the deadline is checked
            if (e.id() != null) {
                lastId[0] = e.id();
            }
            if ("error".equals(e.event()) || e == SseTestClient.END) {
                return e;
            }
        }
        throw new AssertionError("the stream neither ended nor sent an error within " + T);
    }

    private static SseTestClient open(String plan, Duration ttl, String lastEventId) throws Exception {
        String token = ClientTokens.withSecret(SECRET).issue("alice", List.of(plan), ttl, false);
        return lastEventId == null
                ? SseTestClient.open(
                        gw.http, gw.uri("/api/plans/" + plan + "/stream"), "Authorization", "Bearer " + token)
                : SseTestClient.open(
                        gw.http,
                        gw.uri("/api/plans/" + plan + "/stream"),
                        "Authorization",
                        "Bearer " + token,
                        "Last-Event-ID",
                        lastEventId);
    }

    @Test
    void aStreamEndsWithUnauthorizedWhenItsTokenExpiresAndAFreshTokenResumesIt() throws Exception {
        String plan = TestGateway.planId("sse-exp");
        gw.publisher().publish(plan, new PlanStarted("p", List.of("a"))).get(10, TimeUnit.SECONDS);
        String lastId;
        try (SseTestClient sse = open(plan, Duration.ofSeconds(3), null)) {
            assertEquals(200, sse.response.statusCode());
            assertEquals("subscribed", sse.nextEvent(T).event());
            String[] last = {sse.nextEvent(T).id()}; // the snapshot
            SseEvent e = untilErrorOrEnd(sse, last);
            lastId = last[0];
            assertEquals("error", e.event(), "the stream must end with an error event, not just stop");
            assertTrue(
                    e.data().contains("\"code\":\"unauthorized\"") && e.data().contains("token expired"), e.data());
            assertEquals(SseTestClient.END, sse.nextEvent(T), "and then end");
        }
        // what was published meanwhile arrives on a stream opened with a fresh token, from the last id
        gw.publisher().publish(plan, new StepOutput(0, "after expiry")).get(10, TimeUnit.SECONDS);
        try (SseTestClient sse = open(plan, Duration.ofMinutes(5), lastId)) {
            assertEquals("subscribed", sse.nextEvent(T).event());
            SseEvent next = sse.nextEvent(T);
            assertEquals("step_output", next.event());
            assertTrue(next.data().contains("after expiry"), next.data());
        }
    }

    @Test
    void aStreamWithALongLivedTokenOutlivesAShortOne() throws Exception {
        String plan = TestGateway.planId("sse-long");
        try (SseTestClient shortLived = open(plan, Duration.ofSeconds(2), null);
                SseTestClient longLived = open(plan, Duration.ofMinutes(5), null)) {
            assertEquals("subscribed", shortLived.nextEvent(T).event());
            assertEquals("subscribed", longLived.nextEvent(T).event());
            assertEquals("error", untilErrorOrEnd(shortLived, new String[1]).event());
            // the long-lived stream is still open: it keeps getting heartbeat comments
            for (int i = 0; i < 3; i++) {
                SseEvent ping = longLived.next(T);
                assertNotEquals(SseTestClient.END, ping);
                assertTrue(ping.comment() != null || !"error".equals(ping.event()), ping.toString());
            }
        }
    }
}
