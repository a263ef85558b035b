package io.stepcast.gateway.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), falling back to {@code EVAL} once when Redis
 * lost its script cache (restart, failover, {@code SCRIPT FLUSH}). Failures complete the future with
 * {@link RedisUnavailableException}. Immutable and thread-safe.
 */
public final class LuaScript {

    private final String source;
    private final String sha;

    public LuaScript(String source) {
        this.source = source;
        this.sha = sha1(source);
    }

    /** Runs the script; its reply as Lettuce gives it for {@code type}. */
    public <T> CompletableFuture<T> run(
            RedisClusterAsyncCommands<String, byte[]> commands, ScriptOutputType type, String[] keys, byte[]... args) {
        return unavailableOnError(commands.<T>evalsha(sha, type, keys, args)
                .toCompletableFuture()
                .exceptionallyCompose(error -> cause(error) instanceof RedisNoScriptException
                        ? commands.<T>eval(source, type, keys, args).toCompletableFuture()
                        : CompletableFuture.failedFuture(error)));
    }

    /** The stage, with any failure turned into a {@link RedisUnavailableException}. */
    public static <T> CompletableFuture<T> unavailableOnError(CompletionStage<T> stage) {
        return stage.toCompletableFuture().handle((value, error) -> {
            if (error != null) {
                throw new CompletionException(unavailable(cause(error)));
            }
            return value;
        });
    }

    /** {@code error} as a {@link RedisUnavailableException} (itself when it already is one). */
    public static RedisUnavailableException unavailable(Throwable error) {
        return error instanceof RedisUnavailableException r
                ? r
                : new RedisUnavailableException("Redis request failed: " + error.getMessage(), error);
    }

    /** The error inside any {@link CompletionException} wrappers. */
    public static Throwable cause(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
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
