package io.stepcast.gateway.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.BeanInstantiationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PresenceConfigTest {

    private static final Map<String, Object> BASE = Map.of("stepcast.redis.uri", "redis://127.0.0.1:1");

    @Test
    void defaultsToEnabledWithAFiveSecondHeartbeat() {
        try (ApplicationContext ctx = ApplicationContext.run(BASE)) {
            PresenceConfig config = ctx.getBean(PresenceConfig.class);
            assertTrue(config.enabled());
            assertEquals(Duration.ofSeconds(5), config.heartbeat());
            assertEquals(Duration.ofSeconds(10), config.deadline());
            assertTrue(ctx.getBean(Presence.class).clusterWide());
        }
    }

    @Test
    void bindsEveryKey() {
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                "stepcast.redis.uri", "redis://127.0.0.1:1",
                "stepcast.presence.enabled", "false",
                "stepcast.presence.heartbeat", "250ms"))) {
            assertEquals(new PresenceConfig(false, Duration.ofMillis(250)), ctx.getBean(PresenceConfig.class));
            Presence presence = ctx.getBean(Presence.class);
            assertFalse(presence.clusterWide(), "disabled: this instance's counts only");
            assertFalse(ctx.containsBean(LettucePresence.class));
        }
    }

    @Test
    void refusesAHeartbeatOutsideItsRange() {
        for (String bad : new String[] {"50ms", "6m"}) {
            BeanInstantiationException e = assertThrows(
                    BeanInstantiationException.class,
                    () -> ApplicationContext.run(Map.of(
                                    "stepcast.redis.uri", "redis://127.0.0.1:1", "stepcast.presence.heartbeat", bad))
                            .close());
            assertTrue(e.getMessage().contains("stepcast.presence.heartbeat must be between"), e.getMessage());
        }
    }
}
