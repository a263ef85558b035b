package io.stepcast.gateway.redis;

import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.gateway.redis.PlanBus.SessionListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The direct-message route of one gateway instance, shared by both {@link PlanBus} implementations:
 * the pattern {@code <prefix>session:<instance>.*} it PSUBSCRIBEs to (plain pub/sub, on a cluster
 * broadcast to every node) and the listener its messages go to.
 *
 * <p>Set once ({@link #listen}); read from Lettuce's threads. The fields are volatile and written
 * under this object's monitor; {@link #deliver} never blocks.
 */
final class SessionRoute {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRoute.class);

    private final RedisLayout layout;
    private volatile SessionListener listener;
    private volatile String pattern;

    SessionRoute(RedisLayout layout) {
        this.layout = layout;
    }

    /** Routes this instance's session channels to {@code listener}; PSUBSCRIBEs when connected. */
    synchronized void listen(
            String instanceId, SessionListener listener, StatefulRedisPubSubConnection<String, byte[]> connected) {
        if (pattern != null) {
            throw new IllegalStateException("session channels are already routed");
        }
        this.listener = listener;
        this.pattern = layout.sessionChannelPrefix() + instanceId + ".*";
        if (connected != null) {
            psubscribe(connected);
        }
    }

    /** PSUBSCRIBEs {@code connection} to the route's pattern, when one is set. */
    void psubscribe(StatefulRedisPubSubConnection<String, byte[]> connection) {
        String routed = pattern;
        if (routed == null) {
            return;
        }
        connection.async().psubscribe(routed).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.error("PSUBSCRIBE {} failed: direct messages to local sessions will not arrive", routed, error);
            }
        });
    }

    /** Hands a pattern message to the listener when its channel names a session. */
    void deliver(String channel, byte[] message) {
        String session = layout.sessionOfChannel(channel);
        SessionListener routed = listener;
        if (session != null && routed != null) {
            routed.onSessionMessage(session, message);
        }
    }
}
