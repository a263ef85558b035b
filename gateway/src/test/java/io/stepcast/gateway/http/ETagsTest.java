package io.stepcast.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ETagsTest {

    @Test
    void tagIsQuotedEpochAndSeq() {
        assertEquals("\"abc123def456:17\"", ETags.of("abc123def456", 17));
    }

    @Test
    void ifNoneMatchMatchesExactListWeakAndStar() {
        String tag = ETags.of("e1", 5);
        assertTrue(ETags.matches("\"e1:5\"", tag));
        assertTrue(ETags.matches("W/\"e1:5\"", tag));
        assertTrue(ETags.matches("\"x:1\", \"e1:5\"", tag));
        assertTrue(ETags.matches("*", tag));
        assertFalse(ETags.matches("\"e1:4\"", tag));
        assertFalse(ETags.matches("\"e1:55\"", tag));
        assertFalse(ETags.matches("\"e2:5\", W/\"e1:6\"", tag));
        assertFalse(ETags.matches("", tag));
    }
}
