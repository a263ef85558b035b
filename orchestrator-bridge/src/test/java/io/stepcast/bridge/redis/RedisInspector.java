package io.stepcast.bridge.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.testing.TestRedis;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** Reads what the publish script wrote, byte for byte, and records channel messages. For tests. */
final class RedisInspector implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, TestRedis> EXTRA = new ConcurrentHashMap<>();

    final RedisLayout layout;
    private final RedisClient client;
    private final StatefulRedisConnection<byte[], byte[]> connection;
    private final List<StatefulRedisPubSubConnection<byte[], byte[]>> subscriptions = new ArrayList<>();

    RedisInspector(String uri) {
        this(uri, RedisLayout.defaults());
    }

    RedisInspector(String uri, RedisLayout layout) {
        this.layout = layout;
        this.client = RedisClient.create(uri);
        this.connection = client.connect(ByteArrayCodec.INSTANCE);
    }

    /** The shared test Redis plus, when it is not already one, an embedded Redis 6.2. */
    static Stream<String> redisVersions() {
        TestRedis shared = TestRedis.shared();
        if (shared.source() == TestRedis.Source.EMBEDDED) {
            return Stream.of(shared.uri());
        }
        return Stream.of(
                shared.uri(),
                EXTRA.computeIfAbsent("embedded", k -> TestRedis.start(TestRedis.Source.EMBEDDED))
                        .uri());
    }

    static String newPlanId() {
        return "it-" + UUID.randomUUID();
    }

    RedisCommands<byte[], byte[]> sync() {
        return connection.sync();
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String s(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    /** Every log entry of the plan: [entry id, frame]. */
    List<String[]> log(String planId) {
        return streamLog(layout.logKey(planId));
    }

    /** Every entry of a log stream: [entry id, frame]. */
    List<String[]> streamLog(String key) {
        List<String[]> out = new ArrayList<>();
        for (StreamMessage<byte[], byte[]> m : sync().xrange(b(key), Range.create("-", "+"))) {
            out.add(new String[] {m.getId(), s(m.getBody().values().iterator().next())});
        }
        return out;
    }

    JsonNode state(String planId) {
        byte[] raw = sync().get(b(layout.stateKey(planId)));
        try {
            return raw == null ? null : JSON.readTree(raw);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String rawState(String planId) {
        return s(sync().get(b(layout.stateKey(planId))));
    }

    String meta(String planId, String field) {
        return s(sync().hget(b(layout.metaKey(planId)), b(field)));
    }

    long pttl(String key) {
        return sync().pttl(b(key));
    }

    /** Subscribes to the plan's channel; the returned list fills with frames as they arrive. */
    List<String> subscribe(String planId) {
        return subscribeChannel(layout.channel(planId));
    }

    /** Subscribes to a channel; the returned list fills with frames as they arrive. */
    List<String> subscribeChannel(String channel) {
        List<String> frames = new CopyOnWriteArrayList<>();
        StatefulRedisPubSubConnection<byte[], byte[]> pubsub = client.connectPubSub(ByteArrayCodec.INSTANCE);
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
                frames.add(s(message));
            }
        });
        pubsub.sync().subscribe(b(channel));
        subscriptions.add(pubsub);
        return frames;
    }

    @Override
    public void close() {
        subscriptions.forEach(StatefulRedisPubSubConnection::close);
        connection.close();
        client.shutdown();
    }
}
