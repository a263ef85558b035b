package io.stepcast.gateway.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShownPlansTest {

    @Test
    void onlyCountsThatDifferFromWhatWasSentAreSentAndThenRemembered() {
        ShownPlans shown = new ShownPlans();
        shown.shown("a", 0L);
        shown.shown("b", 2L);
        shown.shown("c", null); // first page without counts: sent by the next refresh
        assertEquals(Map.of("a", 1L, "c", 0L), shown.changed(Map.of("a", 1L, "b", 2L, "c", 0L), p -> true));
        assertEquals(Map.of(), shown.changed(Map.of("a", 1L, "b", 2L, "c", 0L), p -> true));
        assertEquals(Map.of(), shown.changed(Map.of("a", 5L), p -> !p.equals("a")), "an invisible plan is left out");
        shown.removed("a");
        assertEquals(Map.of(), shown.changed(Map.of("a", 9L), p -> true), "a removed plan is forgotten");
    }

    @Test
    void atMostTheMostRecentlyShownPlansAreKept() {
        ShownPlans shown = new ShownPlans();
        for (int i = 0; i < ShownPlans.MAX + 10; i++) {
            shown.shown("p" + i, 0L);
        }
        shown.shown("p10", 0L); // shown again: recent
        shown.shown("last", 0L);
        assertEquals(ShownPlans.MAX, shown.plans().size());
        assertTrue(shown.plans().contains("p10"));
        assertFalse(shown.plans().contains("p11"));
        assertEquals("last", shown.plans().get(ShownPlans.MAX - 1));
    }

    @Test
    void aSeededPageIsOlderThanPlansShownMeanwhileAndBringsNoRemovedPlanBack() {
        ShownPlans shown = new ShownPlans();
        shown.seeding();
        shown.shown("b", 3L); // an update while the page's ids were read
        shown.shown("gone", 1L);
        shown.removed("gone");
        shown.seed(List.of("a", "b", "gone", "c")); // newest first
        assertEquals(List.of("c", "a", "b"), shown.plans());
        assertEquals(Map.of("a", 1L, "c", 0L), shown.changed(Map.of("a", 1L, "b", 3L, "c", 0L), p -> true));
        shown.seed(List.of("d"));
        assertEquals(List.of("c", "a", "b"), shown.plans(), "a seed nobody awaits is ignored");
    }

    @Test
    void aSeedIsTheFirstToGoPastTheLimit() {
        ShownPlans shown = new ShownPlans();
        shown.seeding();
        for (int i = 0; i < ShownPlans.MAX; i++) {
            shown.shown("u" + i, 0L);
        }
        shown.seed(List.of("s1", "s2"));
        assertEquals(ShownPlans.MAX, shown.plans().size());
        assertFalse(shown.plans().contains("s1"));
        assertTrue(shown.plans().contains("u0"));
    }
}
