package io.stepcast.deploy.loadtest.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Idle rounds and the saturation search are judged on every round and on the highest rate that held. */
class SpreadReportTest {

    @Test
    void idleSpreadIsMinMedianMaxOverRoundsAndTheGoalNeedsEveryRound() {
        List<IdleResult> sc = List.of(idle("stepcast", 1, 7.0), idle("stepcast", 2, 9.0), idle("stepcast", 3, 7.5));
        List<IdleResult> io = List.of(idle("socketio", 1, 8.4), idle("socketio", 2, 8.5), idle("socketio", 3, 10.5));
        assertArrayEquals(new double[] {7.0, 7.5, 9.0}, SaturationGoals.stats(sc), 1e-9);
        List<Goal> g = new ArrayList<>();
        SaturationGoals.idle(g, Map.of("stepcast", sc, "socketio", io));
        assertEquals(Boolean.FALSE, g.get(0).met(), "9 KiB in round 2 misses ≤ 8 KiB");
        assertEquals(Boolean.FALSE, g.get(1).met(), "round 2: 9.0 is not below 8.5");
        assertTrue(
                g.get(1).measured().startsWith("below in 2 of 3 rounds"),
                g.get(1).measured());
    }

    @Test
    void sustainedRateIsTheHighestStepWithinTheP99LimitWithoutLoss() {
        assertTrue(SaturationResult.holds(step(400, 40, 0), 100));
        assertFalse(SaturationResult.holds(step(800, 140, 0), 100));
        assertFalse(SaturationResult.holds(step(800, 40, 3), 100));
        SaturationResult sc = new SaturationResult("stepcast", 100, List.of(), 800, 800_000);
        SaturationResult io = new SaturationResult("socketio", 100, List.of(), 100, 100_000);
        SaturationResult nt = new SaturationResult("netty", 100, List.of(), 1600, 1_000_000);
        List<Goal> g = new ArrayList<>();
        SaturationGoals.add(g, Map.of("stepcast", sc, "socketio", io, "netty", nt));
        assertEquals(Boolean.TRUE, g.get(0).met(), g.get(0).measured());
        assertEquals(Boolean.TRUE, g.get(1).met(), g.get(1).measured());
        assertTrue(g.get(1).measured().startsWith("80.0%"), g.get(1).measured());
    }

    private static IdleResult idle(String system, int round, double kib) {
        return new IdleResult(system, round, 10_000, 100, 0, 0, kib * 1024, 0, 0, 0, "1.0", 0, 0, 0);
    }

    private static RateStep step(double rate, double p99, long lost) {
        Latency l = new Latency(1, p99, p99, p99, p99, p99, p99);
        return new RateStep(
                "stepcast", rate, 1000, 0, 5, rate * 1000, 0, lost, 0, 0, l, 0, 0, 0, "1", false, 0, 0, 0, 0);
    }
}
