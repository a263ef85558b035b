package io.stepcast.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepcast.gateway.TestGateway;
import io.stepcast.gateway.WsClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/**
 * Per-instance and per-connection limits: connection cap, rate limit (messages and control-frame pings),
 * permessage-deflate switch.
 */
class WsLimitsIT {

    @Test
    void upgradesBeyondTheConnectionCapGetHttp503() {
        try (TestGateway server = TestGateway.start(Map.of("stepcast.ws.max-connections", 2))) {
            ConnectionRegistry registry = server.context().getBean(ConnectionRegistry.class);
            WsClient a = WsClient.connect(WsClient.uri(server));
            try (WsClient b = WsClient.connect(WsClient.uri(server))) {
                a.next("connected");
                b.next("connected");
                CompletionException e =
                        assertThrows(CompletionException.class, () -> WsClient.connect(WsClient.uri(server)));
                WebSocketHandshakeException handshake =
                        assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
                assertEquals(503, handshake.getResponse().statusCode());
                a.close();
                await().atMost(WsClient.WAIT).until(() -> registry.size() == 1);
                try (WsClient c = WsClient.connect(WsClient.uri(server))) {
                    c.next("connected");
                    c.assertUsable();
                }
            }
        }
    }

    @Test
    void messagesOverTheRateAreDroppedWithRateLimitedAndSustainedAbuseCloses4029() {
        try (TestGateway server = TestGateway.start(Map.of(
                        "stepcast.ws.rate-limit.messages-per-second", 1,
                        "stepcast.ws.rate-limit.burst", 5,
                        "stepcast.ws.rate-limit.abuse-threshold", 10));
                WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            for (int i = 0; i < 5; i++) {
                c.send("{\"type\":\"ping\",\"id\":" + i + "}");
            }
            int pongs = 0;
            for (int i = 0; i < 5; i++) {
                pongs += c.next().path("type").asText().equals("pong") ? 1 : 0;
            }
            assertTrue(pongs >= 4, "the burst is served");
            // the bucket is (nearly) empty now: flood until the connection is closed
            int limited = 0;
            for (int i = 0; i < 40 && !c.isClosed(); i++) {
                c.socket.sendText("{\"type\":\"ping\"}", true);
            }
            assertEquals(4029, c.awaitClose());
            for (JsonNode m = c.poll(); m != null; m = c.poll()) {
                limited += "rate_limited".equals(m.path("code").asText()) ? 1 : 0;
            }
            assertTrue(limited >= 5, "dropped messages were answered rate_limited: " + limited);
        }
    }

    @Test
    void controlFramePingFloodIsRateLimitedLikeMessagesAndClosed4029() {
        try (TestGateway server = TestGateway.start(Map.of(
                        "stepcast.ws.rate-limit.messages-per-second", 1,
                        "stepcast.ws.rate-limit.burst", 5,
                        "stepcast.ws.rate-limit.abuse-threshold", 10));
                WsClient c = WsClient.connect(WsClient.uri(server))) {
            c.next("connected");
            ByteBuffer payload = ByteBuffer.wrap("flood".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < 1_000 && !c.isClosed(); i++) {
                try {
                    c.socket.sendPing(payload.duplicate()).join();
                } catch (CompletionException e) {
                    break; // closed by the server while sending
                }
            }
            assertEquals(4029, c.awaitClose(), "a ping flood is closed like a message flood");
            int limited = 0;
            for (JsonNode m = c.poll(); m != null; m = c.poll()) {
                limited += "rate_limited".equals(m.path("code").asText()) ? 1 : 0;
            }
            assertTrue(limited >= 5, "dropped pings were answered rate_limited: " + limited);
        }
    }

    @Test
    void permessageDeflateIsNegotiatedOnlyWhenEnabled() throws Exception {
        try (TestGateway off = TestGateway.start(Map.of("stepcast.ws.compression", false));
                TestGateway on = TestGateway.start(Map.of("stepcast.ws.compression", true))) {
            assertFalse(upgradeHeaders(off).toLowerCase().contains("permessage-deflate"));
            assertTrue(upgradeHeaders(on).toLowerCase().contains("permessage-deflate"));
        }
    }

    /** Raw HTTP upgrade offering permessage-deflate; returns the response head. */
    static String upgradeHeaders(TestGateway server) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
            String req = "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: stepcast.v1\r\n"
                    + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n";
            OutputStream out = s.getOutputStream();
            out.write(req.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            List<String> lines = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                lines.add(line);
            }
            assertTrue(lines.get(0).contains(" 101 "), lines.toString());
            return String.join("\n", lines);
        }
    }
}
