package io.stepcast.bridge.cli;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.cluster.RedisClusterClient;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.command.CommandHandler;
import io.stepcast.bridge.command.CommandListener;
import io.stepcast.bridge.command.CommandListenerOptions;
import io.stepcast.bridge.command.CommandReplies;
import io.stepcast.bridge.redis.ClusterClients;
import io.stepcast.bridge.redis.LettuceTls;
import java.util.Collection;

/**
 * The command side of {@code pipe} and {@code demo} on either Redis mode: one client, the replies and
 * the listener on it, closed together. On a cluster the client refreshes its topology
 * ({@link ClusterClients}).
 */
final class CommandWiring implements AutoCloseable {

    private final AbstractRedisClient client;
    private final CommandReplies replies;
    private final CommandListener listener;

    private CommandWiring(AbstractRedisClient client, CommandReplies replies, CommandListener listener) {
        this.client = client;
        this.replies = replies;
        this.listener = listener;
    }

    /** Connects (fails fast when Redis is unreachable) and starts listening to {@code plans}. */
    static CommandWiring start(
            String uri,
            BridgeConfig config,
            Collection<String> plans,
            CommandHandler handler,
            CommandListenerOptions options) {
        RedisLayout layout = config.layout();
        AbstractRedisClient client;
        if (config.redisMode() == RedisMode.CLUSTER) {
            client = ClusterClients.create(uri, config.tls());
        } else {
            LettuceTls.checkScheme(config.tls(), uri);
            RedisClient standalone = RedisClient.create(uri);
            standalone.setOptions(ClientOptions.builder()
                    .sslOptions(LettuceTls.sslOptions(config.tls()))
                    .build());
            client = standalone;
        }
        CommandReplies replies = null;
        try {
            if (client instanceof RedisClusterClient cluster) {
                replies = CommandReplies.connect(cluster, layout);
                return new CommandWiring(
                        client, replies, CommandListener.start(cluster, layout, plans, handler, replies, options));
            }
            RedisClient standalone = (RedisClient) client;
            replies = CommandReplies.connect(standalone, layout);
            return new CommandWiring(
                    client, replies, CommandListener.start(standalone, layout, plans, handler, replies, options));
        } catch (RuntimeException e) {
            if (replies != null) {
                replies.close();
            }
            client.shutdown();
            throw e;
        }
    }

    CommandReplies replies() {
        return replies;
    }

    @Override
    public void close() {
        listener.close();
        replies.close();
        client.shutdown();
    }
}
