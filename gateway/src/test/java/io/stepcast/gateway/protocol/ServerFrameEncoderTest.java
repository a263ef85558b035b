package io.stepcast.gateway.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerFrameEncoderTest {

    private static String enc(ServerFrame f) {
        return new String(ServerFrameEncoder.encode(f), StandardCharsets.UTF_8);
    }

    @Test
    void encodesEveryServerFrameCompactlyWithTypeFirst() {
        assertEquals(
                "{\"type\":\"connected\",\"session_id\":\"s1\",\"protocol\":\"stepcast.v1\",\"heartbeat_ms\":25000}",
                enc(new ServerFrame.Connected("s1", ServerFrame.PROTOCOL, 25_000)));
        assertEquals(
                "{\"type\":\"subscribed\",\"plan_id\":\"p\",\"epoch\":null,\"seq\":0,\"recovered\":false}",
                enc(new ServerFrame.Subscribed("p", null, 0, false)));
        assertEquals("{\"type\":\"unsubscribed\",\"plan_id\":\"p\"}", enc(new ServerFrame.Unsubscribed("p")));
        assertEquals("{\"type\":\"pong\"}", enc(new ServerFrame.Pong(null)));
        assertEquals("{\"type\":\"pong\",\"id\":\"a\\\"\"}", enc(new ServerFrame.Pong(RequestId.ofString("a\""))));
        assertEquals(
                "{\"type\":\"error\",\"code\":\"rate_limited\",\"message\":\"slow \\u0001 down\",\"ref\":3}",
                enc(new ServerFrame.Error(ErrorCode.RATE_LIMITED, "slow \u0001 down", RequestId.ofInteger(3))));
        assertEquals(
                "{\"type\":\"reconnect\",\"reason\":\"draining\",\"after_ms\":250}",
                enc(new ServerFrame.Reconnect("draining", 250)));
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("team-a.7", 3L);
        counts.put("p", 0L);
        assertEquals(
                "{\"type\":\"plan_watchers\",\"watchers\":{\"team-a.7\":3,\"p\":0}}",
                enc(new ServerFrame.PlanWatchers(counts)));
        assertEquals(
                "{\"type\":\"command_result\",\"id\":\"c\",\"ok\":false,\"error\":{\"code\":\"conflict\",\"message\":\"no\"}}",
                enc(new ServerFrame.CommandResult(RequestId.ofString("c"), false, null, "conflict", "no")));
    }

    @Test
    void snapshotStateAndResultDataAreSplicedByteForByte() {
        byte[] state = "{ \"plan_id\":\"p\", \"steps\" : [ ], \"x\":\"\u00e9\" }".getBytes(StandardCharsets.UTF_8);
        assertEquals(
                "{\"type\":\"snapshot\",\"plan_id\":\"p\",\"state\":{ \"plan_id\":\"p\", \"steps\" : [ ], \"x\":\"\u00e9\" }}",
                enc(new ServerFrame.Snapshot("p", state)));
        assertEquals(
                "{\"type\":\"command_result\",\"id\":1,\"ok\":true,\"data\":[1, 2]}",
                enc(new ServerFrame.CommandResult(
                        RequestId.ofInteger(1), true, "[1, 2]".getBytes(StandardCharsets.UTF_8), null, null)));
    }
}
