package io.stepcast.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The WebSocket protocol surface: connected frame, ping/pong, and every bad-input class. */
class WsProtocolIT {

    static TestGateway server;

    @BeforeAll
    static void start() {
        server = TestGateway.start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void connectedFrameCarriesAServerMintedSessionIdAndTheHeartbeat() {
        try (WsClient a = WsClient.connect(WsClient.uri(server));
                WsClient b = WsClient.connect(WsClient.uri(server))) {
            assertEquals("stepcast.v1", a.socket.getSubprotocol());
            JsonNode ca = a.next("connected");
            JsonNode cb = b.next("connected");
            assertEquals("stepcast.v1", ca.path("protocol").asText());
            assertEquals(25_000, ca.path("heartbeat_ms").asLong());
            String id = ca.path("session_id").asText();
            assertTrue(RedisLayout.SESSION_ID.matcher(id).matches(), id);
            assertTrue(id.length() >= 20, "at least 120 random bits: " + id);
            assertNotEquals(id, cb.path("session_id").asText());
        }
    }

    @Test
    void eachConnectionHasTheInboundGuardTheOneMebibyteWriteBoundAndNoDeflateByDefault() {
        ConnectionRegistry registry = server.context().getBean(ConnectionRegistry.class);
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            String id = c.next("connected").path("session_id").asText();
            c.assertUsable();
            Channel ch = registry.get(id).channel();
            assertTrue(
                    ch.pipeline().get(InboundGuard.NAME) != null,
                    ch.pipeline().names().toString());
            assertTrue(
                    ch.pipeline().get("WebSocketServerCompressionHandler") == null,
                    ch.pipeline().names().toString());
            assertEquals(1024 * 1024, ch.config().getWriteBufferHighWaterMark());
            assertEquals(512 * 1024, ch.config().getWriteBufferLowWaterMark());
        }
    }

