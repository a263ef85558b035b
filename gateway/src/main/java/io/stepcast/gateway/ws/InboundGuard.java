package io.stepcast.gateway.ws;

import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.stepcast.gateway.protocol.CloseCode;

/**
 * Netty handler in front of Micronaut's WebSocket handler: records liveness for the heartbeat and
 * enforces the inbound size limits before anything is buffered.
 *
 * <ul>
 *   <li>Every inbound frame (data, ping, pong, close) marks the connection alive.</li>
 *   <li>A client's control-frame ping spends a token of the connection's rate limit like a data
 *       message: without one it is dropped unanswered (no pong) and gets the data frames' treatment,
 *       {@code error rate_limited}, then 4029 for sustained abuse. A ping flood thus costs the server
 *       no more than a message flood.</li>
 *   <li>Fragmented messages are reassembled here, up to {@code softLimit} bytes, and forwarded as one
 *       final frame, so Micronaut never buffers fragments itself.</li>
 *   <li>A message over {@code softLimit} is discarded as it arrives (nothing is kept) and answered
 *       with {@code error frame_too_large}; the connection stays usable.</li>
 *   <li>A message that keeps going past {@code hardLimit} is a flood: the connection is closed with
 *       1009. (A single frame over {@code hardLimit} is refused earlier by Netty's decoder.)</li>
 *   <li>Once the connection is closing, data frames are dropped.</li>
 *   <li>Writability changes are passed to the connection, which paces its output by them.</li>
 * </ul>
 *
 * <p>Threading: one instance per channel, event loop only.
 */
final class InboundGuard extends ChannelInboundHandlerAdapter {

    static final String NAME = "stepcast-inbound-guard";

    private final WsConnection connection;
    private final int softLimit;
    private final int hardLimit;
    private final Gate gate;

    /** Reassembly buffer of the current fragmented message, or null. */
    private CompositeByteBuf pending;

    private boolean pendingText;
    /** True while skipping the rest of an oversized message. */
    private boolean discarding;
    /** Bytes of the current message so far (reassembled or discarded). */
    private long messageBytes;

    /** The session logic's answers to what the guard sees; called on the event loop. */
    interface Gate {
        /**
         * Spends one token of the connection's rate limit; false when the message must be dropped
         * (the gate has then answered it, or closed the connection).
         */
        boolean admit(WsConnection connection);

        /** A message was discarded for size. */
        void oversized(WsConnection connection, long bytes);
    }

    InboundGuard(WsConnection connection, int softLimit, int hardLimit, Gate gate) {
        this.connection = connection;
        this.softLimit = softLimit;
        this.hardLimit = hardLimit;
        this.gate = gate;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        connection.markInbound();
        if (frame instanceof PongWebSocketFrame) {
            // liveness is all a pong means here: consumed, so Micronaut does not bind and invoke a
            // handler per pong (the endpoint declares none)
            frame.release();
            return;
        }
        if (frame instanceof PingWebSocketFrame) {
            if (connection.isClosing() || !gate.admit(connection)) {
                frame.release();
                return;
            }
            ctx.fireChannelRead(frame); // Micronaut answers with a pong
            return;
        }
        boolean data = frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame;
        boolean continuation = frame instanceof ContinuationWebSocketFrame;
        if (!data && !continuation) {
            ctx.fireChannelRead(frame);
            return;
        }
        if (connection.isClosing()) {
            frame.release();
            return;
        }
        if (data) {
            reset();
            pendingText = frame instanceof TextWebSocketFrame;
        } else if (pending == null && !discarding) {
            frame.release(); // continuation without a start: protocol noise, ignore
            return;
        }
        messageBytes += frame.content().readableBytes();
        boolean last = frame.isFinalFragment();
        if (discarding || messageBytes > softLimit) {
            frame.release();
            if (pending != null) {
                pending.release();
                pending = null;
            }
            discarding = true;
            if (messageBytes > hardLimit) {
                reset();
                connection.close(CloseCode.MESSAGE_TOO_BIG);
            } else if (last) {
                long size = messageBytes;
                reset();
                gate.oversized(connection, size);
            }
            return;
        }
        if (data && last) {
            ctx.fireChannelRead(frame);
            messageBytes = 0;
            return;
        }
        if (pending == null) {
            pending = ctx.alloc().compositeBuffer(1024);
        }
        pending.addComponent(true, frame.content().retain());
        frame.release();
        if (last) {
            CompositeByteBuf whole = pending;
            pending = null;
            messageBytes = 0;
            ctx.fireChannelRead(
                    pendingText ? new TextWebSocketFrame(true, 0, whole) : new BinaryWebSocketFrame(true, 0, whole));
        }
    }

    private void reset() {
        if (pending != null) {
            pending.release();
            pending = null;
        }
        discarding = false;
        messageBytes = 0;
    }

    /** Outbound pacing: frames the connection holds go out as soon as the client has read enough. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        connection.writabilityChanged();
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        reset();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        reset();
        ctx.fireChannelInactive();
    }
}
