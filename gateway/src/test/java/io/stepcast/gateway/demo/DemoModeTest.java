package io.stepcast.gateway.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.gateway.LaunchMode;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class DemoModeTest {

    @Test
    void theGatewayJarOffersDemoModeThroughTheLaunchModeService() {
        List<Class<?>> modes = ServiceLoader.load(LaunchMode.class).stream()
                .<Class<?>>map(ServiceLoader.Provider::type).toList();
        assertEquals(List.of(DemoMode.class), modes);
    }

    @Test
    void demoModeIsRequestedByTheFlagOrTheEnvironmentOnly() {
        DemoMode mode = new DemoMode();
        assertTrue(mode.requested(new String[] {"--port=9090", "--demo"}, Map.of()));
        assertTrue(mode.requested(new String[0], Map.of("STEPCAST_DEMO", "true")));
        assertFalse(mode.requested(new String[] {"--port=9090"}, Map.of()));
    }
}
