package io.stepcast.bridge;

import java.util.Locale;

/**
 * How Stepcast talks to Redis: one server (with or without replicas behind it), or a Redis Cluster.
 *
 * <p>In {@link #CLUSTER} mode every key and the pub/sub channel of a plan share the hash tag
 * {@code {<plan>}}, so a plan lives in one slot and its publish script runs on that slot's master.
 * On Redis ≥ 7.0 plan frames travel by sharded pub/sub ({@code SPUBLISH}/{@code SSUBSCRIBE}, only the
 * slot's shard carries them); on a Redis 6.2 cluster by plain {@code PUBLISH}, which the cluster bus
 * broadcasts to every node.
 */
public enum RedisMode {
    /** One Redis server: {@code redis://host:port}. The default. */
    STANDALONE,
    /** A Redis Cluster: {@code redis://host1:port1[,host2:port2…]} lists seed nodes. */
    CLUSTER;

    /** {@code standalone} or {@code cluster} (any case); throws {@link IllegalArgumentException} otherwise. */
    public static RedisMode parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "standalone" -> STANDALONE;
            case "cluster" -> CLUSTER;
            default -> throw new IllegalArgumentException("Redis mode must be standalone or cluster, got " + value);
        };
    }
}
