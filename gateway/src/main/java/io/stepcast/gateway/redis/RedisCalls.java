package io.stepcast.gateway.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What the gateway's Redis readers share on top of {@link LuaScript}: multi-bulk script calls that
 * never throw (every failure completes the future with {@link RedisUnavailableException}) and reply
 * decoding. Stateless.
 */
final class RedisCalls {

    private RedisCalls() {}

    /** Runs {@code script} returning a multi-bulk reply; fails with {@link RedisUnavailableException}. */
    static CompletableFuture<List<Object>> eval(
            RedisClusterAsyncCommands<String, byte[]> commands, LuaScript script, String[] keys, byte[]... args) {
        try {
            return script.run(commands, ScriptOutputType.MULTI, keys, args);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(LuaScript.unavailable(e));
        }
    }

    static String text(Object value) {
        return value == null ? null : new String((byte[]) value, StandardCharsets.UTF_8);
    }

    static long number(Object value) {
        return value == null ? 0 : Long.parseLong(text(value));
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
