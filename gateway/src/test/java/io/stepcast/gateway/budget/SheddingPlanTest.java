package io.stepcast.gateway.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision of an over-budget check: who is shed, who is cut. */
class SheddingPlanTest {

    private static SheddingPlan.Measured open(String name, long pending) {
        return new SheddingPlan.Measured(null, name, pending, false);
    }

    private static SheddingPlan.Measured closing(String name, long pending) {
        return new SheddingPlan.Measured(null, name, pending, true);
    }

    private static List<Object> names(List<SheddingPlan.Measured> ms) {
        List<Object> out = new ArrayList<>();
        for (SheddingPlan.Measured m : ms) {
            out.add(m.output());
        }
        return out;
    }

    @Test
    void shedsTheFurthestBehindFirstUntilTheOpenOutputsAreUnderTheLowWaterMark() {
        SheddingPlan plan = new SheddingPlan();
        SheddingPlan.Decision d = plan.decide(
                List.of(open("a", 10), open("b", 50), open("c", 30), open("d", 20), open("idle", 0)), 100, 40);
        assertEquals(List.of("b", "c"), names(d.shed()), "110 open: 50 and 30 go, 30 remain ≤ 40");
        assertEquals(List.of(), names(d.cut()));
    }

    @Test
    void neverShedsAnOutputThatHoldsNothing() {
        SheddingPlan plan = new SheddingPlan();
        SheddingPlan.Decision d = plan.decide(List.of(open("idle", 0), closing("x", 200)), 100, 40);
        assertEquals(List.of(), names(d.shed()));
    }

    @Test
    void cutsAShedOutputOnlyWhenItMadeNoProgressSinceTheLastCheckAndTheBudgetStillNeedsIt() {
        SheddingPlan plan = new SheddingPlan();
        SheddingPlan.Decision first = plan.decide(List.of(open("reader", 60), open("stalled", 70)), 100, 40);
        assertEquals(List.of("stalled", "reader"), names(first.shed()));
        // next check: both are closing; the reader took part of its output, the stalled one nothing
        SheddingPlan.Decision second =
                plan.decide(List.of(closing("reader", 50), closing("stalled", 70), open("new", 10)), 100, 40);
        assertEquals(List.of(), names(second.shed()));
        assertEquals(List.of("stalled"), names(second.cut()), "130 > 100: the stalled one is cut, 60 remain");
        // under the budget, a stalled closing output is left to its close timeout
        SheddingPlan.Decision third = plan.decide(List.of(closing("reader", 50), open("new", 10)), 100, 40);
        assertEquals(List.of(), names(third.cut()));
    }

    @Test
    void forgetsProgressOnceUnderBudget() {
        SheddingPlan plan = new SheddingPlan();
        plan.decide(List.of(open("s", 150)), 100, 40);
        plan.reset();
        SheddingPlan.Decision d = plan.decide(List.of(closing("s", 150)), 100, 40);
        assertEquals(List.of(), names(d.cut()), "no earlier measure: one more interval to make progress");
    }
}
