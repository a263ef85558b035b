package io.stepcast.gateway.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * What the gateway's Redis readers share: read-only scripts run with EVALSHA (EVAL after a Redis restart
 * flushed the script cache), every failure turned into {@link RedisUnavailableException}, and reply
 * decoding. Stateless.
 */
final class RedisCalls {

    private RedisCalls() {}

    /** A script's source and SHA-1 digest. */
    record Script(String source, String sha) {
        Script(String source) {
            this(source, sha1(source));
        }
    }

    /** Runs {@code script} returning a multi-bulk reply; fails with {@link RedisUnavailableException}. */
    static CompletableFuture<List<Object>> eval(
            RedisClusterAsyncCommands<String, byte[]> commands, Script script, String[] keys, byte[]... args) {
        try {
            return wrap(commands.<List<Object>>evalsha(script.sha(), ScriptOutputType.MULTI, keys, args)
                    .toCompletableFuture()
                    .exceptionallyCompose(error -> cause(error) instanceof RedisNoScriptException
                            ? commands.<List<Object>>eval(script.source(), ScriptOutputType.MULTI, keys, args)
                                    .toCompletableFuture()
                            : CompletableFuture.failedFuture(error)));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(unavailable(e));
        }
    }

    /** The stage, its failure turned into {@link RedisUnavailableException}. */
    static <T> CompletableFuture<T> wrap(CompletionStage<T> stage) {
        return stage.toCompletableFuture().handle((value, error) -> {
            if (error != null) {
                throw new CompletionException(unavailable(cause(error)));
            }
            return value;
        });
    }

    static RuntimeException unavailable(Throwable error) {
        return error instanceof RedisUnavailableException r
                ? r
                : new RedisUnavailableException("Redis request failed: " + error.getMessage(), error);
    }

    static Throwable cause(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
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

    private static String sha1(String source) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
