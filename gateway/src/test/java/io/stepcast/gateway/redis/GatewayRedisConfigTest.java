package io.stepcast.gateway.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.stepcast.bridge.RedisMode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayRedisConfigTest {

    /** An address nothing listens on: the context starts, the connections retry in the background. */
    private static final String NOWHERE = "redis://127.0.0.1:1";

    @Test
    void bindsDefaults() {
        try (ApplicationContext ctx = ApplicationContext.run(Map.of("stepcast.redis.uri", NOWHERE))) {
            GatewayRedisConfig config = ctx.getBean(GatewayRedisConfig.class);
            assertEquals(NOWHERE, config.uri());
            assertEquals("stepcast", config.prefix());
            assertEquals(Duration.ofSeconds(5), config.connectTimeout());
            assertEquals(Duration.ofSeconds(5), config.commandTimeout());
            assertEquals(RedisMode.STANDALONE, config.redisMode());
            assertEquals(Duration.ofSeconds(2), config.reconcileInterval());
            assertInstanceOf(LettucePlanBus.class, ctx.getBean(PlanBus.class));
        }
    }

    @Test
    void bindsClusterModeWithSeedNodesAndItsBus() {
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                "stepcast.redis.uri", "redis://127.0.0.1:1,127.0.0.1:2",
                "stepcast.redis.mode", "cluster",
                "stepcast.redis.reconcile-interval", "500ms"))) {
            GatewayRedisConfig config = ctx.getBean(GatewayRedisConfig.class);
            assertEquals(RedisMode.CLUSTER, config.redisMode());
            assertEquals(Duration.ofMillis(500), config.reconcileInterval());
            assertInstanceOf(LettuceClusterPlanBus.class, ctx.getBean(PlanBus.class));
            assertEquals(
                    "[127.0.0.1:1, 127.0.0.1:2] (cluster)",
                    ctx.getBean(RedisConnections.class).address());
        }
    }

    @Test
    void rejectsAnUnknownModeAndATooShortReconcileInterval() {
        Exception mode = assertThrows(
                Exception.class,
                () -> ApplicationContext.run(Map.of("stepcast.redis.uri", NOWHERE, "stepcast.redis.mode", "sentinel"))
                        .getBean(GatewayRedisConfig.class));
        assertTrue(messages(mode).contains("mode"), messages(mode));
        Exception interval = assertThrows(
                Exception.class,
                () -> ApplicationContext.run(
                                Map.of("stepcast.redis.uri", NOWHERE, "stepcast.redis.reconcile-interval", "10ms"))
                        .getBean(GatewayRedisConfig.class));
        assertTrue(messages(interval).contains("reconcile-interval"), messages(interval));
    }

    @Test
    void bindsEveryKey() {
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                "stepcast.redis.uri", NOWHERE,
                "stepcast.redis.prefix", "sc.test",
                "stepcast.redis.connect-timeout", "2s",
                "stepcast.redis.command-timeout", "750ms"))) {
            GatewayRedisConfig config = ctx.getBean(GatewayRedisConfig.class);
            assertEquals("sc.test", config.prefix());
            assertEquals(Duration.ofSeconds(2), config.connectTimeout());
            assertEquals(Duration.ofMillis(750), config.commandTimeout());
        }
    }

    @Test
    void gatewayWithoutRedisUriFailsAtStartupNamingTheSettingAndDemoMode() {
        Exception failure = assertThrows(
                Exception.class, () -> ApplicationContext.run(Map.of()).close());
        String message = messages(failure);
        assertTrue(message.contains("stepcast.redis.uri"), message);
        assertTrue(message.contains("STEPCAST_REDIS_URI"), message);
        assertTrue(message.contains("--demo"), message);
    }

    @Test
    void rejectsAPrefixWithBraces() {
        Exception failure = assertThrows(
                Exception.class,
                () -> ApplicationContext.run(Map.of("stepcast.redis.uri", NOWHERE, "stepcast.redis.prefix", "a{b}"))
                        .close());
        assertTrue(messages(failure).contains("prefix"), messages(failure));
    }

    private static String messages(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append('\n');
        }
        return all.toString();
    }
}
