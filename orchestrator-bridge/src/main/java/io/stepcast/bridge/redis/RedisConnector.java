package io.stepcast.bridge.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.RedisMode;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The publisher's Redis connection, connected lazily and asynchronously: when Redis is down at
 * start-up the first attempts fail (and are retried by the publisher) instead of the constructor.
 * Once connected, Lettuce's auto-reconnect keeps it alive. In {@link RedisMode#CLUSTER} mode it is a
 * Lettuce cluster connection (commands routed by the slot of their first key, topology refreshed
 * periodically and on redirects), and the server version decides whether plan frames go by
 * {@code SPUBLISH} (Redis ≥ 7) or {@code PUBLISH}. Thread-safe.
 */
final class RedisConnector implements AutoCloseable {

    /** Topology refresh period of an owned cluster client (failovers are also caught on redirects). */
    static final Duration TOPOLOGY_REFRESH = Duration.ofSeconds(2);

    /**
     * An established connection.
     *
     * @param connection the connection (standalone or cluster)
     * @param sharded    true when plan frames are published with {@code SPUBLISH}
     */
    record Link(StatefulConnection<byte[], byte[]> connection, boolean sharded) {

        /** Commands routed by key (cluster: to the slot's master). */
        RedisClusterAsyncCommands<byte[], byte[]> commands() {
            return connection instanceof StatefulRedisClusterConnection<byte[], byte[]> c
                    ? c.async()
                    : ((StatefulRedisConnection<byte[], byte[]>) connection).async();
        }

        /**
         * The connection that writes {@code key}: in cluster mode the node connection of the slot's
         * current master (the same one key-routed commands use), so that a {@code WAIT} sent on it
         * covers the writes sent before it.
         */
        CompletableFuture<RedisClusterAsyncCommands<byte[], byte[]>> writerOf(byte[] key) {
            if (!(connection instanceof StatefulRedisClusterConnection<byte[], byte[]> c)) {
                return CompletableFuture.completedFuture(commands());
            }
            RedisClusterNode master = c.getPartitions().getMasterBySlot(SlotHash.getSlot(key));
            if (master == null) {
                return CompletableFuture.failedFuture(new RedisException(
                        "no master known for slot " + SlotHash.getSlot(key) + " (topology refresh pending)"));
            }
            return c.getConnectionAsync(
                            master.getUri().getHost(), master.getUri().getPort())
                    .thenApply(StatefulRedisConnection::async);
        }
    }

    private final AbstractRedisClient client;
    private final RedisURI uri;
    private final ClientResources ownedResources;
    private final boolean ownsClient;
    /** The current or last connect attempt; guarded by this. */
    private CompletableFuture<Link> connection;

    private boolean closed;

    RedisConnector(AbstractRedisClient client, RedisURI uri, ClientResources ownedResources, boolean ownsClient) {
        this.client = client;
        this.uri = uri;
        this.ownedResources = ownedResources;
        this.ownsClient = ownsClient;
    }

    /**
     * A connector with its own client and resources: auto-reconnect with the configured backoff,
     * commands rejected (not queued) while disconnected, {@link BridgeConfig#commandTimeout()}. In
     * cluster mode {@code redisUri} lists seed nodes ({@code redis://h1:p1,h2:p2}). TLS files of
     * {@link BridgeConfig#tls()} apply to a {@code rediss://} URI (an unusable file or a plain URI with
     * TLS files fails here with {@link IllegalArgumentException}).
     */
    static RedisConnector owned(String redisUri, BridgeConfig config) {
        LettuceTls.checkScheme(config.tls(), redisUri);
        SslOptions ssl = LettuceTls.sslOptions(config.tls());
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(config.backoffMin(), config.backoffMax(), 2, TimeUnit.MILLISECONDS))
                .build();
        if (config.redisMode() == RedisMode.CLUSTER) {
            // the seeds' timeout also bounds the handshake with each node of a topology refresh (a hung node)
            List<RedisURI> seeds = RedisClusterURIUtil.toRedisURIs(URI.create(redisUri));
            seeds.forEach(seed -> seed.setTimeout(config.commandTimeout()));
            RedisClusterClient client = RedisClusterClient.create(resources, seeds);
            client.setOptions(ClusterClientOptions.builder()
                    .sslOptions(ssl)
                    .autoReconnect(true)
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(TOPOLOGY_REFRESH)
                            .enableAllAdaptiveRefreshTriggers()
                            .build())
                    .build());
            return new RedisConnector(client, null, resources, true);
        }
        RedisClient client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .sslOptions(ssl)
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                .build());
        return new RedisConnector(client, RedisURI.create(redisUri), resources, true);
    }

    /** The connection, (re)starting a connect attempt when there is none or the last one failed. */
    synchronized CompletableFuture<Link> connection() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("connector closed"));
        }
        if (connection == null || connection.isCompletedExceptionally()) {
            connection = connect();
        }
        return connection;
    }

    /** The connection when one is established now, else null (never starts a connect attempt). */
    synchronized Link established() {
        CompletableFuture<Link> c = connection;
        return c != null && c.isDone() && !c.isCompletedExceptionally() && !closed ? c.getNow(null) : null;
    }

    private CompletableFuture<Link> connect() {
        if (client instanceof RedisClusterClient cluster) {
            // the first topology is loaded asynchronously (connectAsync needs it and would not load it)
            return cluster.refreshPartitionsAsync()
                    .toCompletableFuture()
                    .thenCompose(topology -> cluster.connectAsync(ByteArrayCodec.INSTANCE))
                    .thenCompose(c -> c.async()
                            .info("server")
                            .toCompletableFuture()
                            .thenApply(info -> new Link(c, majorVersion(info) >= 7))
                            .whenComplete((link, error) -> {
                                if (error != null) {
                                    c.closeAsync();
                                }
                            }));
        }
        return ((RedisClient) client)
                .connectAsync(ByteArrayCodec.INSTANCE, uri)
                .toCompletableFuture()
                .thenApply(c -> new Link(c, false));
    }

    /** The major version in an {@code INFO server} reply, 0 when absent. */
    static int majorVersion(Object info) {
        String text = info instanceof byte[] b ? new String(b, StandardCharsets.UTF_8) : String.valueOf(info);
        for (String line : text.split("\r?\n")) {
            if (line.startsWith("redis_version:")) {
                String v = line.substring("redis_version:".length()).trim();
                int dot = v.indexOf('.');
                try {
                    return Integer.parseInt(dot < 0 ? v : v.substring(0, dot));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    @Override
    public void close() {
        CompletableFuture<Link> c;
        synchronized (this) {
            closed = true;
            c = connection;
        }
        if (c != null) {
            c.thenAccept(link -> link.connection().close());
        }
        if (ownsClient) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (ownedResources != null) {
            ownedResources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
