package io.stepcast.gateway.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ClusterReconcilerTest {

    private static PlanBus.LivePosition at(String epoch, long seq) {
        return new PlanBus.LivePosition(epoch, seq);
    }

    @Test
    void aHeadReadEarlierThatWasDeliveredIsNoHole() {
        assertFalse(ClusterReconciler.behind(at("e1", 10), at("e1", 10)));
        assertFalse(ClusterReconciler.behind(at("e1", 12), at("e1", 10)));
    }

    @Test
    void aHeadReadEarlierThatIsStillAheadOfTheStreamIsAHole() {
        assertTrue(ClusterReconciler.behind(at("e1", 9), at("e1", 10)));
    }

    @Test
    void aHeadOfAnotherEpochOrOfAPlanThatWasEmptyWhenAnchoredIsAHole() {
        assertTrue(ClusterReconciler.behind(at("e1", 50), at("e2", 3)));
        assertTrue(ClusterReconciler.behind(at(null, 0), at("e2", 1)));
    }

    @Test
    void anEmptyPlanHasNothingToDeliver() {
        assertFalse(ClusterReconciler.behind(at(null, 0), at("e1", 0)));
    }

    @Test
    void lettuceReportsTheRedisMajorVersion() {
        assertTrue(LettuceClusterPlanBus.majorVersion("# Server\r\nredis_version:7.0.15\r\n") == 7);
        assertTrue(LettuceClusterPlanBus.majorVersion("redis_version:6.2.6\n") == 6);
        assertTrue(LettuceClusterPlanBus.majorVersion(null) == 0);
    }
}
