package io.stepcast.gateway.web;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.concurrent.ScheduledFuture;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes an HTTP/1.1 connection whose first request head has not fully arrived within
 * {@link HandshakeConfig#timeout()} of the connection being set up, or whose WebSocket upgrade has
 * not been answered by then: for an upgrade the clock runs until the response (the 101 that opens
 * the session, or a refusal) is written. The handler sits right after the HTTP codec, watches for
 * the first decoded request (and the upgrade's response) and then removes itself, so it costs
 * nothing afterwards. Over TLS the clock starts once TLS is negotiated (Netty's TLS handshake
 * has its own timeout); HTTP/2 connections are not covered.
 *
 * <p>Runs on the connection's event loop; never blocks.
 */
@Singleton
public final class HandshakeTimeout implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    private static final Logger LOG = LoggerFactory.getLogger(HandshakeTimeout.class);
    /** Pipeline name of the handler. */
    public static final String HANDLER = "stepcast-handshake-timeout";

    private final HandshakeConfig config;

    public HandshakeTimeout(HandshakeConfig config) {
        this.config = config;
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        if (config.enabled()) {
            event.getBean().register(new Customizer(null, config.timeout().toMillis()));
        }
        return event.getBean();
    }

    private record Customizer(Channel channel, long timeoutMillis) implements NettyServerCustomizer {
        @Override
        public NettyServerCustomizer specializeForChannel(Channel ch, ChannelRole role) {
            return role == ChannelRole.CONNECTION ? new Customizer(ch, timeoutMillis) : this;
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel == null
                    || channel.pipeline().get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) == null
                    || channel.pipeline().get(HANDLER) != null) {
                return;
            }
            channel.pipeline()
                    .addAfter(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC, HANDLER, new Handler(timeoutMillis));
        }
    }

    /** Closes the channel unless a request head is decoded (an upgrade answered) in time; one per connection. */
    static final class Handler extends ChannelDuplexHandler {
        private final long timeoutMillis;
        private ScheduledFuture<?> timer; // event-loop confined
        /** The first request was an upgrade: the clock runs until its response is written. */
        private boolean upgrading;

        Handler(long timeoutMillis) {
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            timer = ctx.executor()
                    .schedule(
                            () -> {
                                if (ctx.channel().isActive()) {
                                    LOG.debug(
                                            "Closing connection from {}: no complete request or upgrade within {} ms",
                                            ctx.channel().remoteAddress(),
                                            timeoutMillis);
                                    ctx.close();
                                }
                            },
                            timeoutMillis,
                            TimeUnit.MILLISECONDS);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request && !upgrading) {
                if (request.headers().contains(HttpHeaderNames.UPGRADE)) {
                    upgrading = true;
                } else {
                    cancel();
                    ctx.pipeline().remove(this);
                }
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ctx.write(msg, promise);
            if (upgrading && msg instanceof HttpResponse) {
                upgrading = false;
                cancel();
                ctx.pipeline().remove(this);
            }
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            cancel();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            cancel();
            ctx.fireChannelInactive();
        }

        private void cancel() {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }
    }
}
