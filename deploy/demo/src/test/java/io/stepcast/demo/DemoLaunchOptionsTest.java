package io.stepcast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoLaunchOptionsTest {

    @Test
    void defaultsAreLocalhost8080AndAutoRedis() {
        assertEquals(DemoLaunchOptions.defaults(), DemoLaunchOptions.parse(new String[0], Map.of()));
    }

    @Test
    void flagsBeatSystemPropertiesAndTheRestGoesToMicronaut() {
        DemoLaunchOptions o = DemoLaunchOptions.parse(
                new String[] {"--port=9090", "--plans=5", "--micronaut.x=y"},
                Map.of(
                        "stepcast.demo.port",
                        "7070",
                        "stepcast.demo.redis-port",
                        "6400",
                        "stepcast.demo.host",
                        "0.0.0.0"));
        assertEquals(new DemoLaunchOptions("0.0.0.0", 9090, 6400, 5, List.of("--micronaut.x=y")), o);
    }

    @Test
    void badValuesAreRefusedWithTheirName() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> DemoLaunchOptions.parse(new String[] {"--port=abc"}, Map.of()));
        assertEquals("port must be a number: abc", e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> DemoLaunchOptions.parse(new String[] {"--plans=0"}, Map.of()));
    }
}
