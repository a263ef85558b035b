package io.stepcast.gateway.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.gateway.redis.LogPage;
import java.util.List;
import org.junit.jupiter.api.Test;

class CursorTest {

    private static final String EPOCH = "x9f3k2ab01cd";

    @Test
    void noParametersMeanNoCursor() {
        assertNull(ok(Cursor.fromQuery(null, null)));
        assertNull(ok(Cursor.fromQuery("", "")));
        assertNull(ok(Cursor.of(null, null)));
    }

    @Test
    void sinceAndEpochMakeACursor() {
        assertEquals(new Cursor(EPOCH, 12), ok(Cursor.fromQuery("12", EPOCH)));
        assertEquals(new Cursor(null, 0), ok(Cursor.fromQuery("0", null)));
        assertEquals(new Cursor(EPOCH, Cursor.MAX_SEQ), ok(Cursor.of(Cursor.MAX_SEQ, EPOCH)));
    }

    @Test
    void badParametersNameTheFieldAtFault() {
        assertField("since", Cursor.fromQuery("-1", EPOCH));
        assertField("since", Cursor.fromQuery("12x", null));
        assertField("since", Cursor.fromQuery("99999999999999999999", null));
        assertField("since", Cursor.fromQuery(null, EPOCH));
        assertField("epoch", Cursor.fromQuery("3", "a\"b"));
        assertField("epoch", Cursor.of(3L, "abc"));
        assertField("since", Cursor.of(-1L, null));
    }

    @Test
    void aCursorBeyondAnyPossibleSeqIsRefusedOnEveryForm() {
        assertField("since", Cursor.fromQuery("9223372036854775807", EPOCH));
        assertField("since", Cursor.fromQuery(Long.toString(Cursor.MAX_SEQ + 1), null));
        assertField("since", Cursor.of(Long.MAX_VALUE, EPOCH));
        assertField("Last-Event-ID", Cursor.fromLastEventId(EPOCH + ":9223372036854775807", null));
        assertField("since", Cursor.fromLastEventId("9223372036854775807", EPOCH));
    }

    @Test
    void lastEventIdCarriesTheWholeCursorOrTakesTheEpochFromTheQuery() {
        assertEquals(new Cursor(EPOCH, 17), ok(Cursor.fromLastEventId(EPOCH + ":17", null)));
        assertEquals(new Cursor(EPOCH, 4), ok(Cursor.fromLastEventId("4", EPOCH)));
        assertEquals(new Cursor(null, 0), ok(Cursor.fromLastEventId("0", null)));
        assertField("Last-Event-ID", Cursor.fromLastEventId("abc:x", null));
        assertField("Last-Event-ID", Cursor.fromLastEventId("nonsense:3", null));
        assertEquals(EPOCH + ":3", Cursor.eventId(EPOCH, 3));
        assertEquals("0", Cursor.eventId(null, 0));
    }

    @Test
    void aLogPageContinuesACursorOfItsEpochThatItStillCovers() {
        LogPage page = new LogPage(EPOCH, 10, List.of(entry(6), entry(7)));
        assertTrue(new Cursor(EPOCH, 5).continuedBy(page));
        assertTrue(new Cursor(EPOCH, 10).continuedBy(new LogPage(EPOCH, 10, List.of())), "at the head");
        assertTrue(new Cursor(null, 0).continuedBy(new LogPage(EPOCH, 2, List.of(entry(1)))), "empty cursor");
        assertFalse(new Cursor(EPOCH, 4).continuedBy(page), "trimmed: 5 is gone");
        assertFalse(new Cursor("otherepoch00", 5).continuedBy(page), "other epoch");
        assertFalse(new Cursor(EPOCH, 11).continuedBy(page), "ahead of the plan");
        assertFalse(new Cursor(null, 3).continuedBy(page), "a seq without epoch");
        assertFalse(new Cursor(EPOCH, 3).continuedBy(new LogPage(null, 0, List.of())), "plan expired");
    }

    private static LogPage.LogEntry entry(long seq) {
        return new LogPage.LogEntry(seq, new byte[0]);
    }

    private static Cursor ok(Cursor.Parse parsed) {
        return assertInstanceOf(Cursor.Ok.class, parsed).cursor();
    }

    private static void assertField(String field, Cursor.Parse parsed) {
        assertEquals(
                field,
                assertInstanceOf(Cursor.Invalid.class, parsed, () -> field + ": " + parsed)
                        .field());
    }
}
