package io.stepcast.bridge.redis;

import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.RedisLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Redis side of {@link LettuceEventPublisher}: one call of the publish script for a batch of one
 * plan, and the plan index upsert that follows it on Redis Cluster. A script call waits for the
 * {@link DurabilityProbe} to know the server's run, claims the batch for that run, runs the script
 * with {@code EVALSHA} (falling back to {@code EVAL} on {@code NOSCRIPT}) and, when
 * {@link BridgeConfig#waitReplicas()} is set, {@code WAIT}s on the same connection for the replicas.
 *
 * <p>Outcomes are the returned futures; nothing here retries or settles publishes (the publisher
 * decides from the failure). Threading: thread-safe; futures complete on Lettuce I/O threads.
 * Owns the {@link RedisConnector}: {@link #close()} closes it.
 */
final class PublishCalls implements AutoCloseable {

    /** The publisher's logger: these lines are the publisher's, as operators know them. */
    private static final Logger LOG = LoggerFactory.getLogger(LettuceEventPublisher.class);

    private static final byte[] SCRIPT = PublishScript.source(false).getBytes(StandardCharsets.UTF_8);
    private static final byte[] SHARDED_SCRIPT = PublishScript.source(true).getBytes(StandardCharsets.UTF_8);

    private final BridgeConfig config;
    private final RedisLayout layout;
    private final RedisConnector connector;
    private final DurabilityProbe durability = new DurabilityProbe();

    PublishCalls(RedisConnector connector, BridgeConfig config) {
        this.config = config;
        this.layout = config.layout();
        this.connector = connector;
    }

    /** Timer: refreshes what the durability probe knows of the connected server, when connected. */
    void probeDurability() {
        RedisConnector.Link link = connector.established();
        if (link != null && link.connection().isOpen()) {
            durability.probe(link.connection());
        }
    }

    /** Runs the publish script with these keys and args (connecting first if needed): its raw reply. */
    CompletableFuture<List<Object>> publish(byte[][] keys, byte[][] args) {
        try {
            return connector.connection().thenCompose(c -> run(c, keys, args));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<List<Object>> run(RedisConnector.Link link, byte[][] keys, byte[][] args) {
        return durability.ready(link.connection()).thenCompose(probed -> {
            PublishScript.claim(args, durability.durableRun(), config.waitReplicas() > 0);
            return runScript(link, keys, args);
        });
    }

    private CompletableFuture<List<Object>> runScript(RedisConnector.Link link, byte[][] keys, byte[][] args) {
        if (config.waitReplicas() == 0) {
            return script(link.commands(), link.sharded(), keys, args);
        }
        // the script and then WAIT on the same (slot master's) connection: WAIT covers that connection's writes
        return link.writerOf(keys[0])
                .thenCompose(writer -> script(writer, link.sharded(), keys, args)
                        .thenCompose(reply -> writer.waitForReplication(
                                        config.waitReplicas(),
                                        config.waitTimeout().toMillis())
                                .toCompletableFuture()
                                .thenApply(acked -> {
                                    if (acked < config.waitReplicas()) {
                                        throw new RedisException("WAIT: " + acked + " of " + config.waitReplicas()
                                                + " replicas acknowledged within " + config.waitTimeout()
                                                + "; retrying");
                                    }
                                    return reply;
                                })));
    }

    private static CompletableFuture<List<Object>> script(
            RedisClusterAsyncCommands<byte[], byte[]> redis, boolean sharded, byte[][] keys, byte[][] args) {
        return redis.<List<Object>>evalsha(PublishScript.sha1(sharded), ScriptOutputType.MULTI, keys, args)
                .toCompletableFuture()
                .exceptionallyCompose(t -> RetryPolicy.isNoScript(t)
                        ? redis.<List<Object>>eval(
                                        sharded ? SHARDED_SCRIPT : SCRIPT, ScriptOutputType.MULTI, keys, args)
                                .toCompletableFuture()
                        : CompletableFuture.failedFuture(t));
    }

    /**
     * Upserts a changed summary into the plan index after the publish script (Redis Cluster: the
     * index is in another slot). A failure is logged and leaves the entry stale until the plan's next
     * summary change or {@code index-repair}; the events themselves are published either way.
     */
    CompletableFuture<Boolean> upsertIndex(String planId, String summary) {
        CompletableFuture<Boolean> done;
        try {
            done = connector
                    .connection()
                    .thenCompose(link -> IndexScript.run(
                            link.commands(),
                            link.sharded(),
                            layout,
                            planId,
                            IndexScript.Mode.UPSERT,
                            summary,
                            config.metaTtl()));
        } catch (RuntimeException e) {
            done = CompletableFuture.failedFuture(e);
        }
        return done.whenComplete((changed, t) -> {
            if (t != null) {
                LOG.warn(
                        "plan index upsert of {} failed, entry stale until its next change or index-repair: {}",
                        planId,
                        RetryPolicy.unwrap(t).toString());
            }
        });
    }

    @Override
    public void close() {
        connector.close();
    }
}
