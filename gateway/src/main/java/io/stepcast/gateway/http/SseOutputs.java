package io.stepcast.gateway.http;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.stepcast.gateway.budget.PendingOutputs;
import jakarta.inject.Singleton;

/**
 * The SSE streams (plan streams and plan index streams) as the gateway's output budget sees them:
 * pending output is the stream's queue ({@link SseOutbox}, each item counted with its overhead) plus
 * Netty's outbound buffer of its connection; a shed stream ends like any slow consumer (its queue
 * dropped, the connection closed, the client resumes with {@code Last-Event-ID}); a cut one loses its
 * TCP connection at once.
 *
 * <p>Thread-safe: the outbox serializes its own state; closing only starts the close.
 */
@Singleton
final class SseOutputs implements PendingOutputs<SseOutbox> {

    private final HttpStreams streams;

    SseOutputs(HttpStreams streams) {
        this.streams = streams;
    }

    /** The connection of an SSE request, or null when the server is not Netty's. */
    static Channel channelOf(HttpRequest<?> request) {
        return request instanceof NettyHttpRequest<?> netty
                ? netty.getChannelHandlerContext().channel()
                : null;
    }

    @Override
    public String transport() {
        return "sse";
    }

    @Override
    public Iterable<SseOutbox> outputs() {
        return streams.outboxes();
    }

    @Override
    public long pendingBytes(SseOutbox outbox) {
        Channel ch = outbox.channel();
        ChannelOutboundBuffer buffer = ch == null ? null : ch.unsafe().outboundBuffer();
        return outbox.pendingBytes() + (buffer == null ? 0 : buffer.totalPendingWriteBytes());
    }

    @Override
    public boolean isClosing(SseOutbox outbox) {
        return outbox.isEnding();
    }

    @Override
    public boolean shed(SseOutbox outbox) {
        if (outbox.isEnding()) {
            return false;
        }
        outbox.fail(shedError());
        return true;
    }

    @Override
    public void cut(SseOutbox outbox) {
        Channel ch = outbox.channel();
        if (ch != null) {
            ch.close();
        } else {
            outbox.fail(shedError());
        }
    }

    private static Throwable shedError() {
        return new SseStream.StreamClosedException(
                "slow consumer: the gateway is over its output budget; reconnect with Last-Event-ID to resume");
    }
}
