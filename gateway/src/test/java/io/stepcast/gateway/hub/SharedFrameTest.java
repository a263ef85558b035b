package io.stepcast.gateway.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.stepcast.gateway.protocol.WireTextFrame;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SharedFrameTest {

    private static final byte[] PAYLOAD =
            "{\"type\":\"event\",\"plan_id\":\"p\",\"seq\":1}".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSingleRecipientGetsAPooledFrameOfItsOwnThatWritingReleases() {
        SharedFrame frame = new SharedFrame("p", 1, "e", "step_status", PAYLOAD);
        ByteBuf first = frame.retainedWsFrame();
        assertTrue(first.isDirect(), "the first recipient's frame");
        assertEquals(1, first.refCnt());
        assertArrayEquals(ByteBufUtil.getBytes(WireTextFrame.of(PAYLOAD)), ByteBufUtil.getBytes(first));
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.writeAndFlush(first);
        ByteBuf written = channel.readOutbound();
        written.release();
        assertEquals(0, first.refCnt(), "released once written");
        channel.finishAndReleaseAll();
    }

    @Test
    void laterRecipientsShareOneDirectFrameWithTheSameBytes() {
        SharedFrame frame = new SharedFrame("p", 1, "e", "step_status", PAYLOAD);
        ByteBuf first = frame.retainedWsFrame();
        ByteBuf second = frame.retainedWsFrame();
        ByteBuf third = frame.retainedWsFrame();
        try {
            assertTrue(second.isDirect(), "the second recipient's frame");
            assertEquals(second.memoryAddress(), third.memoryAddress(), "one direct frame shared by later recipients");
            assertArrayEquals(ByteBufUtil.getBytes(first), ByteBufUtil.getBytes(second));
            assertArrayEquals(ByteBufUtil.getBytes(first), ByteBufUtil.getBytes(third));
        } finally {
            first.release();
            second.release();
            third.release();
        }
    }
}
