package io.stepcast.deploy.loadtest.ceiling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The ceiling's pre-encoded frame is a valid WebSocket text frame at every length encoding. */
class SharedTextFrameTest {

    @Test
    void aClientDecodesThePreEncodedFrameForShortMediumAndLongPayloads() {
        for (int n : new int[] {0, 100, 125, 126, 300, 65535, 65536, 70_000}) {
            byte[] payload = new byte[n];
            Arrays.fill(payload, (byte) 'x');
            // a client's decoder: server frames are not masked
            EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 1 << 20));
            ByteBuf frame = RawBroadcastServer.textFrame(payload);
            assertTrue(client.writeInbound(frame), "no frame decoded for " + n + " bytes");
            TextWebSocketFrame text = client.readInbound();
            try {
                assertTrue(text.isFinalFragment());
                assertArrayEquals(payload, ByteBufUtil.getBytes(text.content()), "payload of " + n + " bytes");
            } finally {
                text.release();
                client.finishAndReleaseAll();
            }
        }
    }
}
