package io.stepcast.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepcast.gateway.WsClient;

/**
 * Reads one plan's stream from a test client and checks the protocol's promise on the way: every
 * event has seq = previous + 1 within the epoch, never a gap or a duplicate.
 */
final class PlanReader {

    final String planId;
    String epoch;
    long seq;
    int events;

    PlanReader(String planId) {
        this.planId = planId;
    }

    /** Reads {@code subscribed} (and the snapshot, when not recovered); returns the subscribed frame. */
    JsonNode start(WsClient c) {
        JsonNode sub = c.next("subscribed");
        assertEquals(planId, sub.path("plan_id").asText());
        epoch = sub.path("epoch").isNull() ? null : sub.path("epoch").asText();
        seq = sub.path("seq").asLong();
        if (!sub.path("recovered").asBoolean() && epoch != null) {
            JsonNode snap = c.next("snapshot");
            assertEquals(planId, snap.path("plan_id").asText());
            assertEquals(seq, snap.path("state").path("seq").asLong(), "snapshot is as of subscribed.seq");
            assertEquals(epoch, snap.path("state").path("epoch").asText());
        }
        return sub;
    }

    /** Reads events until {@code lastSeq}, asserting contiguity. */
    void readUntil(WsClient c, long lastSeq) {
        while (seq < lastSeq) {
            accept(c.next());
        }
    }

    void accept(JsonNode n) {
        String type = n.path("type").asText();
        if (!"event".equals(type)) {
            fail("expected an event of " + planId + " after seq " + seq + " but got " + n);
        }
        assertEquals(planId, n.path("plan_id").asText());
        long s = n.path("seq").asLong();
        assertEquals(seq + 1, s, () -> "gap or duplicate after seq " + seq + ": " + n);
        if (epoch != null) {
            assertEquals(epoch, n.path("epoch").asText());
        } else {
            epoch = n.path("epoch").asText();
        }
        assertTrue(n.has("event") && n.has("ts") && n.has("data"));
        seq = s;
        events++;
    }

    String resumeFrame() {
        return "{\"type\":\"subscribe\",\"plan_id\":\"" + planId + "\",\"since\":" + seq + ",\"epoch\":\"" + epoch
                + "\"}";
    }

    String subscribeFrame() {
        return "{\"type\":\"subscribe\",\"plan_id\":\"" + planId + "\"}";
    }
}
