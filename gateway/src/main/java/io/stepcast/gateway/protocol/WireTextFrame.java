package io.stepcast.gateway.protocol;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * A complete WebSocket text frame (RFC 6455 §5.2: FIN, opcode 1, no mask — server frames are never
 * masked, so the bytes are the same for every recipient) built once per event and written as is.
 *
 * <p>Why: a {@code TextWebSocketFrame} is encoded by Netty per channel (a header buffer, a copy of
 * a small payload, and for a heap payload a further copy into direct memory on the socket write).
 * A fan-out of one event to N sessions paid that N times; with the frame pre-built in direct memory
 * each session gets a duplicate and the socket writes it without a copy. A frame for a single
 * recipient is better built in pooled memory ({@link #pooled}): see there.
 *
 * <p>Only for connections without a WebSocket extension (permessage-deflate compresses per
 * session): the caller checks. Memory: the buffer wraps a JDK direct {@link ByteBuffer}, freed by
 * the JDK when the last duplicate is unreachable, so no reference counting is needed (the
 * returned buffer is unreleasable).
 */
public final class WireTextFrame {

    private WireTextFrame() {}

    /** The frame for {@code payload} (UTF-8 JSON), header included, in direct memory. */
    public static ByteBuf of(byte[] payload) {
        ByteBuffer b = ByteBuffer.allocateDirect(length(payload));
        put(b, payload);
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(b));
    }

    /**
     * The same frame in a buffer of its own from Netty's default (pooled) allocator, for one
     * recipient: the socket writes it without a copy, and nothing is left for the GC (a heap copy
     * cost one array per event plus the socket write's copy into pooled direct memory; a JDK direct
     * buffer an allocation that only a GC frees). Reference counted: writing it releases it, and a
     * caller that does not write it must release it.
     */
    public static ByteBuf pooled(byte[] payload) {
        int n = payload.length;
        ByteBuf b = ByteBufAllocator.DEFAULT.directBuffer(length(payload));
        b.writeByte(0x81); // FIN + text
        if (n < 126) {
            b.writeByte(n);
        } else if (n <= 0xFFFF) {
            b.writeByte(126).writeShort(n);
        } else {
            b.writeByte(127).writeLong(n);
        }
        return b.writeBytes(payload);
    }

    private static int length(byte[] payload) {
        int n = payload.length;
        return (n < 126 ? 2 : n <= 0xFFFF ? 4 : 10) + n;
    }

    private static void put(ByteBuffer b, byte[] payload) {
        int n = payload.length;
        b.put((byte) 0x81); // FIN + text
        if (n < 126) {
            b.put((byte) n);
        } else if (n <= 0xFFFF) {
            b.put((byte) 126).putShort((short) n);
        } else {
            b.put((byte) 127).putLong(n);
        }
        b.put(payload).flip();
    }
}
