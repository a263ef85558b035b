package io.stepcast.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpConfigBindingTest {

    private static final Map<String, Object> BASE = Map.of("stepcast.redis.uri", "redis://127.0.0.1:1");

    @Test
    void defaults() {
        try (ApplicationContext ctx = ApplicationContext.run(BASE)) {
            PollConfig poll = ctx.getBean(PollConfig.class);
            assertEquals(Duration.ofSeconds(2), poll.interval());
            assertEquals("2", poll.headerValue());
            LongPollConfig lp = ctx.getBean(LongPollConfig.class);
            assertEquals(Duration.ofSeconds(30), lp.maxWait());
            assertEquals(100, lp.defaultLimit());
            assertEquals(1000, lp.maxLimit());
            SseConfig sse = ctx.getBean(SseConfig.class);
            assertEquals(Duration.ofSeconds(15), sse.heartbeat());
            assertEquals(1_048_576, sse.maxPendingBytes());
            IngestConfig ingest = ctx.getBean(IngestConfig.class);
            assertTrue(ingest.enabled());
            assertEquals(1000, ingest.maxEvents());
            DemoConfig demo = ctx.getBean(DemoConfig.class);
            assertFalse(demo.enabled());
            assertEquals(List.of(), demo.plans());
        }
    }

    @Test
    void bindsEveryKey() {
        Map<String, Object> props = new HashMap<>(BASE);
        props.put("stepcast.http.poll.interval", "500ms");
        props.put("stepcast.http.long-poll.max-wait", "5s");
        props.put("stepcast.http.long-poll.default-limit", "10");
        props.put("stepcast.http.long-poll.max-limit", "20");
        props.put("stepcast.http.long-poll.max-waiting", "7");
        props.put("stepcast.http.sse.heartbeat", "1s");
        props.put("stepcast.http.sse.retry", "3s");
        props.put("stepcast.http.sse.max-pending-bytes", "4096");
        props.put("stepcast.http.sse.max-streams", "9");
        props.put("stepcast.ingest.enabled", "false");
        props.put("stepcast.ingest.max-events", "50");
        props.put("stepcast.ingest.max-body-bytes", "2048");
        try (ApplicationContext ctx = ApplicationContext.run(props)) {
            assertEquals("0.5", ctx.getBean(PollConfig.class).headerValue());
            assertEquals(new LongPollConfig(Duration.ofSeconds(5), 10, 20, 7), ctx.getBean(LongPollConfig.class));
            assertEquals(
                    new SseConfig(Duration.ofSeconds(1), Duration.ofSeconds(3), 4096, 9), ctx.getBean(SseConfig.class));
            assertEquals(new IngestConfig(false, 50, 2048), ctx.getBean(IngestConfig.class));
        }
    }

    @Test
    void rejectsInconsistentLimits() {
        assertThrows(IllegalArgumentException.class, () -> new LongPollConfig(Duration.ofSeconds(30), 500, 100, 1));
        assertThrows(IllegalArgumentException.class, () -> new PollConfig(Duration.ofMillis(10)));
        assertThrows(IllegalArgumentException.class, () -> new SseConfig(Duration.ZERO, Duration.ZERO, 4096, 1));
    }
}
