package io.stepcast.gateway.presence;

import static io.stepcast.gateway.presence.PresenceProbe.connections;
import static io.stepcast.gateway.presence.PresenceProbe.gateway;
import static io.stepcast.gateway.presence.PresenceProbe.subscribed;
import static io.stepcast.gateway.presence.PresenceProbe.watchers;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.testing.RedisProcess;
import io.stepcast.bridge.testing.TestRedis;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Presence across gateways on one (standalone) Redis: each test has its own Redis process, so the
 * totals are exactly the test's own connections.
 */
class PresenceIT {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void twoGatewaysCountOnePlansWatchersTogetherOverWebSocketSseAndLongPoll() throws Exception {
        try (RedisProcess redis = TestRedis.startThrowaway();
                LettuceEventPublisher publisher = LettuceEventPublisher.create(redis.uri());
                TestGateway a = gateway(redis.uri(), "300ms", Map.of());
                TestGateway b = gateway(redis.uri(), "300ms", Map.of())) {
            String plan = TestGateway.planId("seen");
            PublishResult first =
                    publisher.publish(plan, new StepOutput(0, "hello\n")).join();
            try (WsClient ws = subscribed(a, plan);
                    InputStream sse = PresenceProbe.sse(b, plan)) {
                CompletableFuture<HttpResponse<String>> longPoll = b.http.sendAsync(
                        HttpRequest.newBuilder(b.uri("/api/plans/" + plan + "/events?since=" + first.seq() + "&epoch="
                                        + first.epoch() + "&wait=30"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                await().atMost(WAIT).until(() -> watchers(a, plan) == 3 && watchers(b, plan) == 3);
                await().atMost(WAIT).until(() -> connections(a) == 3 && connections(b) == 3);
                assertEquals(0, watchers(a, TestGateway.planId("nobody")));
                assertEquals(
                        3,
                        PresenceProbe.json(b, "/api/plans?prefix=" + plan, 200)
                                .path("plans")
                                .path(0)
                                .path("watchers")
                                .asLong(-1),
                        "the plan index's summary carries the watchers");

                publisher.publish(plan, new StepOutput(0, "more\n")).join(); // answers the long-poll
                assertEquals(200, longPoll.join().statusCode());
                await().atMost(WAIT).until(() -> watchers(a, plan) == 2 && connections(b) == 2);
                ws.close();
                await().atMost(WAIT).until(() -> watchers(b, plan) == 1 && connections(a) == 1);
            }
            await().atMost(WAIT).until(() -> watchers(a, plan) == 0 && connections(a) == 0);
        }
    }

    @Test
    void aGatewayThatStopsHeartbeatingDropsOutOfTheTotals() throws Exception {
        try (RedisProcess redis = TestRedis.startThrowaway();
                TestGateway a = gateway(redis.uri(), "300ms", Map.of());
                TestGateway b = gateway(redis.uri(), "300ms", Map.of())) {
            String plan = TestGateway.planId("crash");
            try (WsClient onA = subscribed(a, plan);
                    WsClient onB = subscribed(b, plan)) {
                await().atMost(WAIT).until(() -> watchers(a, plan) == 2 && connections(a) == 2);
                b.context().getBean(LettucePresence.class).stopHeartbeat(); // as if b crashed
                await().atMost(WAIT).until(() -> watchers(a, plan) == 1 && connections(a) == 1);
            }
        }
    }

    @Test
    void aGatewayThatShutsDownGracefullyLeavesTheTotalsAtOnce() throws Exception {
        try (RedisProcess redis = TestRedis.startThrowaway();
                TestGateway a = gateway(redis.uri(), "300ms", Map.of())) {
            String plan = TestGateway.planId("leave");
            // b's deadline is 20 s after its last heartbeat: only its leaving can remove it at once; a
            // watcher it gains after its first heartbeat (1 s after start) counts from its next one
            TestGateway b = gateway(redis.uri(), "10s", Map.of());
            try (WsClient onA = subscribed(a, plan);
                    WsClient onB = subscribed(b, plan)) {
                await().atMost(WAIT.plusSeconds(10)).until(() -> watchers(a, plan) == 2);
                b.close();
                assertEquals(1, watchers(a, plan), "b's share is gone as soon as it stopped");
                assertEquals(1, connections(a));
            }
        }
    }

    @Test
    void countsAreRightAgainAfterRedisRestartsEmpty() throws Exception {
        try (RedisProcess redis = TestRedis.startThrowaway();
                TestGateway a = gateway(redis.uri(), "300ms", Map.of("stepcast.redis.command-timeout", "1s"));
                TestGateway b = gateway(redis.uri(), "300ms", Map.of("stepcast.redis.command-timeout", "1s"))) {
            String plan = TestGateway.planId("restart");
            try (WsClient stays = subscribed(b, plan)) {
                WsClient leaves = subscribed(a, plan);
                WsClient alsoStays = subscribed(a, plan);
                await().atMost(WAIT).until(() -> watchers(a, plan) == 3 && connections(b) == 3);
                redis.kill(); // everything in Redis is gone
                leaves.close(); // a change while Redis is away: applied once it is back
                redis.start();
                await().atMost(WAIT).until(() -> watchers(a, plan) == 2 && watchers(b, plan) == 2);
                await().atMost(WAIT).until(() -> connections(a) == 2);
                alsoStays.close();
                await().atMost(WAIT).until(() -> watchers(b, plan) == 1 && connections(b) == 1);
            }
        }
    }
}
