package io.stepcast.gateway.hub;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.stepcast.gateway.protocol.WireTextFrame;
import java.nio.charset.StandardCharsets;

/**
 * One event frame as it arrived from Redis, encoded once and shared by every recipient.
 *
 * <p>The bytes are never re-encoded: WebSocket sessions write {@link #retainedWsFrame()} (the
 * WebSocket frame: a pooled copy for the first recipient, then one direct frame shared by the rest) or, with a per-session extension such as deflate,
 * {@code new TextWebSocketFrame(frame.retainedBuf())}; SSE writes them after {@code data:}, long-poll
 * copies them into its JSON page.
 *
 * <p>Memory: the backing buffer is an unpooled heap buffer wrapping {@link #bytes()}; it is
 * garbage collected, so a recipient that fails to release a retained duplicate leaks nothing
 * native; so does the shared direct frame, a JDK buffer freed by the GC. The first recipient's
 * WebSocket frame is pooled: it must be written or released, or its pool memory leaks. Instances are thread-safe (immutable
 * but for the lazily built frame, whose races are benign).
 *
 * @see Subscriber#onEvent(SharedFrame)
 */
public final class SharedFrame {

    private final String planId;
    private final long seq;
    private final String epoch;
    private final String event;
    private final byte[] bytes;
    private final ByteBuf buf;
    /** The frame as a complete WebSocket text frame in direct memory; built for the second recipient. */
    private volatile ByteBuf wsFrame;
    /** A first recipient took a heap copy of the WebSocket frame (a benign race may give two copies). */
    private volatile boolean firstWsFrameTaken;

    public SharedFrame(String planId, long seq, String epoch, String event, byte[] bytes) {
        this.planId = planId;
        this.seq = seq;
        this.epoch = epoch;
        this.event = event;
        this.bytes = bytes;
        this.buf = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes));
    }

    public String planId() {
        return planId;
    }

    public long seq() {
        return seq;
    }

    public String epoch() {
        return epoch;
    }

    /** The event name, e.g. {@code step_status}. */
    public String event() {
        return event;
    }

    /** The frame's UTF-8 JSON bytes. Do not modify. */
    public byte[] bytes() {
        return bytes;
    }

    /** A duplicate of the shared buffer with its own indexes, safe to hand to Netty. */
    public ByteBuf retainedBuf() {
        return buf.retainedDuplicate();
    }

    /**
     * The frame as a complete WebSocket text frame ({@link WireTextFrame}), written to a channel as is,
     * bypassing the per-channel frame encoder: for the first caller a pooled copy of its own, for every
     * later one a duplicate of one frame in direct memory built once. The caller owns (releases or
     * writes) the returned buffer.
     */
    public ByteBuf retainedWsFrame() {
        ByteBuf f = wsFrame;
        if (f == null) {
            if (!firstWsFrameTaken) {
                // one recipient (most plans of a wide deployment): a pooled buffer of its own, which
                // the socket writes without a copy and which leaves nothing for the GC; a JDK direct
                // buffer would cost an allocation with a Cleaner that only a GC frees, per event
                firstWsFrameTaken = true;
                return WireTextFrame.pooled(bytes);
            }
            f = WireTextFrame.of(bytes);
            wsFrame = f;
        }
        return f.retainedDuplicate();
    }

    @Override
    public String toString() {
        return "SharedFrame[" + planId + "#" + seq + "@" + epoch + " " + event + "]";
    }

    /** The frame as text (for logs and tests; allocates). */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
