package io.stepcast.bridge.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.RedisClusterURIUtil;
import io.stepcast.bridge.RedisTls;
import java.net.URI;
import java.util.List;

/**
 * Redis Cluster clients for the bridge's own connections besides the publisher (the command listener
 * and replies): seed nodes from one URI, topology refreshed periodically and on every adaptive trigger
 * (redirects, reconnects), so connections follow a slot to its new master after a failover or a
 * migration. Lettuce's defaults refresh nothing: a client built without this keeps addressing a dead
 * master.
 */
public final class ClusterClients {

    private ClusterClients() {}

    /**
     * A client on the seed nodes of {@code seedUri} ({@code redis[s]://[user:pass@]h1:p1,h2:p2}); the
     * caller shuts it down. Connects nothing yet.
     */
    public static RedisClusterClient create(String seedUri) {
        return create(seedUri, RedisTls.NONE);
    }

    /**
     * A client on the seed nodes of {@code seedUri} with the TLS files of {@code tls} (for a
     * {@code rediss://} URI; see {@link LettuceTls}); the caller shuts it down. Connects nothing yet.
     *
     * @throws IllegalArgumentException when a TLS file is unusable or the URI is not {@code rediss://}
     *                                  although TLS files are set
     */
    public static RedisClusterClient create(String seedUri, RedisTls tls) {
        LettuceTls.checkScheme(tls, seedUri);
        SslOptions ssl = LettuceTls.sslOptions(tls);
        List<RedisURI> seeds = RedisClusterURIUtil.toRedisURIs(URI.create(seedUri));
        RedisClusterClient client = RedisClusterClient.create(seeds);
        client.setOptions(ClusterClientOptions.builder()
                .sslOptions(ssl)
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(RedisConnector.TOPOLOGY_REFRESH)
                        .enableAllAdaptiveRefreshTriggers()
                        .build())
                .build());
        return client;
    }
}
