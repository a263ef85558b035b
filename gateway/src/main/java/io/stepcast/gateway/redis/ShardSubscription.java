package io.stepcast.gateway.redis;

import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/** Where one channel is subscribed: the node connection that confirmed its SSUBSCRIBE. */
record ShardSubscription(String host, int port, StatefulRedisPubSubConnection<String, byte[]> connection) {

    /** True when {@code node} is the node this subscription is on. */
    boolean isOn(RedisClusterNode node) {
        return node != null
                && node.getUri() != null
                && host.equals(node.getUri().getHost())
                && port == node.getUri().getPort();
    }
}
