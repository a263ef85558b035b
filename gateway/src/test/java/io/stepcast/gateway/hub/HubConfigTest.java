package io.stepcast.gateway.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HubConfigTest {

    private static final String NO_REDIS = "redis://127.0.0.1:1"; // never answers: connections retry in the background

    private static ApplicationContext run(Map<String, Object> extra) {
        Map<String, Object> props = new HashMap<>(extra);
        props.put("stepcast.redis.uri", NO_REDIS);
        return ApplicationContext.run(props);
    }

    @Test
    void bindsDefaults() {
        try (ApplicationContext ctx = run(Map.of())) {
            assertEquals(HubConfig.defaults(), ctx.getBean(HubConfig.class));
        }
    }

    @Test
    void bindsEveryKey() {
        try (ApplicationContext ctx = run(Map.of(
                "stepcast.hub.subscribe-timeout", "3s",
                "stepcast.hub.log-page-size", "250",
                "stepcast.hub.hold-max-frames", "77",
                "stepcast.hub.hold-max-bytes", "65536"))) {
            assertEquals(new HubConfig(Duration.ofSeconds(3), 250, 77, 65536), ctx.getBean(HubConfig.class));
        }
    }

    @Test
    void rejectsAPageSizeBeyondTheLogCapAtStartUp() {
        // the hub is created while the context starts (presence heartbeats count its subscriptions)
        Exception e = assertThrows(Exception.class, () -> {
            try (ApplicationContext ctx = run(Map.of("stepcast.hub.log-page-size", "20000"))) {
                ctx.getBean(HubConfig.class);
            }
        });
        assertEquals(true, String.valueOf(e.getMessage()).contains("logPageSize"), e.getMessage());
    }
}
