package io.stepcast.gateway.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.stepcast.bridge.RedisAccessException;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.RedisTls;
import io.stepcast.bridge.redis.RedisRefusals;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The instance's two Redis connections: one command connection (reads, appends) and ONE pub/sub
 * connection (all plan channels plus the instance's session-channel pattern). Keys and channel names
 * are UTF-8 strings, values stay {@code byte[]} so event frames are never re-encoded (the pub/sub
 * connection decodes channel names through a cache: {@link PubSubCodec}).
 *
 * <p>Lifecycle: both connections are opened in the background (on Lettuce's event executors, never on
 * the constructing thread) from construction on, and retried with
 * back-off until Redis answers, so a gateway started before its Redis comes up not-ready instead of
 * crashing; after the first connect Lettuce reconnects by itself (and re-subscribes the pub/sub
 * connection). {@link RedisHealth} follows every transition of these two connections.
 *
 * <p>Options: the command connection rejects commands while disconnected and times every command out
 * after {@code command-timeout} (callers fail fast, nothing queues up unbounded). The pub/sub
 * connection accepts (queues) SUBSCRIBE/UNSUBSCRIBE while disconnected: Lettuce sends them after its
 * own re-subscription on reconnect, so the hub's latest decision per channel wins.
 *
 * <p>Cluster mode ({@link RedisMode#CLUSTER}): both are Lettuce cluster connections (commands routed
 * to the slot's master; topology refreshed every {@code reconcile-interval} and on redirects and
 * reconnects). The pub/sub connection is the cluster pub/sub connection whose default node carries the
 * session pattern (plain pub/sub is broadcast over the whole cluster); sharded plan subscriptions live
 * on its per-node connections ({@link LettuceClusterPlanBus}). Health follows the two default
 * connections only: a lost node is the cluster bus's business, not the instance's readiness.
 *
 * <p>Thread-safe. Closed by the {@link RedisFactory} bean's pre-destroy hook.
 */
public final class RedisConnections implements AutoCloseable {

    /** String keys and channel names, raw byte values. */
    public static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private static final Logger LOG = LoggerFactory.getLogger(RedisConnections.class);
    private static final long MAX_BACKOFF_MS = 5_000;

    private final String address;
    private final RedisMode mode;
    private final ClientResources resources;
    private final RedisHealth health;
    private final AbstractRedisClient commandClient;
    private final AbstractRedisClient pubSubClient;
    private final CompletableFuture<StatefulConnection<String, byte[]>> commands = new CompletableFuture<>();
    private final CompletableFuture<StatefulRedisPubSubConnection<String, byte[]>> pubSub = new CompletableFuture<>();
    private volatile boolean closed;

    /** Without TLS files (a {@code rediss://} URI then trusts the JVM's default CAs). */
    public RedisConnections(GatewayRedisConfig config, ClientResources resources, RedisHealth health) {
        this(config, RedisTls.NONE, resources, health);
    }

    /**
     * Connections with the TLS files of {@code tls} ({@link GatewayRedisTlsConfig}).
     *
     * @throws IllegalStateException without a URI, or when the TLS files are unusable or set for a
     *                               plain {@code redis://} URI (the gateway does not start)
     */
    public RedisConnections(GatewayRedisConfig config, RedisTls tls, ClientResources resources, RedisHealth health) {
        if (config.uri() == null || config.uri().isBlank()) {
            throw new IllegalStateException(GatewayRedisConfig.MISSING_URI);
        }
        RedisClientOptions options = new RedisClientOptions(config, tls);
        this.mode = config.redisMode();
        this.resources = resources;
        this.health = health;
        PubSubCodec pubSubCodec = new PubSubCodec();
        if (mode == RedisMode.CLUSTER) {
            List<RedisURI> seeds = RedisClusterURIUtil.toRedisURIs(URI.create(config.uri()));
            seeds.forEach(seed -> seed.setTimeout(config.commandTimeout()));
            this.address =
                    seeds.stream().map(u -> u.getHost() + ":" + u.getPort()).toList() + " (cluster)";
            RedisClusterClient commandCluster = RedisClusterClient.create(resources, seeds);
            commandCluster.setOptions(options.cluster(true));
            RedisClusterClient pubSubCluster = RedisClusterClient.create(resources, seeds);
            pubSubCluster.setOptions(options.cluster(false));
            this.commandClient = commandCluster;
            this.pubSubClient = pubSubCluster;
            commandClient.addListener(new LinkListener(RedisHealth.Link.COMMANDS));
            pubSubClient.addListener(new LinkListener(RedisHealth.Link.PUB_SUB));
            connect(
                    "command",
                    () -> commandCluster
                            .refreshPartitionsAsync()
                            .thenCompose(topology -> commandCluster.connectAsync(CODEC)),
                    commands,
                    0);
            connect(
                    "pub/sub",
                    () -> pubSubCluster
                            .refreshPartitionsAsync()
                            .thenCompose(topology -> pubSubCluster.connectPubSubAsync(pubSubCodec)),
                    pubSub,
                    0);
            return;
        }
        RedisURI uri = RedisURI.create(config.uri());
        uri.setTimeout(config.commandTimeout());
        this.address = uri.getHost() + ":" + uri.getPort();
        RedisClient commandServer = RedisClient.create(resources, uri);
        commandServer.setOptions(options.standalone(true));
        RedisClient pubSubServer = RedisClient.create(resources, uri);
        pubSubServer.setOptions(options.standalone(false));
        this.commandClient = commandServer;
        this.pubSubClient = pubSubServer;
        commandClient.addListener(new LinkListener(RedisHealth.Link.COMMANDS));
        pubSubClient.addListener(new LinkListener(RedisHealth.Link.PUB_SUB));
        // the first attempts run on Lettuce's own threads: building a connection loads and links a
        // few hundred Lettuce classes, which then overlaps with the rest of start-up instead of
        // delaying the HTTP listener (readiness waits for both connections anyway)
        resources
                .eventExecutorGroup()
                .execute(() -> connect("command", () -> commandServer.connectAsync(CODEC, uri), commands, 0));
        resources
                .eventExecutorGroup()
                .execute(() -> connect("pub/sub", () -> pubSubServer.connectPubSubAsync(pubSubCodec, uri), pubSub, 0));
    }

    /** Standalone or cluster. */
    public RedisMode mode() {
        return mode;
    }

    /** Follows every connection of the pub/sub client (cluster: also its per-node connections). */
    void addPubSubStateListener(RedisConnectionStateListener listener) {
        pubSubClient.addListener(listener);
    }

    /** Cluster mode: reloads the topology of the pub/sub client now (a no-op in standalone mode). */
    CompletionStage<Void> refreshPubSubTopology() {
        return pubSubClient instanceof RedisClusterClient cluster
                ? cluster.refreshPartitionsAsync()
                : CompletableFuture.completedFuture(null);
    }

    /** The address (without credentials) for logs. */
    public String address() {
        return address;
    }

    /**
     * The async commands of the command connection.
     *
     * @throws RedisUnavailableException when the first connect has not succeeded yet
     */
    @SuppressWarnings("unchecked")
    public RedisClusterAsyncCommands<String, byte[]> commands() {
        StatefulConnection<String, byte[]> connection = commands.getNow(null);
        if (connection == null) {
            throw new RedisUnavailableException("Redis at " + address() + " is not connected yet");
        }
        return connection instanceof StatefulRedisClusterConnection<String, byte[]> cluster
                ? cluster.async()
                : ((StatefulRedisConnection<String, byte[]>) connection).async();
    }

    /** The pub/sub connection, once its first connect succeeded (never completes if closed before). */
    public CompletionStage<StatefulRedisPubSubConnection<String, byte[]>> pubSub() {
        return pubSub;
    }

    /** The pub/sub connection, or null before the first connect. */
    public StatefulRedisPubSubConnection<String, byte[]> pubSubNow() {
        return pubSub.getNow(null);
    }

    private <C extends StatefulConnection<String, byte[]>> void connect(
            String name,
            Supplier<? extends CompletionStage<? extends C>> opener,
            CompletableFuture<C> target,
            int attempt) {
        if (closed) {
            return;
        }
        CompletionStage<? extends C> opening;
        try {
            opening = opener.get();
        } catch (RuntimeException e) {
            opening = CompletableFuture.failedFuture(e);
        }
        opening.whenComplete((connection, error) -> {
            if (error == null) {
                if (closed) {
                    connection.closeAsync();
                    return;
                }
                LOG.info("Redis {} connection to {} established", name, address());
                target.complete(connection);
                health.update(
                        name.equals("command") ? RedisHealth.Link.COMMANDS : RedisHealth.Link.PUB_SUB,
                        connection.isOpen());
                return;
            }
            long delay = Math.min(MAX_BACKOFF_MS, 100L << Math.min(attempt, 6));
            RedisAccessException refused = RedisRefusals.classify(error);
            if (refused != null) {
                // a configuration fault (credentials, ACL, TLS certificate): said at ERROR and on readiness;
                // still retried, so a fixed certificate or password on the Redis side needs no restart
                health.refused(refused.getMessage());
                if (attempt == 0 || attempt % 20 == 0) {
                    LOG.error(
                            "Redis {} connection to {} refused: {}; retrying every {} ms",
                            name,
                            address(),
                            refused.getMessage(),
                            MAX_BACKOFF_MS);
                }
            } else if (attempt == 0 || attempt % 20 == 0) {
                LOG.warn(
                        "Redis {} connection to {} failed ({}); retrying every {} ms until it answers",
                        name,
                        address(),
                        error.getMessage(),
                        MAX_BACKOFF_MS);
            }
            if (!closed) {
                resources
                        .eventExecutorGroup()
                        .schedule(() -> connect(name, opener, target, attempt + 1), delay, TimeUnit.MILLISECONDS);
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        StatefulRedisPubSubConnection<String, byte[]> p = pubSub.getNow(null);
        StatefulConnection<String, byte[]> c = commands.getNow(null);
        if (p != null) {
            p.close();
        }
        if (c != null) {
            c.close();
        }
        pubSubClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        commandClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        health.update(RedisHealth.Link.PUB_SUB, false);
        health.update(RedisHealth.Link.COMMANDS, false);
    }

    /** Follows one client's (single) connection. */
    private final class LinkListener implements RedisConnectionStateListener {
        private final RedisHealth.Link link;

        LinkListener(RedisHealth.Link link) {
            this.link = link;
        }

        @Override
        public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress socketAddress) {
            // before the first connect completes, the connect callback reports "up" itself
            if (!closed && isMain(connection)) {
                health.update(link, true);
            }
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (!closed && isMain(connection)) {
                health.update(link, false);
            }
        }

        /** The link's own connection (a cluster client also reports its per-node connections). */
        private boolean isMain(RedisChannelHandler<?, ?> connection) {
            CompletableFuture<? extends StatefulConnection<String, byte[]>> first =
                    link == RedisHealth.Link.COMMANDS ? commands : pubSub;
            return first.isDone() && (mode == RedisMode.STANDALONE || first.getNow(null) == connection);
        }
    }
}
