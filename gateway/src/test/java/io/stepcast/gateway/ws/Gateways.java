package io.stepcast.gateway.ws;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.stepcast.bridge.testing.TestRedis;

import java.util.HashMap;
import java.util.Map;

/** Starts real gateway instances (embedded Netty servers on random ports) for integration tests. */
final class Gateways {

    private Gateways() {
    }

    static EmbeddedServer start(Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        // a gateway fails fast without Redis (stepcast.redis.uri): tests use the shared test Redis
        props.put("stepcast.redis.uri", TestRedis.shared().uri());
        props.putAll(overrides);
        return ApplicationContext.run(EmbeddedServer.class, props);
    }

    static EmbeddedServer start() {
        return start(Map.of());
    }
}
