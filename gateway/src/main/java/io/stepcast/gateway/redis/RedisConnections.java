package io.stepcast.gateway.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The instance's two Redis connections: one command connection (reads, appends) and ONE pub/sub
 * connection (all plan channels plus the instance's session-channel pattern). Keys and channel names
 * are UTF-8 strings, values stay {@code byte[]} so event frames are never re-encoded.
 *
 * <p>Lifecycle: both connections are opened in the background (on Lettuce's event executors, never on
 * the constructing thread) from construction on, and retried with
 * back-off until Redis answers, so a gateway started before its Redis comes up not-ready instead of
 * crashing; after the first connect Lettuce reconnects by itself (and re-subscribes the pub/sub
 * connection). {@link RedisHealth} follows every transition.
 *
 * <p>Options: the command connection rejects commands while disconnected and times every command out
 * after {@code command-timeout} (callers fail fast, nothing queues up unbounded). The pub/sub
 * connection accepts (queues) SUBSCRIBE/UNSUBSCRIBE while disconnected: Lettuce sends them after its
 * own re-subscription on reconnect, so the hub's latest decision per channel wins.
 *
 * <p>Thread-safe. Closed by the {@link RedisFactory} bean's pre-destroy hook.
 */
public final class RedisConnections implements AutoCloseable {

    /** String keys and channel names, raw byte values. */
    public static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

    private static final Logger LOG = LoggerFactory.getLogger(RedisConnections.class);
    private static final long MAX_BACKOFF_MS = 5_000;

    private final RedisURI uri;
    private final ClientResources resources;
    private final RedisHealth health;
    private final RedisClient commandClient;
    private final RedisClient pubSubClient;
    private final CompletableFuture<StatefulRedisConnection<String, byte[]>> commands = new CompletableFuture<>();
    private final CompletableFuture<StatefulRedisPubSubConnection<String, byte[]>> pubSub = new CompletableFuture<>();
    private volatile boolean closed;

    public RedisConnections(GatewayRedisConfig config, ClientResources resources, RedisHealth health) {
        if (config.uri() == null || config.uri().isBlank()) {
            throw new IllegalStateException(GatewayRedisConfig.MISSING_URI);
        }
        this.uri = RedisURI.create(config.uri());
        this.uri.setTimeout(config.commandTimeout());
        this.resources = resources;
        this.health = health;
        SocketOptions socket = SocketOptions.builder()
                .connectTimeout(config.connectTimeout())
                .keepAlive(SocketOptions.KeepAliveOptions.builder().enable()
                        .idle(Duration.ofSeconds(30)).interval(Duration.ofSeconds(10)).count(3).build())
                .build();
        this.commandClient = RedisClient.create(resources, uri);
        this.commandClient.setOptions(ClientOptions.builder()
                .socketOptions(socket)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                .build());
        this.commandClient.addListener(new LinkListener(RedisHealth.Link.COMMANDS));
        this.pubSubClient = RedisClient.create(resources, uri);
        this.pubSubClient.setOptions(ClientOptions.builder()
                .socketOptions(socket)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                .build());
        this.pubSubClient.addListener(new LinkListener(RedisHealth.Link.PUB_SUB));
        // the first attempts run on Lettuce's own threads: building a connection loads and links a
        // few hundred Lettuce classes, which then overlaps with the rest of start-up instead of
        // delaying the HTTP listener (readiness waits for both connections anyway)
        resources.eventExecutorGroup().execute(
                () -> connect("command", () -> commandClient.connectAsync(CODEC, uri), commands, 0));
        resources.eventExecutorGroup().execute(
                () -> connect("pub/sub", () -> pubSubClient.connectPubSubAsync(CODEC, uri), pubSub, 0));
    }

    /** The address (without credentials) for logs. */
    public String address() {
        return uri.getHost() + ":" + uri.getPort();
    }

    /**
     * The async commands of the command connection.
     *
     * @throws RedisUnavailableException when the first connect has not succeeded yet
     */
    public RedisAsyncCommands<String, byte[]> commands() {
        StatefulRedisConnection<String, byte[]> connection = commands.getNow(null);
        if (connection == null) {
            throw new RedisUnavailableException("Redis at " + address() + " is not connected yet");
        }
        return connection.async();
    }

    /** The pub/sub connection, once its first connect succeeded (never completes if closed before). */
    public CompletionStage<StatefulRedisPubSubConnection<String, byte[]>> pubSub() {
        return pubSub;
    }

    /** The pub/sub connection, or null before the first connect. */
    public StatefulRedisPubSubConnection<String, byte[]> pubSubNow() {
        return pubSub.getNow(null);
    }

    private <C extends StatefulRedisConnection<String, byte[]>> void connect(String name,
            Supplier<CompletionStage<C>> opener, CompletableFuture<C> target, int attempt) {
        if (closed) {
            return;
        }
        CompletionStage<C> opening;
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
                health.update(name.equals("command") ? RedisHealth.Link.COMMANDS : RedisHealth.Link.PUB_SUB,
                        connection.isOpen());
                return;
            }
            long delay = Math.min(MAX_BACKOFF_MS, 100L << Math.min(attempt, 6));
            if (attempt == 0 || attempt % 20 == 0) {
                LOG.warn("Redis {} connection to {} failed ({}); retrying every {} ms until it answers",
                        name, address(), error.getMessage(), MAX_BACKOFF_MS);
            }
            if (!closed) {
                resources.eventExecutorGroup().schedule(() -> connect(name, opener, target, attempt + 1),
                        delay, TimeUnit.MILLISECONDS);
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        StatefulRedisPubSubConnection<String, byte[]> p = pubSub.getNow(null);
        StatefulRedisConnection<String, byte[]> c = commands.getNow(null);
        if (p != null) {
            p.close();
        }
        if (c != null) {
            c.close();
        }
        pubSubClient.shutdown(0, 2, TimeUnit.SECONDS);
        commandClient.shutdown(0, 2, TimeUnit.SECONDS);
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
            CompletableFuture<?> first = link == RedisHealth.Link.COMMANDS ? commands : pubSub;
            if (!closed && first.isDone()) {
                health.update(link, true);
            }
        }

        @Override
        public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
            if (!closed) {
                health.update(link, false);
            }
        }
    }
}
