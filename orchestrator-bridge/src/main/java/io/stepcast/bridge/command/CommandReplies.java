package io.stepcast.bridge.command;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.stepcast.bridge.RedisLayout;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Sends direct messages to one client session, wherever it is connected: PUBLISH on
 * {@code <prefix>:session:<id>} ({@link RedisLayout#sessionChannel(String)}); the gateway that holds
 * the session forwards the JSON verbatim as a server frame.
 *
 * <p>Command results:
 * <pre>
 * {"type":"command_result","id":"c-1","ok":true,"data":{...}}
 * {"type":"command_result","id":"c-1","ok":false,"error":{"code":"unknown_command","message":"..."}}
 * </pre>
 *
 * <p>Delivery: at most once. Pub/sub keeps nothing: a session that is disconnected at that moment
 * (reconnecting, moving to another gateway) never sees the message. Each future completes with the
 * number of gateways that received it ({@code 0} = the session is connected nowhere right now), so the
 * caller can tell. Anything that must survive belongs in the plan's event stream instead.
 *
 * <p>Redis Cluster: the PUBLISH goes to one node, which broadcasts it over the cluster bus to every
 * node, so the gateway holding the session receives it whichever node its subscription is on. The
 * count then covers only the subscribers connected to the node that took the PUBLISH: {@code 0} does
 * not mean the session is connected nowhere.
 *
 * <p>Thread-safe; calls never block (PUBLISH on a shared, non-blocking connection).
 */
public final class CommandReplies implements AutoCloseable {

    /** Error codes: lower-case words. */
    public static final Pattern ERROR_CODE = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    /** Direct-message types. */
    public static final Pattern MESSAGE_TYPE = Pattern.compile("[a-z][a-z0-9_.:-]{0,63}");
    /** Frame type of command results. */
    public static final String COMMAND_RESULT = "command_result";

    private static final ObjectMapper JSON = new ObjectMapper();

    private final StatefulConnection<String, String> connection;
    private final RedisClusterAsyncCommands<String, String> commands;
    private final RedisLayout layout;
    private final boolean ownsConnection;

    /**
     * Replies over an existing connection, which stays the caller's (not closed by {@link #close()}).
     * The connection must not be used for blocking commands or subscriptions.
     */
    public CommandReplies(StatefulRedisConnection<String, String> connection, RedisLayout layout) {
        this(connection, connection.async(), layout, false);
    }

    /**
     * Replies over an existing Redis Cluster connection, which stays the caller's (not closed by
     * {@link #close()}).
     */
    public CommandReplies(StatefulRedisClusterConnection<String, String> connection, RedisLayout layout) {
        this(connection, connection.async(), layout, false);
    }

    private CommandReplies(
            StatefulConnection<String, String> connection,
            RedisClusterAsyncCommands<String, String> commands,
            RedisLayout layout,
            boolean owns) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.commands = commands;
        this.layout = Objects.requireNonNull(layout, "layout");
        this.ownsConnection = owns;
    }

    /** Replies over a connection of its own, opened now and closed by {@link #close()}. */
    public static CommandReplies connect(RedisClient client, RedisLayout layout) {
        StatefulRedisConnection<String, String> c = client.connect();
        return new CommandReplies(c, c.async(), layout, true);
    }

    /** Replies over a Redis Cluster connection of its own, opened now and closed by {@link #close()}. */
    public static CommandReplies connect(RedisClusterClient client, RedisLayout layout) {
        StatefulRedisClusterConnection<String, String> c = client.connect();
        return new CommandReplies(c, c.async(), layout, true);
    }

    /**
     * Sends a successful {@code command_result}.
     *
     * @param result anything Jackson turns into a JSON object ({@code Map}, record, {@code JsonNode});
     *               {@code null} sends {@code {}}
     * @throws IllegalArgumentException when the ids are invalid or the result is not a JSON object
     */
    public CompletableFuture<Long> reply(String sessionId, String commandId, Object result) {
        ObjectNode frame = resultFrame(commandId, true);
        JsonNode data = result == null ? JSON.createObjectNode() : JSON.valueToTree(result);
        if (!data.isObject()) {
            throw new IllegalArgumentException("command result data must be a JSON object, got " + data.getNodeType());
        }
        frame.set("data", data);
        return publish(sessionId, frame);
    }

    /**
     * Sends a failed {@code command_result}.
     *
     * @param code    machine-readable ({@link #ERROR_CODE}), e.g. a {@link CommandError#code()}
     * @param message for humans
     */
    public CompletableFuture<Long> fail(String sessionId, String commandId, String code, String message) {
        if (code == null || !ERROR_CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("error code must match " + ERROR_CODE.pattern() + ": " + code);
        }
        ObjectNode frame = resultFrame(commandId, false);
        ObjectNode error = frame.putObject("error");
        error.put("code", code);
        error.put("message", message == null ? "" : message);
        return publish(sessionId, frame);
    }

    /** Sends a failed {@code command_result} with a standard code. */
    public CompletableFuture<Long> fail(String sessionId, String commandId, CommandError code, String message) {
        return fail(sessionId, commandId, code.code(), message);
    }

    /** Sends the outcome a {@link CommandHandler} returned; {@link CommandOutcome#deferred()} sends nothing. */
    public CompletableFuture<Long> send(String sessionId, String commandId, CommandOutcome outcome) {
        if (outcome instanceof CommandOutcome.Ok ok) {
            return reply(sessionId, commandId, ok.data());
        }
        if (outcome instanceof CommandOutcome.Failed failed) {
            return fail(sessionId, commandId, failed.code(), failed.message());
        }
        return CompletableFuture.completedFuture(0L);
    }

    /**
     * Sends any direct message: a JSON object whose {@code type} member is a string matching
     * {@link #MESSAGE_TYPE} (for example {@code {"type":"notice","text":"maintenance at 18:00"}}).
     * The gateway forwards it verbatim; pick types that do not collide with the protocol's own frames.
     */
    public CompletableFuture<Long> sendMessage(String sessionId, Object message) {
        JsonNode node = JSON.valueToTree(message);
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a direct message must be a JSON object");
        }
        JsonNode type = node.get("type");
        if (type == null
                || !type.isTextual()
                || !MESSAGE_TYPE.matcher(type.asText()).matches()) {
            throw new IllegalArgumentException(
                    "a direct message needs a string 'type' matching " + MESSAGE_TYPE.pattern());
        }
        return publish(sessionId, node);
    }

    private static ObjectNode resultFrame(String commandId, boolean ok) {
        if (commandId == null || !CommandRecord.COMMAND_ID.matcher(commandId).matches()) {
            throw new IllegalArgumentException("command id must match " + CommandRecord.COMMAND_ID.pattern());
        }
        ObjectNode frame = JSON.createObjectNode();
        frame.put("type", COMMAND_RESULT);
        frame.put("id", commandId);
        frame.put("ok", ok);
        return frame;
    }

    private CompletableFuture<Long> publish(String sessionId, JsonNode frame) {
        String channel = layout.sessionChannel(sessionId);
        String json;
        try {
            json = JSON.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("message cannot be serialized", e);
        }
        return commands.publish(channel, json).toCompletableFuture();
    }

    /** Closes the connection when this instance opened it. */
    @Override
    public void close() {
        if (ownsConnection) {
            connection.close();
        }
    }
}
