package io.stepcast.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.testing.TestRedis;
import io.stepcast.gateway.TestGateway;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/**
 * Events reach a session in the shape its handshake agreed: compressed per session when
 * permessage-deflate was negotiated, otherwise as the frame pre-encoded once per event (plain,
 * RSV1 clear).
 */
class WsDeflateIT {

    @Test
    void eventsAreCompressedForASessionThatNegotiatedDeflate() throws Exception {
        String text = firstEventFrame(true, "permessage-deflate");
        assertTrue(text.startsWith("compressed:"), text);
        assertTrue(text.contains("\"type\":\"event\"") && text.contains("deflate me"), text);
    }

    @Test
    void eventsArePlainFramesWhenNoExtensionWasNegotiated() throws Exception {
        String text = firstEventFrame(false, "permessage-deflate");
        assertTrue(text.startsWith("plain:"), text);
        assertTrue(text.contains("\"type\":\"event\"") && text.contains("deflate me"), text);
    }

    /** Subscribes a fresh plan, publishes one event, returns its frame as "compressed:…" or "plain:…". */
    private static String firstEventFrame(boolean compression, String offer) throws Exception {
        String plan = WsStreamIT.plan("deflate");
        try (TestGateway g = TestGateway.start(Map.of("stepcast.ws.compression", compression));
                LettuceEventPublisher publisher =
                        LettuceEventPublisher.create(TestRedis.shared().uri());
                RawWsClient c = new RawWsClient(g.port(), offer)) {
            Inflater inflater = new Inflater(true); // one context for the session (no_context_takeover not agreed)
            c.sendText("{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\"}");
            boolean published = false;
            while (true) {
                RawWsClient.Frame f = c.next();
                if ((f.b0() & 0x0f) != 0x1) {
                    continue; // pings
                }
                String json = f.compressed()
                        ? inflate(inflater, f.payload())
                        : new String(f.payload(), StandardCharsets.UTF_8);
                assertFalse(json.contains("\"error\""), json);
                if (json.contains("\"subscribed\"") && !published) {
                    publisher.publish(plan, new StepOutput(0, "deflate me")).join();
                    published = true;
                } else if (json.contains("\"type\":\"event\"")) {
                    return (f.compressed() ? "compressed:" : "plain:") + json;
                }
            }
        }
    }

    private static String inflate(Inflater inflater, byte[] payload) throws DataFormatException {
        byte[] tail = {0, 0, (byte) 0xff, (byte) 0xff}; // RFC 7692 §7.2.2: append before inflating
        byte[] in = new byte[payload.length + 4];
        System.arraycopy(payload, 0, in, 0, payload.length);
        System.arraycopy(tail, 0, in, payload.length, 4);
        inflater.setInput(in);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        int n;
        while ((n = inflater.inflate(buf)) > 0) {
            out.write(buf, 0, n);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
