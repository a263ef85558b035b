package io.stepcast.deploy.loadtest.scenario;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.deploy.loadtest.report.Latency;
import io.stepcast.deploy.loadtest.report.RateStep;
import java.util.List;
import org.junit.jupiter.api.Test;

class SaturationScenarioTest {

    private static RateStep step(double rate, int subscribers, long closed) {
        Latency l = new Latency(1, 5, 5, 5, 5, 5, 5);
        return new RateStep(
                "stepcast",
                rate,
                subscribers,
                0,
                5,
                rate * subscribers,
                0,
                0,
                0,
                closed,
                l,
                0,
                0,
                0,
                "1",
                false,
                0,
                0,
                0,
                0);
    }

    @Test
    void theSearchGoesOnWhileEverySubscriberIsConnected() {
        assertTrue(SaturationScenario.fullFleet("stepcast", List.of(step(800, 1000, 0)), 1000));
    }

    @Test
    void aStepInWhichTheServerShedSubscribersEndsTheSearch() {
        // past saturation the gateway's output budget closed 781 clients, which do not reconnect:
        // a bisection step with the 219 left measured another load (2026-12-04 20:46 run)
        assertFalse(SaturationScenario.fullFleet("stepcast", List.of(step(1600, 1000, 781)), 1000));
        assertFalse(SaturationScenario.fullFleet("stepcast", List.of(step(1200, 219, 0)), 1000));
    }
}
