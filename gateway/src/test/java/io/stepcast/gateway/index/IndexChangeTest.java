package io.stepcast.gateway.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IndexChangeTest {

    private static IndexChange parse(String json) {
        return IndexChange.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void anUpdateIsAboutItsSummarysPlanAndARemovalAboutItsPlanId() {
        IndexChange update = parse("{\"type\":\"plan_update\",\"seq\":812,\"epoch\":\"k2j4r8x0q1ab\","
                + "\"summary\":{\"plan_id\":\"p-42\",\"steps\":{\"total\":1},\"epoch\":\"other0000000\",\"seq\":3}}");
        assertEquals("plan_update", update.type());
        assertEquals("k2j4r8x0q1ab", update.epoch());
        assertEquals(812, update.seq());
        assertEquals("p-42", update.planId());
        IndexChange removed =
                parse("{\"type\":\"plan_removed\",\"seq\":813,\"epoch\":\"k2j4r8x0q1ab\",\"plan_id\":\"p-41\"}");
        assertEquals("p-41", removed.planId());
        assertEquals(813, removed.seq());
    }

    @Test
    void anUpdatesSummaryGetsTheWatcherCountAsItsLastMemberAndARemovalIsSentAsIs() {
        String summary = "{\"plan_id\":\"p-42\",\"steps\":{\"total\":1},\"seq\":3}";
        IndexChange update =
                parse("{\"type\":\"plan_update\",\"seq\":812,\"epoch\":\"k2j4r8x0q1ab\",\"summary\":" + summary + "}");
        assertEquals(
                "{\"type\":\"plan_update\",\"seq\":812,\"epoch\":\"k2j4r8x0q1ab\",\"summary\":"
                        + "{\"plan_id\":\"p-42\",\"steps\":{\"total\":1},\"seq\":3,\"watchers\":7}}",
                new String(update.frameWithWatchers(7), StandardCharsets.UTF_8));
        IndexChange first = parse(
                "{\"summary\":" + summary + ",\"type\":\"plan_update\",\"seq\":1," + "\"epoch\":\"k2j4r8x0q1ab\"}");
        assertEquals(
                "{\"summary\":{\"plan_id\":\"p-42\",\"steps\":{\"total\":1},\"seq\":3,\"watchers\":0},"
                        + "\"type\":\"plan_update\",\"seq\":1,\"epoch\":\"k2j4r8x0q1ab\"}",
                new String(first.frameWithWatchers(0), StandardCharsets.UTF_8));
        IndexChange removed =
                parse("{\"type\":\"plan_removed\",\"seq\":813,\"epoch\":\"k2j4r8x0q1ab\",\"plan_id\":\"p-41\"}");
        assertSame(removed.frame(), removed.frameWithWatchers(5));
    }

    @Test
    void framesThatAreNotChangesAreRefused() {
        assertNull(parse("not json"));
        assertNull(parse("[]"));
        assertNull(parse("{\"type\":\"event\",\"seq\":1,\"epoch\":\"k2j4r8x0q1ab\",\"plan_id\":\"p\"}"));
        assertNull(parse("{\"type\":\"plan_removed\",\"seq\":0,\"epoch\":\"k2j4r8x0q1ab\",\"plan_id\":\"p\"}"));
        assertNull(parse("{\"type\":\"plan_removed\",\"seq\":1,\"epoch\":\"BAD\",\"plan_id\":\"p\"}"));
        assertNull(parse("{\"type\":\"plan_removed\",\"seq\":1,\"epoch\":\"k2j4r8x0q1ab\",\"plan_id\":\"{x}\"}"));
        assertNull(parse("{\"type\":\"plan_update\",\"seq\":1,\"epoch\":\"k2j4r8x0q1ab\",\"summary\":{}}"));
    }
}
