package io.stepcast.bridge.redis;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.stepcast.bridge.RedisLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * The plan-index script ({@code io/stepcast/bridge/index.lua}, with {@code index-lib.lua} prepended)
 * and its calling convention: the idempotent upsert that keeps the index of a Redis Cluster, where the
 * index ({@code {_plans}} slot) and a plan live in different slots (PROTOCOL.md §3.7), and the repair
 * of one entry from a plan's state. Immutable and thread-safe.
 */
public final class IndexScript {

    /** What one call does with the plan's entry. */
    public enum Mode {
        /** Store the summary the publish script returned, unless the index holds it or a later one. */
        UPSERT("upsert"),
        /** Derive the summary from the plan's state snapshot; store it unless the entry says the same. */
        REPAIR("repair"),
        /** The plan has no state any more: drop its entry. */
        REMOVE("remove");

        private final String wire;

        Mode(String wire) {
            this.wire = wire;
        }
    }

    private static final String PUBLISH_CALL = "redis.call('PUBLISH', ix.channel, frame)";
    private static final String SOURCE = PublishScript.load("index-lib.lua") + PublishScript.load("index.lua");
    private static final String SHARDED_SOURCE =
            replaceOnce(SOURCE, PUBLISH_CALL, "redis.call('SPUBLISH', ix.channel, frame)");
    private static final byte[] SCRIPT = SOURCE.getBytes(StandardCharsets.UTF_8);
    private static final byte[] SHARDED_SCRIPT = SHARDED_SOURCE.getBytes(StandardCharsets.UTF_8);
    private static final String SHA1 = PublishScript.sha1(SOURCE);
    private static final String SHARDED_SHA1 = PublishScript.sha1(SHARDED_SOURCE);

    private IndexScript() {}

    /** The Lua source; {@code sharded}: change frames go by {@code SPUBLISH} (Redis ≥ 7 cluster). */
    public static String source(boolean sharded) {
        return sharded ? SHARDED_SOURCE : SOURCE;
    }

    /** KEYS of the index: zset, summaries, meta, log, ids (one slot). */
    static byte[][] keys(RedisLayout layout) {
        return new byte[][] {
            RedisLayout.bytes(layout.indexKey()),
            RedisLayout.bytes(layout.indexSummariesKey()),
            RedisLayout.bytes(layout.indexMetaKey()),
            RedisLayout.bytes(layout.indexLogKey()),
            RedisLayout.bytes(layout.indexIdsKey())
        };
    }

    /**
     * Runs the script once (EVALSHA, EVAL on NOSCRIPT) on {@code redis}, which routes by key.
     *
     * @param payload   the summary ({@link Mode#UPSERT}), the state JSON ({@link Mode#REPAIR}) or empty
     * @param retention the plan meta TTL: entries whose last change is older are pruned
     * @return true when the index changed
     */
    static CompletableFuture<Boolean> run(
            RedisClusterAsyncCommands<byte[], byte[]> redis,
            boolean sharded,
            RedisLayout layout,
            String planId,
            Mode mode,
            String payload,
            Duration retention) {
        byte[][] keys = keys(layout);
        byte[][] args = {
            RedisLayout.bytes(planId),
            RedisLayout.bytes(mode.wire),
            RedisLayout.bytes(payload),
            RedisLayout.bytes(layout.indexChannel()),
            RedisLayout.bytes(EncodedEvent.random(RedisLayout.EPOCH_LENGTH)),
            PublishScript.number(retention.toMillis())
        };
        return redis.<Long>evalsha(sharded ? SHARDED_SHA1 : SHA1, ScriptOutputType.INTEGER, keys, args)
                .toCompletableFuture()
                .exceptionallyCompose(t -> RetryPolicy.isNoScript(t)
                        ? redis.<Long>eval(sharded ? SHARDED_SCRIPT : SCRIPT, ScriptOutputType.INTEGER, keys, args)
                                .toCompletableFuture()
                        : CompletableFuture.failedFuture(t))
                .thenApply(changed -> changed != null && changed == 1L);
    }

    static String replaceOnce(String source, String call, String replacement) {
        if (!source.contains(call)) {
            throw new IllegalStateException("script no longer contains " + call);
        }
        return source.replace(call, replacement);
    }
}
