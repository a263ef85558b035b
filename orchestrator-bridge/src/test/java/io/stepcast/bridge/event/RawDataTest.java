package io.stepcast.bridge.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stepcast.bridge.EventValidationException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RawDataTest {

    @Test
    void theDataMemberIsReturnedAsWrittenWhereverItStands() {
        assertEquals(
                "{\"at\": 1796383123.123456, \"s\":\"\\u00e9\"}",
                RawData.of("{\"event\":\"x\",\"data\":{\"at\": 1796383123.123456, \"s\":\"\\u00e9\"},\"ts\":null}"));
        assertEquals(
                "{ }",
                RawData.of("{\"data\":{\"n\":1},\"event\":\"x\",\"data\":{ }}"),
                "the last one, as the tree reader");
        assertNull(RawData.of("{\"event\":\"x\",\"data\":null}"));
        assertNull(RawData.of("{\"event\":\"x\"}"));
        assertNull(RawData.of("not json"));
    }

    @Test
    void eachElementOfABodyHasItsOwnDataAndLineBreaksBetweenTokensAreRemoved() {
        byte[] body = "[{\"data\":{\"a\": \"é\",\n \"b\":1.0}}, 7, {\"event\":\"x\"}]".getBytes(StandardCharsets.UTF_8);
        assertEquals(Arrays.asList("{\"a\": \"é\", \"b\":1.0}", null, null), RawData.ofEach(body));
        assertEquals(
                List.of("{\"k\":[1E+2]}"),
                RawData.ofEach("{\"data\":{\"k\":[1E+2]}}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void rawDataGivenToACustomEventMustBeOneObject() {
        assertEquals(
                "data",
                assertThrows(EventValidationException.class, () -> new CustomEvent("x", null, null, null, "[1]"))
                        .field());
        assertEquals(
                "data",
                assertThrows(EventValidationException.class, () -> new CustomEvent("x", null, null, null, "{} {}"))
                        .field());
        assertEquals("{\"a\":1}", new CustomEvent("x", null, null, null, "{\"a\":1}").dataJson());
    }
}
