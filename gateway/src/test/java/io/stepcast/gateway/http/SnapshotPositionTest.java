package io.stepcast.gateway.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SnapshotPositionTest {

    @Test
    void readsTopLevelEpochAndSeqSkippingNestedOnes() {
        String state = "{\"plan_id\":\"p\",\"steps\":[{\"seq\":99,\"epoch\":\"inner\"}],\"epoch\":\"abc\",\"seq\":42,"
                + "\"overall_status\":\"running\"}";
        assertEquals(new SnapshotPosition("abc", 42), SnapshotPosition.of(state.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void missingOrBrokenStateHasNoPosition() {
        assertEquals(new SnapshotPosition(null, 0), SnapshotPosition.of(null));
        assertEquals(new SnapshotPosition(null, 0), SnapshotPosition.of("[1]".getBytes(StandardCharsets.UTF_8)));
        assertEquals(new SnapshotPosition("e", 0), SnapshotPosition.of("{\"epoch\":\"e\",".getBytes(StandardCharsets.UTF_8)));
    }
}