    @Test
    void pingIsAnsweredWithPongEchoingTheId() {
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            c.send("{\"type\":\"ping\",\"id\":\"a\\\"b\"}");
            assertEquals("{\"type\":\"pong\",\"id\":\"a\\\"b\"}", c.next("pong").toString());
            c.send("{\"type\":\"ping\",\"id\":42}");
            assertTrue(c.next("pong").path("id").isIntegralNumber());
            c.send("{\"type\":\"ping\"}");
            assertTrue(c.next("pong").path("id").isMissingNode());
        }
    }

    @Test
    void everyBadInputGetsItsTypedErrorAndTheConnectionStaysUsable() {
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            String[][] cases = {
                {"{not json", "malformed_json"},
                {"{\"type\":\"ping\"} trailing", "malformed_json"},
                {"{\"type\":\"ping\",\"type\":\"ping\"}", "malformed_json"},
                {"[1,2,3]", "bad_request"},
                {"\"just a string\"", "bad_request"},
                {"{}", "bad_request"},
                {"{\"type\":7}", "bad_request"},
                {"{\"type\":\"dance\"}", "unknown_type"},
                {"{\"type\":\"subscribe\"}", "bad_request"},
                {"{\"type\":\"subscribe\",\"plan_id\":\"has space\"}", "invalid_plan_id"},
                {"{\"type\":\"subscribe\",\"plan_id\":\"{brace}\"}", "invalid_plan_id"},
                {"{\"type\":\"subscribe\",\"plan_id\":12}", "bad_request"},
                {"{\"type\":\"subscribe\",\"plan_id\":\"p1\",\"since\":-1}", "bad_request"},
                {"{\"type\":\"subscribe\",\"plan_id\":\"p1\",\"since\":\"5\"}", "bad_request"},
                {"{\"type\":\"subscribe\",\"plan_id\":\"p1\",\"epoch\":\"abc\"}", "bad_request"},
                {"{\"type\":\"subscribe\",\"plan_id\":\"p1\",\"since\":3,\"epoch\":\"NOT-AN-EPOCH\"}", "bad_request"},
                {"{\"type\":\"unsubscribe\",\"plan_id\":\"never-subscribed\"}", "not_subscribed"},
                {"{\"type\":\"ping\",\"id\":{\"x\":1}}", "bad_request"},
                {"{\"type\":\"command\",\"plan_id\":\"p1\",\"command\":\"go\"}", "bad_request"},
                {"{\"type\":\"command\",\"id\":\"c1\",\"plan_id\":\"p1\",\"command\":\"Bad Name\"}", "bad_request"},
                {
                    "{\"type\":\"command\",\"id\":\"c1\",\"plan_id\":\"p1\",\"command\":\"go\",\"args\":[1]}",
                    "bad_request"
                },
                {
                    "{\"type\":\"command\",\"id\":\"c1\",\"plan_id\":\"p1\",\"command\":\"go\",\"args\":{\"big\":\""
                            + "x".repeat(20_000) + "\"}}",
                    "frame_too_large"
                },
                {"[".repeat(200) + "]".repeat(200), "bad_request"},
            };
            for (String[] k : cases) {
                c.send(k[0]);
                JsonNode error = c.next();
                assertEquals("error", error.path("type").asText(), () -> k[0] + " -> " + error);
                assertEquals(k[1], error.path("code").asText(), () -> k[0] + " -> " + error);
                assertTrue(error.path("message").asText().length() > 3, error::toString);
                c.assertUsable();
            }
        }
    }

    @Test
    void aCursorBeyondAnyPossibleSeqIsABadRequestNotARedisFailure() {
        MeterRegistry meters = server.context().getBean(MeterRegistry.class);
        double unavailable =
                meters.counter("stepcast.client.errors", "code", "unavailable").count();
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            for (String since : new String[] {"9223372036854775807", "9007199254740992"}) {
                c.send("{\"type\":\"subscribe\",\"plan_id\":\"p-far\",\"since\":" + since
                        + ",\"epoch\":\"x9f3k2ab01cd\"}");
                JsonNode error = c.nextError("bad_request");
                assertEquals("p-far", error.path("ref").asText());
                c.assertUsable();
            }
        }
        assertEquals(
                unavailable,
                meters.counter("stepcast.client.errors", "code", "unavailable").count());
    }

    @Test
    void errorRefNamesThePlanOrTheRequest() {
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            c.send("{\"type\":\"unsubscribe\",\"plan_id\":\"p-9\"}");
            assertEquals("p-9", c.nextError("not_subscribed").path("ref").asText());
            c.send("{\"type\":\"command\",\"id\":77,\"plan_id\":\"p1\",\"command\":\"NO\"}");
            assertEquals(77, c.nextError("bad_request").path("ref").asInt());
        }
    }

    @Test
    void oversizedMessagesAreDiscardedWithFrameTooLargeWholeOrFragmented() {
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            String big = "{\"type\":\"ping\",\"pad\":\"" + "y".repeat(100_000) + "\"}";
            c.send(big);
            c.nextError("frame_too_large");
            c.assertUsable();
            // the same message in 10 KB fragments: discarded as it arrives, one error
            byte[] bytes = big.getBytes(StandardCharsets.UTF_8);
            for (int off = 0; off < bytes.length; off += 10_000) {
                int end = Math.min(bytes.length, off + 10_000);
                c.socket
                        .sendText(new String(bytes, off, end - off, StandardCharsets.UTF_8), end == bytes.length)
                        .orTimeout(20, TimeUnit.SECONDS)
                        .join();
            }
            c.nextError("frame_too_large");
            c.assertUsable();
            // fragments below the limit are reassembled
            c.socket.sendText("{\"type\":\"ping\",", false).join();
            c.socket.sendText("\"id\":\"frag\"}", true).join();
            assertEquals("frag", c.next("pong").path("id").asText());
            // binary JSON is accepted too
            c.socket
                    .sendBinary(
                            ByteBuffer.wrap("{\"type\":\"ping\",\"id\":\"bin\"}".getBytes(StandardCharsets.UTF_8)),
                            true)
                    .join();
            assertEquals("bin", c.next("pong").path("id").asText());
        }
    }

    @Test
    void aMessageBeyondTheHardLimitClosesWith1009() {
        try (WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            c.socket.sendText("x".repeat(2 * 1024 * 1024), true);
            assertEquals(1009, c.awaitClose());
        }
    }
}
