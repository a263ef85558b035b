package io.stepcast.bridge.command;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.Consumer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XReadArgs.StreamOffset;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.testing.TestRedis;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommandListenerIT {

    private final RedisLayout layout =
            new RedisLayout("cl" + UUID.randomUUID().toString().substring(0, 8));
    private final List<ReceivedCommand> received = new CopyOnWriteArrayList<>();
    private RedisClient client;
    private StatefulRedisConnection<String, String> gateway;
    private CommandReplies replies;
    private SessionInbox inbox;
    private CommandListener listener;

    @BeforeEach
    void connect() {
        client = RedisClient.create(TestRedis.shared().uri());
        gateway = client.connect();
        replies = CommandReplies.connect(client, layout);
        inbox = new SessionInbox(client, layout.sessionChannel("s1"), layout.sessionChannel("s2"));
    }

    @AfterEach
    void close() {
        if (listener != null) {
            listener.close();
        }
        inbox.close();
        replies.close();
        gateway.close();
        client.shutdown();
    }

    private CommandListenerOptions options(String consumer) {
        return CommandListenerOptions.defaults().withConsumer(consumer).withBlock(Duration.ofMillis(200));
    }

    private CommandOutcome echo(ReceivedCommand cmd) {
        received.add(cmd);
        return switch (cmd.name()) {
            case "cancel" -> CommandOutcome.ok(Map.of("cancelled", cmd.planId()));
            case "boom" -> throw new IllegalStateException("handler bug");
            default -> CommandOutcome.fail(CommandError.UNKNOWN_COMMAND, "no command " + cmd.name());
        };
    }

    private void send(String plan, String id, String session, String command) {
        CommandStream.append(
                        gateway.async(),
                        layout,
                        plan,
                        CommandRecord.of(id, session, command, Map.of("why", "test"), "user-1"))
                .join();
    }

    private long pending(String plan) {
        return gateway.sync()
                .xpending(layout.commandsKey(plan), CommandStream.DEFAULT_GROUP)
                .getCount();
    }

    @Test
    void commandReachesHandlerAndTheResultReachesTheSession() {
        listener = CommandListener.start(client, layout, List.of("p1"), this::echo, replies, options("o1"));
        send("p1", "c-1", "s1", "cancel");

        await().until(() -> inbox.results("c-1").size() == 1);
        JsonNode result = inbox.results("c-1").get(0);
        assertEquals(
                "{\"type\":\"command_result\",\"id\":\"c-1\",\"ok\":true,\"data\":{\"cancelled\":\"p1\"}}",
                result.toString());
        ReceivedCommand cmd = received.get(0);
        assertEquals("p1", cmd.planId());
        assertEquals("user-1", cmd.command().sub());
        assertEquals("test", cmd.command().argsNode().get("why").asText());
        assertFalse(cmd.redelivered());
        await().until(() -> pending("p1") == 0);
    }

    @Test
    void failuresAndHandlerExceptionsAreRepliedAndAcknowledged() {
        listener = CommandListener.start(client, layout, List.of("p1"), this::echo, replies, options("o1"));
        send("p1", "c-1", "s1", "launch");
        send("p1", "c-2", "s2", "boom");
        send("p1", "c-3", "s1", "cancel");

        await().until(() -> inbox.results("c-3").size() == 1);
        assertEquals(
                "{\"type\":\"command_result\",\"id\":\"c-1\",\"ok\":false,\"error\":{\"code\":\"unknown_command\",\"message\":\"no command launch\"}}",
                inbox.results("c-1").get(0).toString());
        await().until(() -> inbox.results("c-2").size() == 1);
        assertEquals(
                "handler_error",
                inbox.results("c-2").get(0).path("error").path("code").asText());
        await().until(() -> pending("p1") == 0);
        assertEquals(3, received.size(), "each command handled once");
    }

    @Test
    void commandsSentBeforeTheOrchestratorStartedAreHandled() {
        send("early", "c-1", "s1", "cancel");
        listener = CommandListener.start(client, layout, List.of("early"), this::echo, replies, options("o1"));
        await().until(() -> inbox.results("c-1").size() == 1);
    }

    @Test
    void plansAddedLaterAreListenedTo() {
        listener = CommandListener.start(client, layout, List.of(), this::echo, replies, options("o1"));
        listener.addPlan("later");
        send("later", "c-9", "s1", "cancel");
        await().until(() -> inbox.results("c-9").size() == 1);
    }

    @Test
    void entriesLeftPendingByADeadConsumerAreClaimed() {
        String key = layout.commandsKey("p1");
        RedisCommands<String, String> redis = gateway.sync();
        redis.xgroupCreate(
                StreamOffset.from(key, "0"), CommandStream.DEFAULT_GROUP, XGroupCreateArgs.Builder.mkstream());
        send("p1", "c-1", "s1", "cancel");
        // a consumer reads the command and dies before acknowledging it
        assertEquals(
                1,
                redis.xreadgroup(Consumer.from(CommandStream.DEFAULT_GROUP, "dead"), StreamOffset.lastConsumed(key))
                        .size());

        listener = CommandListener.start(
                client,
                layout,
                List.of("p1"),
                this::echo,
                replies,
                options("alive").withClaim(Duration.ofMillis(50), Duration.ofMillis(50)));
        await().until(() -> inbox.results("c-1").size() == 1);
        assertTrue(received.get(0).redelivered());
        await().until(() -> pending("p1") == 0);
    }

    @Test
    void ownUnacknowledgedEntriesAreHandledAgainAfterARestart() {
        String key = layout.commandsKey("p1");
        RedisCommands<String, String> redis = gateway.sync();
        redis.xgroupCreate(
                StreamOffset.from(key, "0"), CommandStream.DEFAULT_GROUP, XGroupCreateArgs.Builder.mkstream());
        send("p1", "c-1", "s1", "cancel");
        send("p1", "c-2", "s1", "cancel");
        // the previous incarnation of consumer "o1" read both and crashed
        assertEquals(
                2,
                redis.xreadgroup(
                                Consumer.from(CommandStream.DEFAULT_GROUP, "o1"),
                                XReadArgs.Builder.count(10),
                                StreamOffset.lastConsumed(key))
                        .size());

        listener = CommandListener.start(client, layout, List.of("p1"), this::echo, replies, options("o1"));
        await().until(() -> inbox.results("c-2").size() == 1);
        assertEquals(1, inbox.results("c-1").size());
        assertTrue(received.stream().allMatch(ReceivedCommand::redelivered));
        await().until(() -> pending("p1") == 0);
    }

    @Test
    void malformedAndExpiredEntriesAreAnsweredNotHandled() {
        listener = CommandListener.start(
                client,
                layout,
                List.of("p1"),
                this::echo,
                replies,
                options("o1").withMaxAge(Duration.ofMinutes(1)));
        String key = layout.commandsKey("p1");
        gateway.sync()
                .xadd(
                        key,
                        Map.of(
                                "id",
                                "c-1",
                                "session",
                                "s1",
                                "command",
                                "cancel",
                                "args",
                                "[]",
                                "ts",
                                Instant.now().toString()));
        gateway.sync()
                .xadd(
                        key,
                        Map.of(
                                "id",
                                "c-2",
                                "session",
                                "s1",
                                "command",
                                "cancel",
                                "args",
                                "{}",
                                "ts",
                                Instant.now().minus(Duration.ofMinutes(5)).toString()));
        send("p1", "c-3", "s1", "cancel");

        await().until(() -> inbox.results("c-3").size() == 1);
        await().until(() ->
                inbox.results("c-1").size() == 1 && inbox.results("c-2").size() == 1);
        assertEquals(
                "bad_command",
                inbox.results("c-1").get(0).path("error").path("code").asText());
        assertTrue(inbox.results("c-1")
                .get(0)
                .path("error")
                .path("message")
                .asText()
                .contains("'args'"));
        assertEquals(
                "expired",
                inbox.results("c-2").get(0).path("error").path("code").asText());
        assertEquals(1, received.size());
        await().until(() -> pending("p1") == 0);
    }

    @Test
    void aDeletedStreamAndGroupAreRecreated() {
        listener = CommandListener.start(client, layout, List.of("p1"), this::echo, replies, options("o1"));
        send("p1", "c-1", "s1", "cancel");
        await().until(() -> inbox.results("c-1").size() == 1);

        gateway.sync().del(layout.commandsKey("p1"));
        send("p1", "c-2", "s1", "cancel");
        await().until(() -> inbox.results("c-2").size() == 1);
    }

    @Test
    void twoListenersInOneGroupShareTheWorkWithoutDuplicates() {
        List<ReceivedCommand> other = new CopyOnWriteArrayList<>();
        listener = CommandListener.start(client, layout, List.of("p1"), this::echo, replies, options("o1"));
        try (CommandListener second = CommandListener.start(
                client,
                layout,
                List.of("p1"),
                cmd -> {
                    other.add(cmd);
                    return CommandOutcome.ok(null);
                },
                replies,
                options("o2"))) {
            for (int i = 0; i < 40; i++) {
                send("p1", "c-" + i, "s1", "cancel");
            }
            await().until(() -> received.size() + other.size() == 40);
            await().until(() -> pending("p1") == 0);
            assertEquals(40, received.size() + other.size());
        }
    }

    @Test
    void directMessagesReachTheSession() {
        replies.sendMessage("s2", Map.of("type", "notice", "text", "maintenance"))
                .join();
        await().until(() -> inbox.messages().stream()
                .anyMatch(m -> "notice".equals(m.path("type").asText())
                        && "maintenance".equals(m.path("text").asText())));
        assertEquals(1L, replies.reply("s1", "c-5", null).join(), "one subscriber received it");
        assertEquals(0L, replies.reply("nobody", "c-5", null).join(), "nobody listens on that session");
    }

    @Test
    void invalidRepliesAreRefusedBeforeAnythingIsPublished() {
        assertThrows(IllegalArgumentException.class, () -> replies.reply("s{1}", "c-1", null));
        assertThrows(IllegalArgumentException.class, () -> replies.reply("s1", "bad id", null));
        assertThrows(IllegalArgumentException.class, () -> replies.reply("s1", "c-1", List.of(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> replies.fail("s1", "c-1", "Not-A-Code", "x"));
        assertThrows(IllegalArgumentException.class, () -> replies.sendMessage("s1", Map.of("text", "no type")));
        assertThrows(IllegalArgumentException.class, () -> replies.sendMessage("s1", "just a string"));
        replies.reply("s1", "c-last", null).join();
        await().until(() -> inbox.results("c-last").size() == 1);
        assertEquals(1, inbox.messages().size(), "only the valid reply was published");
    }
}
