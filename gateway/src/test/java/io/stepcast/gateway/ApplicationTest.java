package io.stepcast.gateway;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ApplicationTest {

    @Test
    void productionJarRecognisesADemoRequestByFlagOrEnvironment() {
        assertTrue(Application.demoRequested(new String[] {"--demo"}, Map.of()));
        assertTrue(Application.demoRequested(new String[0], Map.of("STEPCAST_DEMO", "true")));
        assertFalse(Application.demoRequested(new String[] {"--micronaut.server.port=0"}, Map.of()));
    }

    @Test
    void demoRequestToTheProductionJarSaysWhereDemoModeLives() {
        assertTrue(Application.DEMO_ELSEWHERE.contains("-pl deploy/demo -am -Pdemo"), Application.DEMO_ELSEWHERE);
        assertTrue(Application.DEMO_ELSEWHERE.contains("deploy/demo/target/demo-"), Application.DEMO_ELSEWHERE);
    }
}
