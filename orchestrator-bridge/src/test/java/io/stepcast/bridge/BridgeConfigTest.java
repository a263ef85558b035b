package io.stepcast.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BridgeConfigTest {

    @Test
    void defaultsMatchTheProtocol() {
        BridgeConfig c = BridgeConfig.defaults();
        assertEquals("stepcast", c.prefix());
        assertEquals(10_000, c.logMaxLen());
        assertEquals(Duration.ofHours(24), c.logTtl());
        assertEquals(Duration.ofDays(30), c.metaTtl());
        assertEquals(4096, c.outputTailBytes());
        assertEquals(1 << 20, c.maxDataBytes());
        assertEquals(c, c.toBuilder().build());
    }

    @Test
    void invalidValuesNameTheirField() {
        assertEquals(
                "logMaxLen",
                assertThrows(
                                EventValidationException.class,
                                () -> BridgeConfig.builder().logMaxLen(0).build())
                        .field());
        assertEquals(
                "prefix",
                assertThrows(
                                EventValidationException.class,
                                () -> BridgeConfig.builder().prefix("a b").build())
                        .field());
        assertEquals(
                "backoffMax",
                assertThrows(
                                EventValidationException.class,
                                () -> BridgeConfig.builder()
                                        .backoffMin(Duration.ofSeconds(2))
                                        .backoffMax(Duration.ofSeconds(1))
                                        .build())
                        .field());
        assertEquals(
                "outputTailBytes",
                assertThrows(
                                EventValidationException.class,
                                () -> BridgeConfig.builder().outputTailBytes(-1).build())
                        .field());
    }
}
