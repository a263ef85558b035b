package io.stepcast.bridge.command;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.async.RedisKeyAsyncCommands;
import io.lettuce.core.api.async.RedisStreamAsyncCommands;
import io.stepcast.bridge.RedisLayout;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * How commands are appended to a plan's command stream: the gateway's half of the command path,
 * kept here so that writer and reader ({@link CommandListener}) share one definition.
 *
 * <p>{@code XADD <prefix>:{<plan>}:commands MAXLEN ~ 10000 * id .. session .. command .. args .. [sub ..] ts ..}
 * followed by {@code EXPIRE <key> 86400} (pipelined, not atomic: a lost EXPIRE only delays cleanup).
 */
public final class CommandStream {

    /** Default consumer group of the orchestrator. */
    public static final String DEFAULT_GROUP = "orchestrator";
    /** Approximate cap of a plan's command stream. */
    public static final long MAX_LEN = 10_000;
    /** A command stream without new commands expires after this long (its consumer group with it). */
    public static final Duration TTL = Duration.ofHours(24);

    private CommandStream() {}

    /**
     * Appends {@code command} to the command stream of {@code planId}.
     *
     * @param redis any async connection's commands (e.g. {@code connection.async()}); the call does not block
     * @return the stream entry id
     */
    public static <C extends RedisStreamAsyncCommands<String, String> & RedisKeyAsyncCommands<String, String>>
            CompletableFuture<String> append(C redis, RedisLayout layout, String planId, CommandRecord command) {
        String key = layout.commandsKey(planId);
        RedisFuture<String> id =
                redis.xadd(key, XAddArgs.Builder.maxlen(MAX_LEN).approximateTrimming(), command.toFields());
        redis.expire(key, TTL.toSeconds());
        return id.toCompletableFuture();
    }
}
