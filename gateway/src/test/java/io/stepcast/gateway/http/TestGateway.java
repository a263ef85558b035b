package io.stepcast.gateway.http;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
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
 * A real gateway (embedded Netty on a random port) on the shared test Redis, a real publisher into
 * that Redis, and a plain {@link HttpClient}, for the HTTP transport ITs.
 */
final class TestGateway implements AutoCloseable {

    final EmbeddedServer server;
    final LettuceEventPublisher publisher;
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String redisUri;

    private TestGateway(EmbeddedServer server, LettuceEventPublisher publisher, String redisUri) {
        this.server = server;
        this.publisher = publisher;
        this.redisUri = redisUri;
    }

    static TestGateway start() {
        return start(Map.of());
    }

    static TestGateway start(Map<String, Object> overrides) {
        String uri = TestRedis.shared().uri();
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("stepcast.redis.uri", uri);
        props.putAll(overrides);
        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props);
        return new TestGateway(server, LettuceEventPublisher.create(uri), uri);
    }

    /** A plan id no other test uses. */
    static String planId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    ApplicationContext context() {
        return server.getApplicationContext();
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://localhost:" + server.getPort() + pathAndQuery);
    }

    HttpResponse<String> get(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(60)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<byte[]> getBytes(String pathAndQuery, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(pathAndQuery)).timeout(Duration.ofSeconds(60)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Override
    public void close() {
        publisher.close();
        server.getApplicationContext().close();
    }
}
