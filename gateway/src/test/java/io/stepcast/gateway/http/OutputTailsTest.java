package io.stepcast.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputTailsTest {

    private static String strip(String json) {
        return new String(OutputTails.strip(json.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void cutsTheTailOfEveryStepWhereverItStandsAndKeepsEveryOtherByte() {
        String snapshot = "{\"plan_id\":\"p\",\"seq\":3,\"steps\":["
                + "{\"name\":\"a\",\"status\":\"running\",\"output_tail\":\"x\\\"y\\n\"},"
                + "{\"output_tail\":\"é\",\"name\":\"b\"},"
                + "{\"name\":\"c\",\"output_tail\":\"\",\"error\":null},"
                + "{\"name\":\"d\"}],"
                + "\"summary\":{\"output_tail\":\"kept\",\"n\":1.50E3},\"last_update\":\"t\"}";
        assertEquals(
                "{\"plan_id\":\"p\",\"seq\":3,\"steps\":["
                        + "{\"name\":\"a\",\"status\":\"running\"},"
                        + "{\"name\":\"b\"},"
                        + "{\"name\":\"c\",\"error\":null},"
                        + "{\"name\":\"d\"}],"
                        + "\"summary\":{\"output_tail\":\"kept\",\"n\":1.50E3},\"last_update\":\"t\"}",
                strip(snapshot));
    }

    @Test
    void aSnapshotWithoutStepsIsUnchanged() {
        String snapshot = "{\"plan_id\":\"p\",\"seq\":1,\"overall_status\":\"pending\",\"steps\":[]}";
        assertEquals(snapshot, strip(snapshot));
    }
}
