package io.stepcast.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.stepcast.gateway.redis.IndexCursors;
import io.stepcast.gateway.redis.IndexPage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PlansQueryTest {

    @Test
    void defaultsAreEveryPlanEveryStatusFiftyFromTheNewest() {
        PlansQuery q = ((Parsed.Ok<PlansQuery>) PlansQuery.parse(null, null, null, null)).value();
        assertEquals("", q.prefix());
        assertEquals(Set.of(), q.statuses());
        assertEquals(50, q.limit());
        assertNull(q.after());
    }

    @Test
    void aCursorRoundTripsAndAnyEditedOneIsRefused() {
        IndexPage.Position p = new IndexPage.Position(1_764_864_000_123L, "team-a.p:1");
        String cursor = IndexCursors.encode(p);
        assertEquals(p, IndexCursors.decode(cursor));
        PlansQuery q = ((Parsed.Ok<PlansQuery>) PlansQuery.parse("team-a.", "running,failed", "500", cursor)).value();
        assertEquals(p, q.after());
        assertEquals(Set.of("running", "failed"), q.statuses());

        String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
        String edited = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(text.replace("team-a", "team-b").getBytes(StandardCharsets.UTF_8));
        assertNull(IndexCursors.decode(edited), "the checksum no longer matches");
        assertNull(IndexCursors.decode("!!"));
        assertNull(IndexCursors.decode("x".repeat(300)));
        assertInstanceOf(Parsed.Invalid.class, PlansQuery.parse(null, null, null, edited));
    }
}
