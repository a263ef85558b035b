package io.stepcast.gateway.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.stepcast.bridge.RedisLayout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link PlanBus} over the instance's one Lettuce pub/sub connection ({@link RedisConnections}).
 *
 * <p>Each plan is SUBSCRIBEd with its own command so that each future completes with the
 * confirmation of exactly that channel. The bus of {@code stepcast.redis.mode=standalone} (created by
 * {@link RedisFactory}); a cluster uses {@link LettuceClusterPlanBus}.
 */
public final class LettucePlanBus implements PlanBus {

    private static final Logger LOG = LoggerFactory.getLogger(LettucePlanBus.class);

    private final RedisConnections connections;
    private final RedisHealth health;
    private final RedisLayout layout;
    private volatile PlanListener planListener;
    private volatile IndexListener indexListener;
    private final SessionRoute sessions;
    /**
     * Plan id of each channel subscribed through this bus (added at SUBSCRIBE, removed at UNSUBSCRIBE
     * or when the SUBSCRIBE fails):
     * a message's plan without a substring per message; a channel not in it is parsed.
     */
    private final ConcurrentHashMap<String, String> plansByChannel = new ConcurrentHashMap<>();

    public LettucePlanBus(RedisConnections connections, RedisHealth health, GatewayRedisConfig config) {
        this.connections = connections;
        this.health = health;
        this.layout = new RedisLayout(config.prefix());
        this.sessions = new SessionRoute(layout);
        health.addListener((link, up) -> {
            PlanListener listener = planListener;
            if (link == RedisHealth.Link.PUB_SUB && !up && listener != null) {
                listener.onBusDown();
            }
            IndexListener index = indexListener;
            if (link == RedisHealth.Link.PUB_SUB && !up && index != null) {
                index.onIndexLost();
            }
        });
        connections.pubSub().thenAccept(this::attach);
    }

    private void attach(StatefulRedisPubSubConnection<String, byte[]> connection) {
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, byte[] message) {
                IndexListener index = indexListener;
                if (index != null && channel.equals(layout.indexChannel())) {
                    index.onIndexMessage(message);
                    return;
                }
                String plan = plansByChannel.get(channel);
                if (plan == null) {
                    plan = layout.planOfChannel(channel);
                }
                PlanListener listener = planListener;
                if (plan != null && listener != null) {
                    listener.onPlanMessage(plan, message);
                }
            }

            @Override
            public void message(String pattern, String channel, byte[] message) {
                sessions.deliver(channel, message);
            }
        });
        sessions.psubscribe(connection);
    }

    @Override
    public void setPlanListener(PlanListener listener) {
        this.planListener = listener;
    }

    @Override
    public void listenSessions(String instanceId, SessionListener listener) {
        sessions.listen(instanceId, listener, connections.pubSubNow());
    }

    @Override
    public CompletableFuture<Void> subscribe(String planId) {
        return send(planId, true);
    }

    @Override
    public CompletableFuture<Void> unsubscribe(String planId) {
        return send(planId, false);
    }

    @Override
    public void setIndexListener(IndexListener listener) {
        this.indexListener = listener;
    }

    @Override
    public CompletableFuture<Void> subscribeIndex() {
        return sendOn(layout.indexChannel(), true);
    }

    private CompletableFuture<Void> send(String planId, boolean subscribe) {
        String channel = layout.channel(planId);
        if (!subscribe) {
            plansByChannel.remove(channel);
            return sendOn(channel, false);
        }
        plansByChannel.put(channel, planId);
        CompletableFuture<Void> sent = sendOn(channel, true);
        sent.whenComplete((ok, error) -> {
            if (error != null) {
                plansByChannel.remove(channel, planId); // a channel that failed to subscribe may be retired
            }
        });
        return sent;
    }

    private CompletableFuture<Void> sendOn(String channel, boolean subscribe) {
        StatefulRedisPubSubConnection<String, byte[]> connection = connections.pubSubNow();
        if (connection == null) {
            return CompletableFuture.failedFuture(
                    new RedisUnavailableException("Redis at " + connections.address() + " is not connected yet"));
        }
        try {
            return (subscribe
                            ? connection.async().subscribe(channel)
                            : connection.async().unsubscribe(channel))
                    .toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new RedisUnavailableException(
                    (subscribe ? "SUBSCRIBE " : "UNSUBSCRIBE ") + channel + " failed", e));
        }
    }

    @Override
    public boolean isUp() {
        return health.isUp(RedisHealth.Link.PUB_SUB);
    }
}
