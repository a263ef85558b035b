package io.stepcast.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.stepcast.gateway.ConfigContext;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binding of {@code stepcast.ws} and {@code stepcast.ws.rate-limit}: defaults, overrides, validation. */
class WsConfigTest {

    private static ApplicationContext context(Map<String, Object> props) {
        return ConfigContext.start(props);
    }

    @Test
    void defaultsMatchTheDocumentedTable() {
        try (ApplicationContext ctx = ApplicationContext.builder()
                .properties(Map.of("stepcast.redis.uri", "redis://127.0.0.1:1"))
                .start()) {
            WsConfig ws = ctx.getBean(WsConfig.class);
            assertFalse(ws.compression());
            assertEquals(Duration.ofSeconds(25), ws.heartbeat());
            assertEquals(Duration.ofSeconds(60), ws.heartbeatTimeout());
            assertEquals(65_536, ws.maxFrameBytes());
            assertEquals(16_384, ws.maxArgsBytes());
            assertEquals(128, ws.maxSubscriptions());
            assertEquals(10_000, ws.maxConnections());
            assertEquals(Duration.ofSeconds(5), ws.closeTimeout());
            assertEquals(8L << 20, ws.maxPendingBytes());
            assertEquals(Duration.ofSeconds(10), ws.maxPendingTime());
            assertEquals(Duration.ofSeconds(10), ws.drainWindow());
            assertEquals(Duration.ofSeconds(2), ws.reconnectAfterMax());
            RateLimitConfig rl = ctx.getBean(RateLimitConfig.class);
            assertEquals(new RateLimitConfig(20, 60, 100, Duration.ofSeconds(10)), rl);
        }
    }

    @Test
    void overridesBind() {
        try (ApplicationContext ctx = context(Map.of(
                "stepcast.ws.compression",
                "true",
                "stepcast.ws.heartbeat",
                "5s",
                "stepcast.ws.heartbeat-timeout",
                "12s",
                "stepcast.ws.max-subscriptions",
                "7",
                "stepcast.ws.rate-limit.burst",
                "9",
                "stepcast.ws.max-pending-bytes",
                "16777216",
                "stepcast.ws.max-pending-time",
                "3s"))) {
            WsConfig ws = ctx.getBean(WsConfig.class);
            assertTrue(ws.compression());
            assertEquals(Duration.ofSeconds(5), ws.heartbeat());
            assertEquals(Duration.ofSeconds(12), ws.heartbeatTimeout());
            assertEquals(7, ws.maxSubscriptions());
            assertEquals(16L << 20, ws.maxPendingBytes());
            assertEquals(Duration.ofSeconds(3), ws.maxPendingTime());
            assertEquals(9, ctx.getBean(RateLimitConfig.class).burst());
        }
    }

    @Test
    void invalidValuesFailWithTheKeyNamed() {
        Map<String, String> bad = Map.of(
                "stepcast.ws.heartbeat-timeout", "10s",
                "stepcast.ws.max-frame-bytes", "2000000",
                "stepcast.ws.max-subscriptions", "0",
                "stepcast.ws.max-args-bytes", "70000",
                "stepcast.ws.max-pending-bytes", "1048576",
                "stepcast.ws.max-pending-time", "0s",
                "stepcast.ws.rate-limit.messages-per-second", "0");
        bad.forEach((key, value) -> {
            Class<?> type = key.contains("rate-limit") ? RateLimitConfig.class : WsConfig.class;
            Exception e = assertThrows(
                    Exception.class,
                    () -> {
                        try (ApplicationContext ctx = context(Map.of(key, value))) {
                            ctx.getBean(type);
                        }
                    },
                    key);
            StringBuilder all = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                all.append(t.getMessage()).append('\n');
            }
            assertTrue(
                    all.toString().contains(key.substring(key.lastIndexOf('.') + 1))
                            || all.toString().contains(camel(key)),
                    key + ": " + all);
        });
    }

    private static String camel(String key) {
        String last = key.substring(key.lastIndexOf('.') + 1);
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : last.toCharArray()) {
            if (c == '-') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }
}
