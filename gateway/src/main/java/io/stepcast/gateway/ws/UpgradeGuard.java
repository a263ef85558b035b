package io.stepcast.gateway.ws;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.stepcast.gateway.protocol.ErrorCode;
import io.stepcast.gateway.protocol.ServerFrame;
import io.stepcast.gateway.protocol.ServerFrameEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty handler right after the HTTP/1.1 codec that answers bad requests to the WebSocket endpoint
 * itself, before Micronaut sees them: a request that is not a valid RFC 6455 upgrade
 * ({@link UpgradeFault}) gets its 4xx status with a Stepcast {@code error bad_request} JSON body and
 * {@code Connection: close}, and the connection is closed once that is written. Bytes that arrive
 * after a valid upgrade request and before its answer (a client that sends a frame without waiting
 * for the 101) close the connection. Each refusal is logged as one short line on
 * {@code stepcast.connections}, at most one per second ({@link LogThrottle}; the line says how many
 * were held back), never with the request's headers.
 *
 * <p>Requests to other paths pass untouched. After a 101 the handler stays until the session is open
 * ({@link UpgradeLeftovers} removes it), because the HTTP codec hands bytes it already read past the
 * upgrade request to the handlers after it when it leaves the pipeline.
 *
 * <p>Threading: one instance per connection; event loop only.
 */
final class UpgradeGuard extends ChannelDuplexHandler {

    static final String NAME = "stepcast-upgrade-guard";
    private static final Logger LOG = LoggerFactory.getLogger("stepcast.connections");
    private final String path;
    /** Shared by every connection of the instance. */
    private final LogThrottle throttle;

    private Phase phase = Phase.HTTP;

    private enum Phase {
        /** Plain HTTP: requests are checked when they target the endpoint. */
        HTTP,
        /** A valid upgrade request went to Micronaut; no response yet. */
        UPGRADING,
        /** The 101 is written; until the session opens ({@link UpgradeLeftovers}) only frames may come. */
        UPGRADED,
        /** This handler answered or closed: everything else the client sends is dropped. */
        REFUSED
    }

    UpgradeGuard(String path, LogThrottle throttle) {
        this.path = path;
        this.throttle = throttle;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        switch (phase) {
            case REFUSED -> ReferenceCountUtil.release(msg);
            case UPGRADING, UPGRADED -> {
                if (isEarlyData(msg)) {
                    // e.g. a frame in the upgrade's packet: Netty would hand its bytes to the HTTP layer
                    ReferenceCountUtil.release(msg);
                    refuse(ctx, UpgradeFault.EARLY_DATA, false);
                } else {
                    ctx.fireChannelRead(msg);
                }
            }
            case HTTP -> {
                if (msg instanceof HttpRequest request && UpgradeFault.isEndpoint(request.uri(), path)) {
                    UpgradeFault fault = UpgradeFault.of(request);
                    if (fault != null) {
                        ReferenceCountUtil.release(msg);
                        refuse(ctx, fault, true);
                        return;
                    }
                    phase = Phase.UPGRADING;
                }
                ctx.fireChannelRead(msg);
            }
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (phase == Phase.UPGRADING && msg instanceof HttpResponse response) {
            // a refused upgrade (403, 503, ...) leaves a plain HTTP connection
            phase = response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()
                    ? Phase.UPGRADED
                    : Phase.HTTP;
        }
        ctx.write(msg, promise);
    }

    /** Raw bytes, content or another request while the upgrade is pending; frames pass. */
    private static boolean isEarlyData(Object msg) {
        if (msg instanceof ByteBuf buf) {
            return buf.isReadable();
        }
        if (msg instanceof HttpRequest) {
            return true;
        }
        return msg instanceof HttpContent content && content.content().isReadable();
    }

    /** Answers (when {@code respond}) and closes; logs one throttled line. */
    private void refuse(ChannelHandlerContext ctx, UpgradeFault fault, boolean respond) {
        phase = Phase.REFUSED;
        long held = throttle.tryAcquire(System.nanoTime());
        if (held >= 0) {
            LOG.info(
                    "ws.refused remote={} status={} reason=\"{}\"{}",
                    ctx.channel().remoteAddress(),
                    fault.status().code(),
                    fault.message(),
                    held > 0 ? " (" + held + " more refused since the last line)" : "");
        }
        if (!respond) {
            ctx.close();
            return;
        }
        ctx.writeAndFlush(response(fault)).addListener(ChannelFutureListener.CLOSE);
    }

    static FullHttpResponse response(UpgradeFault fault) {
        ByteBuf body = Unpooled.wrappedBuffer(
                ServerFrameEncoder.encode(new ServerFrame.Error(ErrorCode.BAD_REQUEST, fault.message(), null)));
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, fault.status(), body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (fault == UpgradeFault.VERSION) {
            response.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
        } else if (fault == UpgradeFault.NOT_AN_UPGRADE) {
            response.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        }
        return response;
    }
}
