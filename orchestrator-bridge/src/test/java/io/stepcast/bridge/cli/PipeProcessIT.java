package io.stepcast.bridge.cli;

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
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.command.CommandRecord;
import io.stepcast.bridge.command.CommandStream;
import io.stepcast.bridge.testing.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code BridgeCli pipe} as a real process against real Redis. */
class PipeProcessIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String prefix = "pipe" + UUID.randomUUID().toString().substring(0, 8);
    private final RedisLayout layout = new RedisLayout(prefix);
    private RedisClient client;
    private StatefulRedisConnection<String, String> redis;

    @BeforeEach
    void connect() {
        client = RedisClient.create(TestRedis.shared().uri());
        redis = client.connect();
    }

    @AfterEach
    void close() {
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

    @Test
    void customEventDataIsPublishedExactlyAsWrittenByteForByte() throws Exception {
        String data = "{\"at\": 1796383123.123456, \"n\":1E+2,\"z\":-0.0, \"big\":123456789012345678901234567890,"
                + "\"s\":\"caf\\u00e9 \\/ \u00e9\",\"nested\":{ \"a\" : [1.50, true, null] } }";
        try (CliProcess cli = new CliProcess(TestRedis.shared().uri(), "pipe", "--prefix", prefix)) {
            assertEquals(
                    0,
                    cli.write("{\"plan_id\":\"raw\",\"event\":\"metrics:sample\",\"data\":" + data + "}")
                            .finish(),
                    "stderr: " + cli.stderr());
        }
        String frame = redis.sync()
                .xrange(layout.logKey("raw"), Range.create("-", "+"))
                .get(0)
                .getBody()
                .get(RedisLayout.LOG_FIELD);
        assertTrue(frame.endsWith(",\"data\":" + data + "}"), "data spliced in as written: " + frame);
    }

    @Test
    void badLinesAreReportedWithTheirNumbersAndSkippedWhileTheRestIsPublishedInOrder() throws Exception {
        try (CliProcess cli = new CliProcess(TestRedis.shared().uri(), "pipe", "--prefix", prefix)) {
            int code = cli.write(
                            "{\"plan_id\":\"p1\",\"event\":\"plan_started\",\"data\":{\"name\":\"build\",\"steps\":[\"compile\",\"test\"]}}",
                            "this is not json",
                            "{\"plan_id\":\"p1\",\"event\":\"step_status\",\"data\":{\"step_index\":0,\"status\":\"running\"}}",
                            "{\"plan_id\":\"p1\",\"event\":\"step_status\",\"data\":{\"step_index\":0,\"status\":\"finished\"}}",
                            "",
                            "{\"plan_id\":\"bad plan\",\"event\":\"step_output\",\"data\":{\"step_index\":0,\"chunk\":\"x\"}}",
                            "{\"plan_id\":\"p1\",\"event\":\"step_output\",\"data\":{\"step_index\":0,\"chunk\":\"compiling\\n\"},\"event_id\":\"out-1\"}",
                            "{\"plan_id\":\"p1\",\"event\":\"step_status\",\"data\":{\"step_index\":0,\"status\":\"succeeded\"}}",
                            "{\"plan_id\":\"p1\",\"event\":\"plan_completed\",\"data\":{\"summary\":{\"ok\":true}}}")
                    .finish();

            assertEquals(1, code, "some lines failed; stderr: " + cli.stderr());
            List<String> errors =
                    cli.stderr().stream().filter(l -> l.startsWith("line ")).toList();
            assertEquals(3, errors.size(), "stderr: " + cli.stderr());
            assertTrue(errors.get(0).startsWith("line 2: line: not JSON"), errors.get(0));
            assertTrue(errors.get(1).startsWith("line 4: status: "), errors.get(1));
            assertTrue(errors.get(2).startsWith("line 6: plan_id: "), errors.get(2));
        }
        List<JsonNode> log = log("p1");
        assertEquals(
                List.of("plan_started", "step_status", "step_output", "step_status", "plan_completed"),
                log.stream().map(f -> f.get("event").asText()).toList());
        assertEquals(
                List.of(1L, 2L, 3L, 4L, 5L),
                log.stream().map(f -> f.get("seq").asLong()).toList());
        assertEquals("compiling\n", log.get(2).get("data").get("chunk").asText());
    }

    @Test
    void exitsZeroWhenEveryLineIsPublished() throws Exception {
        try (CliProcess cli = new CliProcess(TestRedis.shared().uri(), "pipe", "--prefix", prefix)) {
            StringBuilder many = new StringBuilder();
            String[] lines = new String[500];
            for (int i = 0; i < lines.length; i++) {
                lines[i] = "{\"plan_id\":\"p" + (i % 5) + "\",\"event\":\"tick\",\"data\":{\"n\":" + i + "}}";
            }
            assertEquals(0, cli.write(lines).finish(), "stderr: " + cli.stderr());
            assertTrue(cli.stderr().isEmpty(), "nothing on stderr: " + cli.stderr());
        }
        for (int p = 0; p < 5; p++) {
            List<JsonNode> log = log("p" + p);
            assertEquals(100, log.size());
            for (int i = 0; i < log.size(); i++) {
                assertEquals(i * 5 + p, log.get(i).get("data").get("n").asInt(), "order kept per plan");
            }
        }
    }

    @Test
    void usageErrorsExitTwo() throws Exception {
        try (CliProcess cli = new CliProcess(TestRedis.shared().uri(), "pipe", "--bogus")) {
            assertEquals(2, cli.finish());
            assertTrue(
                    cli.stderr().get(0).contains("unknown option --bogus"),
                    cli.stderr().toString());
        }
    }

    @Test
    void commandsComeOutOnStdoutAndReplyLinesReachTheSession() throws Exception {
        List<JsonNode> sessionMessages = new CopyOnWriteArrayList<>();
        StatefulRedisPubSubConnection<String, String> pubsub = client.connectPubSub();
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                sessionMessages.add(read(message));
            }
        });
        pubsub.sync().subscribe(layout.sessionChannel("sess-1"));
        try (CliProcess cli = new CliProcess(
                TestRedis.shared().uri(),
                "pipe",
                "--prefix",
                prefix,
                "--commands",
                "p1,p2",
                "--consumer",
                "pipe-test")) {
            // the gateway's way of appending a command
            CommandStream.append(
                            redis.async(),
                            layout,
                            "p2",
                            CommandRecord.of("c-7", "sess-1", "retry", Map.of("step", 2), "alice"))
                    .join();

            await().atMost(Duration.ofSeconds(30)).until(() -> !cli.stdout().isEmpty());
            JsonNode command = read(cli.stdout().get(0)).get("command");
            assertEquals("p2", command.get("plan_id").asText());
            assertEquals("c-7", command.get("id").asText());
            assertEquals("sess-1", command.get("session").asText());
            assertEquals("retry", command.get("command").asText());
            assertEquals(2, command.get("args").get("step").asInt());
            assertEquals("alice", command.get("sub").asText());

            cli.write(
                    "{\"reply\":{\"session\":\"sess-1\",\"id\":\"c-7\",\"ok\":true,\"data\":{\"retrying\":2}}}",
                    "{\"reply\":{\"session\":\"sess-1\",\"id\":\"c-8\",\"ok\":false,\"error\":{\"code\":\"conflict\",\"message\":\"busy\"}}}",
                    "{\"reply\":{\"session\":\"sess-1\",\"ok\":true}}");
            await().until(() -> sessionMessages.size() == 2);
            assertEquals(
                    "{\"type\":\"command_result\",\"id\":\"c-7\",\"ok\":true,\"data\":{\"retrying\":2}}",
                    sessionMessages.get(0).toString());
            assertEquals(
                    "{\"type\":\"command_result\",\"id\":\"c-8\",\"ok\":false,\"error\":{\"code\":\"conflict\",\"message\":\"busy\"}}",
                    sessionMessages.get(1).toString());
            assertEquals(1, cli.finish(), "the reply without id failed");
            assertTrue(
                    cli.stderr().stream().anyMatch(l -> l.startsWith("line 3: reply.id")),
                    cli.stderr().toString());
        } finally {
            pubsub.close();
        }
        assertEquals(
                0,
                redis.sync()
                        .xpending(layout.commandsKey("p2"), CommandStream.DEFAULT_GROUP)
                        .getCount(),
                "the command was acknowledged");
    }
}
