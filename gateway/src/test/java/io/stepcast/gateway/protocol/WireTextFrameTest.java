package io.stepcast.gateway.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class WireTextFrameTest {

    /** Payload sizes at every length-encoding boundary of RFC 6455 §5.2. */
    private static final int[] SIZES = {0, 1, 125, 126, 127, 65_535, 65_536, 200_000};

    @Test
    void isByteForByteWhatNettysServerEncoderWrites() {
        for (int n : SIZES) {
            byte[] payload = payload(n);
            EmbeddedChannel encoder = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
            encoder.writeOutbound(new TextWebSocketFrame(Unpooled.wrappedBuffer(payload)));
            ByteBuf expected = Unpooled.buffer();
            for (ByteBuf part; (part = encoder.readOutbound()) != null; ) {
                expected.writeBytes(part);
                part.release();
            }
            assertArrayEquals(bytes(expected), bytes(WireTextFrame.of(payload)), "payload of " + n + " bytes");
            ByteBuf pooled = WireTextFrame.pooled(payload);
            try {
                assertArrayEquals(bytes(expected), bytes(pooled), "pooled, payload of " + n + " bytes");
            } finally {
                pooled.release();
            }
        }
    }

    @Test
    void decodesAsOneFinalTextFrameWithThePayload() {
        for (int n : SIZES) {
            byte[] payload = payload(n);
            // a client-side decoder: server frames are unmasked
            EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(WebSocketDecoderConfig.newBuilder()
                    .expectMaskedFrames(false)
                    .maxFramePayloadLength(1 << 20)
                    .build()));
            client.writeInbound(WireTextFrame.of(payload).retainedDuplicate());
            TextWebSocketFrame frame = client.readInbound();
            assertTrue(frame.isFinalFragment());
            assertArrayEquals(payload, bytes(frame.content()), "payload of " + n + " bytes");
            frame.release();
        }
    }

    @Test
    void duplicatesShareTheBytesAndReleasingThemIsHarmless() {
        ByteBuf frame = WireTextFrame.of("{\"type\":\"event\"}".getBytes(StandardCharsets.UTF_8));
        ByteBuf a = frame.retainedDuplicate();
        ByteBuf b = frame.retainedDuplicate();
        a.skipBytes(a.readableBytes());
        a.release();
        assertEquals(frame.readableBytes(), b.readableBytes());
        assertTrue(b.isDirect());
        b.release();
        assertEquals(18, frame.readableBytes());
    }

    private static byte[] payload(int n) {
        byte[] p = new byte[n];
        Arrays.fill(p, (byte) 'x');
        return p;
    }

    private static byte[] bytes(ByteBuf b) {
        byte[] out = new byte[b.readableBytes()];
        b.getBytes(b.readerIndex(), out);
        return out;
    }
}
