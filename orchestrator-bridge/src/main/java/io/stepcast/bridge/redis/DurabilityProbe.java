package io.stepcast.bridge.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the Redis the publisher writes to acknowledges only fsynced writes ({@code appendonly yes}
 * and {@code appendfsync always}), bound to the run_id of the process that said so. The publish
 * script records, with each write, whether it carried this claim; only then may a later restart of
 * Redis keep the plan's epoch (PROTOCOL.md, lost writes). Anything unproven (CONFIG disabled, other
 * settings, a probe that failed) is no claim, which costs clients a reset after a restart, never a
 * silent loss.
 *
 * <p>Probed once per connection before its first publish and again every {@link #INTERVAL}: a claim
 * made for a process that has since restarted is ignored by the script (other run_id), and a runtime
 * {@code CONFIG SET appendfsync} is seen within one interval. Thread-safe.
 */
final class DurabilityProbe {

    /** How often a connected publisher probes again. */
    static final Duration INTERVAL = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(DurabilityProbe.class);
    private static final Pattern RUN_ID = Pattern.compile("run_id:([0-9a-f]+)");

    private volatile String durableRun;
    private StatefulConnection<byte[], byte[]> probed;
    private CompletableFuture<Void> firstProbe;

    /** The run_id of the Redis process that is verified to fsync every write, or null. */
    String durableRun() {
        return durableRun;
    }

    /** Completes once {@code connection} has been probed at least once (never exceptionally). */
    synchronized CompletableFuture<Void> ready(StatefulConnection<byte[], byte[]> connection) {
        if (probed != connection) {
            probed = connection;
            firstProbe = probe(connection);
        }
        return firstProbe;
    }

    /**
     * Probes {@code connection} now; completes when done (never exceptionally). A Redis Cluster
     * connection makes no claim: CONFIG and INFO would answer for some node, not the slot's master.
     */
    CompletableFuture<Void> probe(StatefulConnection<byte[], byte[]> connection) {
        if (!(connection instanceof StatefulRedisConnection<byte[], byte[]> standalone)) {
            update(null);
            return CompletableFuture.completedFuture(null);
        }
        try {
            RedisAsyncCommands<byte[], byte[]> redis = standalone.async();
            CompletableFuture<Map<String, String>> aof =
                    redis.configGet("appendonly").toCompletableFuture();
            CompletableFuture<Map<String, String>> fsync =
                    redis.configGet("appendfsync").toCompletableFuture();
            CompletableFuture<String> info = redis.info("server").toCompletableFuture();
            return aof.thenCombine(
                            fsync, (a, f) -> "yes".equals(a.get("appendonly")) && "always".equals(f.get("appendfsync")))
                    .thenCombine(info, (always, server) -> always ? runId(server) : null)
                    .handle((run, error) -> {
                        if (error != null) {
                            LOG.debug(
                                    "Redis durability probe failed (publishing without a durability claim): {}",
                                    error.toString());
                        }
                        update(error == null ? run : null);
                        return null;
                    });
        } catch (RuntimeException e) {
            update(null);
            return CompletableFuture.completedFuture(null);
        }
    }

    private void update(String run) {
        if (!Objects.equals(run, durableRun)) {
            LOG.info(
                    run != null
                            ? "Redis {} fsyncs every write (AOF always): restarts keep plan epochs"
                            : "Redis write durability not proven{}: a Redis restart or failover resets resuming clients",
                    run != null ? run : "");
        }
        durableRun = run;
    }

    private static String runId(String info) {
        Matcher m = RUN_ID.matcher(info == null ? "" : info);
        return m.find() ? m.group(1) : null;
    }
}
