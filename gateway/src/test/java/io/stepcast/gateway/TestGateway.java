package io.stepcast.gateway;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.testing.TestRedis;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The gateway fixture of the integration tests: a real gateway (embedded Netty on a random port) on
 * the shared test Redis, with a plain {@link HttpClient} and, on first use, a real publisher into
 * that Redis. Closing it stops both.
 */
public final class TestGateway implements AutoCloseable {

    public final EmbeddedServer server;
    public final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    public final String redisUri;
    /** The publisher's settings: the gateway's Redis mode and key prefix. */
    private final BridgeConfig publisherConfig;

    private LettuceEventPublisher publisher;

    private TestGateway(EmbeddedServer server, String redisUri, BridgeConfig publisherConfig) {
        this.server = server;
        this.redisUri = redisUri;
        this.publisherConfig = publisherConfig;
    }

    public static TestGateway start() {
        return start(Map.of());
    }

    /** A gateway with these configuration properties on top of the test defaults. */
    public static TestGateway start(Map<String, Object> overrides) {
        String uri = TestRedis.shared().uri();
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        // a gateway fails fast without Redis (stepcast.redis.uri): tests use the shared test Redis
        props.put("stepcast.redis.uri", uri);
        props.putAll(overrides);
        return new TestGateway(
                ApplicationContext.run(EmbeddedServer.class, props), uri, publisherConfig(props, RedisMode.STANDALONE));
    }

    /** A gateway in cluster mode on the Redis Cluster of {@code seeds} ({@code redis://h1:p1,h2:p2,…}). */
    public static TestGateway onCluster(String seeds, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("stepcast.redis.uri", seeds);
        props.put("stepcast.redis.mode", "cluster");
        props.putAll(overrides);
        return new TestGateway(
                ApplicationContext.run(EmbeddedServer.class, props), seeds, publisherConfig(props, RedisMode.CLUSTER));
    }

    private static BridgeConfig publisherConfig(Map<String, Object> props, RedisMode mode) {
        BridgeConfig.Builder b = BridgeConfig.builder().redisMode(mode);
        Object prefix = props.get("stepcast.redis.prefix");
        if (prefix != null) {
            b.prefix(prefix.toString());
        }
        return b.build();
    }

    /** A plan id no other test uses. */
    public static String planId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * A publisher into the gateway's Redis, standalone or cluster, with the gateway's key prefix (opened
     * on first use, closed with the gateway).
     */
    public synchronized LettuceEventPublisher publisher() {
        if (publisher == null) {
            publisher = LettuceEventPublisher.create(redisUri, publisherConfig);
        }
        return publisher;
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    public int port() {
        return server.getPort();
    }

    public URI uri(String pathAndQuery) {
        return URI.create("http://localhost:" + port() + pathAndQuery);
    }

    /** The WebSocket endpoint. */
    public URI wsUri() {
        return URI.create("ws://127.0.0.1:" + port() + "/ws");
    }

    public HttpResponse<String> get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        return http.send(request(pathAndQuery, headers), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> getBytes(String pathAndQuery, String... headers)
            throws IOException, InterruptedException {
        return http.send(request(pathAndQuery, headers), HttpResponse.BodyHandlers.ofByteArray());
    }

    private HttpRequest request(String pathAndQuery, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery))
                .timeout(Duration.ofSeconds(60))
                .GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return b.build();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (publisher != null) {
                publisher.close();
            }
        }
        server.getApplicationContext().close();
    }
}
