package io.stepcast.gateway.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.token.ClientTokens;
import io.stepcast.gateway.TestGateway;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A waiting long-poll lives no longer than the token it was authenticated with. */
class LongPollAuthIT {

    private static final String SECRET = "long-poll-auth-it-secret-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(Map.of(
                "stepcast.auth.enabled", "true",
                "stepcast.auth.hs256-secret", SECRET,
                "stepcast.http.long-poll.max-wait", "60s",
                "stepcast.auth.clock-skew", "2s"));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static String token(String plan, Duration ttl) {
        return ClientTokens.withSecret(SECRET).issue("alice", List.of(plan), ttl, false);
    }

    private static CompletableFuture<HttpResponse<String>> waitFor(String plan, PublishResult head, String token) {
        return gw.http.sendAsync(
                HttpRequest.newBuilder(gw.uri("/api/plans/" + plan + "/events?since=" + head.seq() + "&epoch="
                                + head.epoch() + "&wait=60"))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aWaitEndsWithAnEmptyPageWhenItsTokenExpiresAndDeliversNothingAfterwards() throws Exception {
        String plan = TestGateway.planId("lp-exp");
        PublishResult head =
                gw.publisher().publish(plan, new PlanStarted("p", List.of("a"))).join();
        String shortLived = token(plan, Duration.ofSeconds(3));

        CompletableFuture<HttpResponse<String>> waiting = waitFor(plan, head, shortLived);
        // the wait (60 s asked) ends when the token is no longer honoured (exp + 2 s leeway), seconds from now
        await().atMost(Duration.ofSeconds(30)).until(waiting::isDone);
        gw.publisher().publish(plan, new StepOutput(0, "after expiry\n")).join();
        HttpResponse<String> res = waiting.join();
        assertEquals(200, res.statusCode(), res.body());
        JsonNode page = JSON.readTree(res.body());
        assertEquals(0, page.get("events").size(), "nothing delivered on an expired token: " + res.body());
        assertEquals(head.seq(), page.get("seq").asLong(), "the cursor is unchanged");

        assertEquals(401, waitFor(plan, head, shortLived).join().statusCode(), "the next request needs a fresh token");
        HttpResponse<String> fresh =
                waitFor(plan, head, token(plan, Duration.ofMinutes(5))).join();
        assertEquals(200, fresh.statusCode(), fresh.body());
        assertEquals(1, JSON.readTree(fresh.body()).get("events").size(), "a fresh token resumes: " + fresh.body());
    }
}
