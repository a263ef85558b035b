package io.stepcast.gateway.http;

import io.stepcast.gateway.hub.Cursor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

class CursorParamsTest {

    @Test
    void noSinceMeansSnapshotThenLive() {
        assertNull(ok(CursorParams.fromQuery(null, null)));
        assertNull(ok(CursorParams.fromQuery("", "")));
    }

    @Test
    void sinceAndEpochMakeACursor() {
        assertEquals(new Cursor("abc", 12), ok(CursorParams.fromQuery("12", "abc")));
        assertEquals(new Cursor(null, 0), ok(CursorParams.fromQuery("0", null)));
    }

    @Test
    void badValuesNameTheirField() {
        assertField("since", CursorParams.fromQuery("-1", "abc"));
        assertField("since", CursorParams.fromQuery("12x", null));
        assertField("since", CursorParams.fromQuery("99999999999999999999", null));
        assertField("since", CursorParams.fromQuery(null, "abc"));
        assertField("epoch", CursorParams.fromQuery("3", "a\"b"));
    }

    @Test
    void lastEventIdCarriesEpochAndSeq() {
        assertEquals(new Cursor("x9f3k2ab01cd", 17), ok(CursorParams.fromLastEventId("x9f3k2ab01cd:17", null)));
        assertEquals(new Cursor("q", 4), ok(CursorParams.fromLastEventId("4", "q")));
        assertEquals(new Cursor(null, 0), ok(CursorParams.fromLastEventId("0", null)));
        assertField("Last-Event-ID", CursorParams.fromLastEventId("abc:x", null));
        assertEquals("e:3", CursorParams.eventId("e", 3));
        assertEquals("0", CursorParams.eventId(null, 0));
    }

    private static Cursor ok(Parsed<Cursor> parsed) {
        return assertInstanceOf(Parsed.Ok.class, parsed) instanceof Parsed.Ok<?> ok ? (Cursor) ok.value() : null;
    }

    private static void assertField(String field, Parsed<Cursor> parsed) {
        Parsed.Invalid<?> invalid = assertInstanceOf(Parsed.Invalid.class, parsed);
        assertEquals(400, invalid.response().code());
        String body = new String(invalid.response().body(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(true, body.contains("\"field\":\"" + field + "\""), body);
        assertEquals(true, body.contains("\"code\":\"bad_request\""), body);
    }
}
