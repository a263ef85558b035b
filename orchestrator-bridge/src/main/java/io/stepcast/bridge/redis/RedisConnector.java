package io.stepcast.bridge.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.stepcast.bridge.BridgeConfig;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The publisher's single Redis connection, connected lazily and asynchronously: when Redis is down at
 * start-up the first attempts fail (and are retried by the publisher) instead of the constructor.
 * Once connected, Lettuce's auto-reconnect keeps it alive. Thread-safe.
 */
final class RedisConnector implements AutoCloseable {

    private final RedisClient client;
    private final RedisURI uri;
    private final ClientResources ownedResources;
    private final boolean ownsClient;
    /** The current or last connect attempt; guarded by this. */
    private CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connection;
    private boolean closed;

    RedisConnector(RedisClient client, RedisURI uri, ClientResources ownedResources, boolean ownsClient) {
        this.client = client;
        this.uri = uri;
        this.ownedResources = ownedResources;
        this.ownsClient = ownsClient;
    }

    /**
     * A connector with its own client and resources: auto-reconnect with the configured backoff,
     * commands rejected (not queued) while disconnected, {@link BridgeConfig#commandTimeout()}.
     */
    static RedisConnector owned(RedisURI uri, BridgeConfig config) {
        ClientResources resources = ClientResources.builder()
                .reconnectDelay(Delay.exponential(config.backoffMin(), config.backoffMax(), 2, TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()))
                .build());
        return new RedisConnector(client, uri, resources, true);
    }

    /** The connection, (re)starting a connect attempt when there is none or the last one failed. */
    synchronized CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connection() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("connector closed"));
        }
        if (connection == null || connection.isCompletedExceptionally()) {
            connection = client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture();
        }
        return connection;
    }

    /** The connection when one is established now, else null (never starts a connect attempt). */
    synchronized StatefulRedisConnection<byte[], byte[]> established() {
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> c = connection;
        return c != null && c.isDone() && !c.isCompletedExceptionally() && !closed ? c.getNow(null) : null;
    }

    @Override
    public void close() {
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> c;
        synchronized (this) {
            closed = true;
            c = connection;
        }
        if (c != null) {
            c.thenAccept(StatefulRedisConnection::close);
        }
        if (ownsClient) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (ownedResources != null) {
            ownedResources.shutdown(0, 2, TimeUnit.SECONDS);
        }
    }
}
