package io.stepcast.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.stepcast.bridge.event.PlanEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventFramesTest {

    private static final String FRAME =
            "{\"type\":\"event\",\"plan_id\":\"p-42\",\"seq\":17,\"epoch\":\"x9f3k2ab01cd\","
                    + "\"event\":\"step_status\",\"ts\":\"2026-11-23T17:00:00.123Z\",\"data\":{\"step_index\":2}}";

    @Test
    void headerReadsTheFixedPrefix() {
        assertEquals(
                new FrameHeader("p-42", 17, "x9f3k2ab01cd", "step_status"),
                EventFrames.header(FRAME.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void headerHonoursOffsetAndLength() {
        byte[] padded = ("xx" + FRAME + "yy").getBytes(StandardCharsets.UTF_8);
        assertEquals(17, EventFrames.header(padded, 2, padded.length - 4).seq());
    }

    @Test
    void aHeaderOfTheKnownPlanReusesItsIdAndCoreEventNamesAreTheConstants() {
        String plan = new String("p-42");
        FrameHeader h = EventFrames.header(FRAME.getBytes(StandardCharsets.UTF_8), plan);
        assertEquals(new FrameHeader("p-42", 17, "x9f3k2ab01cd", "step_status"), h);
        assertSame(plan, h.planId());
        assertSame(PlanEvent.STEP_STATUS, h.event());
        FrameHeader other = EventFrames.header(FRAME.getBytes(StandardCharsets.UTF_8), "p-4");
        assertEquals("p-42", other.planId(), "a frame of another plan keeps its own id");
        String custom = FRAME.replace("step_status", "step_statuz");
        assertEquals(
                "step_statuz",
                EventFrames.header(custom.getBytes(StandardCharsets.UTF_8), plan)
                        .event());
    }

    @Test
    void encodeProducesTheScriptsFormat() {
        assertEquals(
                FRAME,
                EventFrames.encode(
                        "p-42", 17, "x9f3k2ab01cd", "step_status", "2026-11-23T17:00:00.123Z", "{\"step_index\":2}"));
    }

    @Test
    void timestampsHaveExactlyThreeFractionDigits() {
        assertEquals("2026-11-23T17:00:00.000Z", EventFrames.formatTs(Instant.parse("2026-11-23T17:00:00Z")));
        assertEquals("2026-11-23T17:00:00.123Z", EventFrames.formatTs(Instant.parse("2026-11-23T17:00:00.123999Z")));
    }

    @Test
    void malformedFramesAreRejected() {
        for (String bad : new String[] {
            "",
            "{\"type\":\"snapshot\"}",
            "{\"type\":\"event\",\"plan_id\":\"p\",\"seq\":x",
            "{\"type\":\"event\",\"plan_id\":\"p\",\"seq\":1,\"epoch\":\"e",
            "{\"type\":\"event\",\"plan_id\":\"p\\\"",
            "{\"type\":\"event\",\"plan_id\":\"p\",\"seq\":1234567890123456789,"
        }) {
            assertThrows(
                    MalformedFrameException.class, () -> EventFrames.header(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
    }
}
