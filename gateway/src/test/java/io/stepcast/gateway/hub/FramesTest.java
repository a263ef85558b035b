package io.stepcast.gateway.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The publisher's timestamp reads the same through the fast path as through {@code Instant.parse}. */
class FramesTest {

    @Test
    void readsEveryIsoUtcShapeAsInstantParseDoes() {
        List<String> stamps = List.of(
                "2026-12-04T16:59:07.123Z",
                "2026-12-04T16:59:07Z",
                "2026-12-04T16:59:07.1Z",
                "2026-12-04T16:59:07.123456Z",
                "2026-12-04T16:59:07.123456789Z",
                "1970-01-01T00:00:00.000Z",
                "1969-12-31T23:59:59.999Z",
                "2024-02-29T12:00:00.500Z",
                "2000-03-01T00:00:00Z",
                "2100-12-31T23:59:59.999Z",
                "2026-12-04T17:59:07.123+01:00",
                "2026-12-04T24:00:00Z",
                "2026-12-04T16:59:07.Z");
        for (String ts : stamps) {
            assertEquals(
                    Instant.parse(ts).truncatedTo(ChronoUnit.MILLIS).toEpochMilli(), Frames.tsMillis(frame(ts)), ts);
        }
    }

    @Test
    void aTimestampThatIsNoInstantIsMinusOne() {
        for (String ts : List.of(
                "2026-02-30T00:00:00Z",
                "2025-02-29T00:00:00Z",
                "2026-13-01T00:00:00Z",
                "2026-12-04 16:59:07Z",
                "yesterday")) {
            assertEquals(-1, Frames.tsMillis(frame(ts)), ts);
        }
    }

    @Test
    void scansEveryDayOfFourCenturiesLikeInstantParse() {
        for (long day = -146_097; day < 146_097; day += 7) {
            Instant at = Instant.ofEpochSecond(day * 86_400 + 45_296, 789_000_000);
            assertEquals(at.toEpochMilli(), Frames.tsMillis(frame(at.toString())), at.toString());
        }
    }

    @Test
    void thePublishersShapeTakesTheFastPathWithoutInstantParse() {
        byte[] ts = "2026-12-04T16:59:07.123Z".getBytes(StandardCharsets.US_ASCII);
        assertEquals(Instant.parse("2026-12-04T16:59:07.123Z").toEpochMilli(), Frames.isoUtcMillis(ts, 0, ts.length));
        byte[] offset = "2026-12-04T17:59:07.123+01:00".getBytes(StandardCharsets.US_ASCII);
        assertEquals(Long.MIN_VALUE, Frames.isoUtcMillis(offset, 0, offset.length), "general path");
    }

    private static byte[] frame(String ts) {
        return ("{\"type\":\"event\",\"plan_id\":\"p-1\",\"seq\":3,\"epoch\":\"e1\",\"event\":\"step_output\",\"ts\":\""
                        + ts + "\",\"data\":{}}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
