package io.stepcast.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.command.CommandReplies;
import io.stepcast.bridge.testing.TestRedis;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Client commands reach the plan's command stream; the orchestrator's reply comes back verbatim. */
class WsCommandsIT {

    static TestGateway server;
    static RedisClient redis;
    static StatefulRedisConnection<String, String> connection;

    @BeforeAll
    static void start() {
        server = TestGateway.start(Map.of("stepcast.ws.max-subscriptions", 3));
        redis = RedisClient.create(TestRedis.shared().uri());
        connection = redis.connect();
    }

    @AfterAll
    static void stop() {
        connection.close();
        redis.shutdown();
        server.close();
    }

    @Test
    void aCommandIsQueuedForTheOrchestratorAndItsResultForwardedVerbatim() {
        String plan = WsStreamIT.plan("cmd");
        try (WsClient c = WsClient.connect(WsClient.uri(server));
                CommandReplies replies = CommandReplies.connect(redis, RedisLayout.defaults())) {
            String session = c.next("connected").path("session_id").asText();
            c.send("{\"type\":\"command\",\"id\":\"c-1\",\"plan_id\":\"" + plan
                    + "\",\"command\":\"step:retry\",\"args\":{\"step\": 2}}");
            String stream = RedisLayout.defaults().commandsKey(plan);
            await().atMost(WsClient.WAIT)
                    .until(() -> !connection
                            .sync()
                            .xrange(stream, Range.create("-", "+"))
                            .isEmpty());
            List<StreamMessage<String, String>> entries = connection.sync().xrange(stream, Range.create("-", "+"));
            assertEquals(1, entries.size());
            Map<String, String> f = entries.get(0).getBody();
            assertEquals("c-1", f.get("id"));
            assertEquals(session, f.get("session"));
            assertEquals("step:retry", f.get("command"));
            assertEquals("{\"step\":2}", f.get("args")); // compact, as the bridge's CommandRecord stores it
            assertTrue(f.containsKey("ts"));

            replies.reply(session, "c-1", Map.of("retrying", 2)).join();
            JsonNode result = c.next("command_result");
            assertEquals(
                    "{\"type\":\"command_result\",\"id\":\"c-1\",\"ok\":true,\"data\":{\"retrying\":2}}",
                    result.toString());
            replies.fail(session, "c-2", "conflict", "step 2 is still running").join();
            JsonNode failed = c.next("command_result");
            assertFalse(failed.path("ok").asBoolean());
            assertEquals("conflict", failed.path("error").path("code").asText());
        }
    }

    @Test
    void directMessagesReachOnlyTheirSession() {
        try (WsClient a = WsClient.connect(WsClient.uri(server));
                WsClient b = WsClient.connect(WsClient.uri(server))) {
            String sa = a.next("connected").path("session_id").asText();
            b.next("connected");
            // the gateway PSUBSCRIBEs its session route in the background when its first session opens: a
            // message published before that is confirmed reaches nobody (PUBLISH answers 0), so publish
            // again until one was received
            await().atMost(WsClient.WAIT)
                    .until(() -> connection
                                    .sync()
                                    .publish(
                                            RedisLayout.defaults().sessionChannel(sa),
                                            "{\"type\":\"notice\",\"text\":\"hi\"}")
                            > 0);
            assertEquals("hi", a.next("notice").path("text").asText());
            b.assertUsable();
            assertTrue(b.queued() == 0);
        }
    }

    @Test
    void subscriptionsBeyondTheLimitAreRefusedAndResubscribingDoesNotCount() {
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            for (int i = 0; i < 3; i++) {
                c.send("{\"type\":\"subscribe\",\"plan_id\":\"lim-" + i + "\"}");
                c.next("subscribed");
            }
            c.send("{\"type\":\"subscribe\",\"plan_id\":\"lim-0\"}");
            c.next("subscribed");
            c.send("{\"type\":\"subscribe\",\"plan_id\":\"lim-3\"}");
            assertEquals(
                    "lim-3", c.nextError("too_many_subscriptions").path("ref").asText());
            c.send("{\"type\":\"unsubscribe\",\"plan_id\":\"lim-1\"}");
            c.next("unsubscribed");
            c.send("{\"type\":\"subscribe\",\"plan_id\":\"lim-3\"}");
            c.next("subscribed");
            c.assertUsable();
        }
    }
}
