package io.stepcast.gateway.budget;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The decision of an over-budget check: who is shed, who is cut. */
class SheddingPlanTest {

    private static final long CUT_AFTER = 1_000;

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
        SheddingPlan plan = new SheddingPlan(CUT_AFTER);
        SheddingPlan.Decision d = plan.decide(
                List.of(open("a", 10), open("b", 50), open("c", 30), open("d", 20), open("idle", 0)), 100, 40, 0);
        assertEquals(List.of("b", "c"), names(d.shed()), "110 open: 50 and 30 go, 30 remain ≤ 40");
        assertEquals(List.of(), names(d.cut()));
    }

    @Test
    void doesNotShedClientsThatKeepUpForMemoryThatShedOnesStillHold() {
        SheddingPlan plan = new SheddingPlan(CUT_AFTER);
        SheddingPlan.Decision d =
                plan.decide(List.of(closing("x", 90), open("behind", 30), open("keeps-up", 5)), 100, 40, 0);
        assertEquals(List.of(), names(d.shed()), "35 open ≤ 40");
    }

    @Test
    void neverShedsAnOutputThatHoldsNothing() {
        SheddingPlan plan = new SheddingPlan(CUT_AFTER);
        SheddingPlan.Decision d = plan.decide(List.of(open("idle", 0), closing("x", 200)), 100, 40, 0);
        assertEquals(List.of(), names(d.shed()));
    }

    @Test
    void cutsAShedOutputThatStillHoldsOutputCutAfterLaterWhileTheBudgetNeedsIt() {
        SheddingPlan plan = new SheddingPlan(CUT_AFTER);
        SheddingPlan.Decision first = plan.decide(List.of(open("reader", 60), open("stalled", 70)), 100, 40, 0);
        assertEquals(List.of("stalled", "reader"), names(first.shed()));
        SheddingPlan.Decision early = plan.decide(
                List.of(closing("reader", 55), closing("stalled", 70), open("keeps-up", 5)), 100, 40, CUT_AFTER / 2);
        assertEquals(List.of(), names(early.cut()), "not closing for cut-after yet");
        SheddingPlan.Decision later = plan.decide(
                List.of(closing("reader", 50), closing("stalled", 70), open("keeps-up", 5)), 100, 40, CUT_AFTER);
        assertEquals(List.of(), names(later.shed()));
        assertEquals(List.of("stalled"), names(later.cut()), "125 > 100: the largest is cut, 55 remain");
        // under the budget, a closing output is left to its close timeout
        SheddingPlan.Decision under =
                plan.decide(List.of(closing("reader", 50), open("keeps-up", 5)), 100, 40, 5 * CUT_AFTER);
        assertEquals(List.of(), names(under.cut()));
    }

    @Test
    void forgetsClosingOutputsOnceUnderBudget() {
        SheddingPlan plan = new SheddingPlan(CUT_AFTER);
        plan.decide(List.of(open("s", 150)), 100, 40, 0);
        plan.reset();
        SheddingPlan.Decision d = plan.decide(List.of(closing("s", 150)), 100, 40, 2 * CUT_AFTER);
        assertEquals(List.of(), names(d.cut()), "not seen closing before: its cut-after starts now");
    }
}
