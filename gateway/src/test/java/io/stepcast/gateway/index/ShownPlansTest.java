package io.stepcast.gateway.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
