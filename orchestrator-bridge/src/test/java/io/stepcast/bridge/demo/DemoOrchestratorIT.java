package io.stepcast.bridge.demo;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.command.CommandRecord;
import io.stepcast.bridge.command.CommandStream;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DemoOrchestratorIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RedisLayout layout =
            new RedisLayout("demo" + UUID.randomUUID().toString().substring(0, 8));
    private RedisClient client;
    private StatefulRedisConnection<String, String> redis;
    private LettuceEventPublisher publisher;
    private DemoOrchestrator demo;

    @BeforeEach
    void connect() {
        client = RedisClient.create(TestRedis.shared().uri());
        redis = client.connect();
        publisher = LettuceEventPublisher.create(
                TestRedis.shared().uri(),
                BridgeConfig.builder().prefix(layout.prefix()).build());
    }

    @AfterEach
    void close() {
        if (demo != null) {
            demo.close();
        }
        publisher.close();
        redis.close();
        client.shutdown();
    }

    private List<JsonNode> log(String plan) {
        return redis.sync().xrange(layout.logKey(plan), Range.create("-", "+")).stream()
                .map(StreamMessage::getBody)
                .map(b -> read(b.get(RedisLayout.LOG_FIELD)))
                .toList();
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(List<JsonNode> log, String event) {
        return log.stream().filter(f -> event.equals(f.get("event").asText())).count();
    }

    @Test
    void plansRunToCompletionAndStartAgain() {
        demo = DemoOrchestrator.start(
                publisher,
                DemoOptions.defaults()
                        .withPlans(2)
                        .withRate(500)
                        .withFailureRate(0)
                        .withPause(Duration.ofMillis(100))
                        .withSeed(1));
        assertEquals(List.of("demo-1", "demo-2"), demo.planIds());

        await().atMost(Duration.ofSeconds(60))
                .until(() -> count(log("demo-1"), "plan_started") >= 2 && count(log("demo-2"), "plan_started") >= 2);
        List<JsonNode> log = log("demo-1");
        assertEquals("plan_started", log.get(0).get("event").asText());
        int firstEnd = 0;
        while (!"plan_completed".equals(log.get(firstEnd).get("event").asText())) {
            firstEnd++;
        }
        assertEquals(
                "plan_started", log.get(firstEnd + 1).get("event").asText(), "the next run follows the completed one");
        assertEquals(log.get(0).get("epoch"), log.get(firstEnd + 1).get("epoch"), "same epoch");
        for (int i = 0; i < log.size(); i++) {
            assertEquals(i + 1, log.get(i).get("seq").asLong());
        }
        assertTrue(count(log.subList(0, firstEnd), "step_output") >= 8, "log chunks");
        JsonNode state = read(redis.sync().get(layout.stateKey("demo-1")));
        assertTrue(state.has("overall_status"), state.toString());
    }

    @Test
    void failingRunsEndWithPlanFailed() {
        demo = DemoOrchestrator.start(
                publisher,
                DemoOptions.defaults()
                        .withPlans(1)
                        .withRate(500)
                        .withFailureRate(1)
                        .withPause(Duration.ofHours(1))
                        .withSeed(2));
        await().atMost(Duration.ofSeconds(60)).until(() -> count(log("demo-1"), "plan_failed") == 1);
        List<JsonNode> log = log("demo-1");
        assertTrue(log.stream()
                .anyMatch(f -> "failed".equals(f.get("data").path("status").asText())));
        assertEquals("plan_failed", log.get(log.size() - 1).get("event").asText());
    }

    @Test
    void answersCancelRetryStatusAndUnknownCommands() {
        List<JsonNode> results = new CopyOnWriteArrayList<>();
        StatefulRedisPubSubConnection<String, String> pubsub = client.connectPubSub();
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                results.add(read(message));
            }
        });
        pubsub.sync().subscribe(layout.sessionChannel("s1"));
        try {
            // slow enough that a run lasts many seconds: the cancel arrives while it runs
            demo = DemoOrchestrator.start(
                            publisher,
                            DemoOptions.defaults()
                                    .withPlans(1)
                                    .withRate(2)
                                    .withFailureRate(0)
                                    .withPause(Duration.ofHours(1))
                                    .withSeed(3))
                    .listenForCommands(client, layout);
            await().until(() -> count(log("demo-1"), "plan_started") == 1);

            send("c-1", "status");
            send("c-2", "cancel");
            await().until(() -> results.size() == 2);
            assertEquals("running", results.get(0).get("data").get("state").asText(), results.toString());
            assertEquals(true, results.get(1).get("ok").asBoolean(), results.toString());
            await().until(() -> count(log("demo-1"), "plan_cancelled") == 1);

            send("c-3", "cancel");
            send("c-4", "launch");
            send("c-5", "retry");
            await().until(() -> results.size() == 5);
            assertEquals("conflict", results.get(2).get("error").get("code").asText());
            assertEquals(
                    "unknown_command", results.get(3).get("error").get("code").asText());
            assertEquals(2, results.get(4).get("data").get("run").asInt());
            await().until(() -> count(log("demo-1"), "plan_started") == 2);
        } finally {
            pubsub.close();
        }
    }

    private void send(String id, String command) {
        CommandStream.append(redis.async(), layout, "demo-1", CommandRecord.of(id, "s1", command, Map.of(), "tester"))
                .join();
    }
}
