package io.stepcast.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stepcast.gateway.hub.SharedFrame;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventsPageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void pageSplicesFramesVerbatimAndNamesTheNextRequest() throws Exception {
        String f1 =
                "{\"type\":\"event\",\"plan_id\":\"p-1\",\"seq\":4,\"epoch\":\"ep\",\"event\":\"x\",\"ts\":\"t\",\"data\":{\"a\":\"\\u00e9\"}}";
        String f2 =
                "{\"type\":\"event\",\"plan_id\":\"p-1\",\"seq\":5,\"epoch\":\"ep\",\"event\":\"x\",\"ts\":\"t\",\"data\":{}}";
        byte[] page = EventsPage.events("p-1", "ep", 5, false, List.of(frame(f1, 4), frame(f2, 5)), null);
        String text = new String(page, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"events\":[" + f1 + "," + f2 + "]"), text);
        JsonNode node = JSON.readTree(page);
        assertEquals("p-1", node.get("plan_id").asText());
        assertEquals("ep", node.get("epoch").asText());
        assertEquals(5, node.get("seq").asLong());
        assertTrue(node.get("recovered").asBoolean());
        assertEquals("/api/plans/p-1/events?since=5&epoch=ep", node.get("next").asText());
    }

    @Test
    void resetCarriesTheSnapshotOrNull() throws Exception {
        JsonNode reset =
                JSON.readTree(EventsPage.reset("p", "ep", 9, "{\"seq\":9}".getBytes(StandardCharsets.UTF_8), null));
        assertEquals(false, reset.get("recovered").asBoolean());
        assertEquals(9, reset.get("snapshot").get("seq").asLong());
        assertEquals(0, reset.get("events").size());
        JsonNode empty = JSON.readTree(EventsPage.reset("p", null, 0, null, null));
        assertTrue(empty.get("snapshot").isNull());
        assertTrue(empty.get("epoch").isNull());
        assertEquals("/api/plans/p/events?since=0", empty.get("next").asText());
    }

    private static SharedFrame frame(String json, long seq) {
        return new SharedFrame("p-1", seq, "ep", "x", json.getBytes(StandardCharsets.UTF_8));
    }
}
