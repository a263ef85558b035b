package io.stepcast.gateway.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.protocol.ProtocolVersion;
import io.stepcast.bridge.RedisTls;
import io.stepcast.bridge.redis.LettuceTls;
import java.time.Duration;

/**
 * The Lettuce client options of {@link RedisConnections}: socket (connect timeout, TCP keep-alive),
 * TLS files, and per connection role the behaviour while disconnected. The command connection rejects
 * commands while disconnected and times each out after {@code command-timeout}; the pub/sub connection
 * queues (UN)SUBSCRIBE while disconnected. Cluster options add the topology refresh every
 * {@code reconcile-interval} and on every adaptive trigger. Immutable.
 */
final class RedisClientOptions {

    private final GatewayRedisConfig config;
    private final SocketOptions socket;
    private final SslOptions ssl;

    /**
     * @throws IllegalStateException when the TLS files are unusable or set for a plain {@code redis://}
     *                               URI (the gateway does not start)
     */
    RedisClientOptions(GatewayRedisConfig config, RedisTls tls) {
        this.config = config;
        try {
            LettuceTls.checkScheme(tls, config.uri());
            this.ssl = LettuceTls.sslOptions(tls);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("stepcast.redis.tls: " + e.getMessage(), e);
        }
        this.socket = SocketOptions.builder()
                .connectTimeout(config.connectTimeout())
                .keepAlive(SocketOptions.KeepAliveOptions.builder()
                        .enable()
                        .idle(Duration.ofSeconds(30))
                        .interval(Duration.ofSeconds(10))
                        .count(3)
                        .build())
                .build();
    }

    /**
     * Options of a standalone client: the command connection's when {@code commands}, else pub/sub's.
     * The standalone pub/sub connection speaks RESP2: under RESP3 Lettuce decodes every message twice
     * (a push message with copies of its byte buffers, then the pub/sub message), about a third of
     * the gateway's allocation per delivered event in the wide benchmark. It only ever sends
     * (P)(UN)SUBSCRIBE, which RESP2 allows on a subscribed connection. (The cluster pub/sub connection
     * keeps RESP3: it also asks its nodes for INFO.)
     */
    ClientOptions standalone(boolean commands) {
        ClientOptions.Builder b = ClientOptions.builder().socketOptions(socket).sslOptions(ssl);
        if (commands) {
            b.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()));
        } else {
            b.disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS)
                    .protocolVersion(ProtocolVersion.RESP2);
        }
        return b.build();
    }

    /** Options of a cluster client: the command connection's when {@code commands}, else pub/sub's. */
    ClusterClientOptions cluster(boolean commands) {
        ClusterClientOptions.Builder b = ClusterClientOptions.builder()
                .socketOptions(socket)
                .sslOptions(ssl)
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(config.reconcileInterval())
                        .enableAllAdaptiveRefreshTriggers()
                        .build());
        if (commands) {
            b.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(config.commandTimeout()));
        } else {
            b.disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS);
        }
        return b.build();
    }
}
