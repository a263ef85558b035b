package io.stepcast.deploy.loadtest.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.net.URI;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Holds thousands of WebSocket client connections on a few Netty event loops (no thread per
 * connection). Each connection is a {@link Conn} spoken to through a {@link Wire}.
 */
public final class WsFleet implements AutoCloseable {

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final AtomicInteger failedConnects = new AtomicInteger();

    public WsFleet(int threads) {
        Transport t = Transport.best();
        group = new MultiThreadIoEventLoopGroup(threads, t.ioHandler());
        bootstrap = new Bootstrap()
                .group(group)
                .channel(t.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000);
    }

    /** Connects one connection; the returned future completes when the TCP connection is up. */
    public ChannelFuture connect(String host, int port, Conn conn, Wire wire) {
        URI uri = URI.create("ws://" + host + ":" + port + wire.path(conn));
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(uri)
                .subprotocol(wire.subprotocol(conn))
                .customHeaders(EmptyHttpHeaders.INSTANCE)
                .allowExtensions(false)
                .maxFramePayloadLength(1 << 20)
                .handshakeTimeoutMillis(60_000)
                .dropPongFrames(true)
                .handleCloseFrames(true)
                .withUTF8Validator(false)
                .build();
        ChannelFuture f = bootstrap
                .clone()
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        new HttpClientCodec(),
                                        new HttpObjectAggregator(65536),
                                        new WebSocketClientProtocolHandler(config),
                                        new Handler(conn, wire));
                    }
                })
                .connect(uri.getHost(), uri.getPort());
        conn.channel = f.channel();
        f.addListener(r -> {
            if (!r.isSuccess()) {
                failedConnects.incrementAndGet();
            }
        });
        return f;
    }

    /**
     * Connects every connection, at most {@code inFlight} upgrades at once, and waits until all are
     * subscribed or the timeout passes. Returns how many are subscribed.
     */
    public int connectAll(String host, int port, Collection<Conn> conns, Wire wire, int inFlight, Duration timeout)
            throws InterruptedException {
        Semaphore permits = new Semaphore(inFlight);
        AtomicInteger unsettled = new AtomicInteger();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Conn c : conns) {
            if (!permits.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            unsettled.incrementAndGet();
            c.armReady(
                    () -> { // on subscribed, error, or closed
                        unsettled.decrementAndGet();
                        permits.release();
                    });
            ChannelFuture f = connect(host, port, c, wire);
            f.addListener(r -> {
                if (!r.isSuccess()) {
                    c.fireReady();
                }
            });
        }
        while (System.nanoTime() < deadline && unsettled.get() > 0) {
            Thread.sleep(20);
        }
        return (int) conns.stream().filter(Conn::subscribed).count();
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Handler extends SimpleChannelInboundHandler<WebSocketFrame> {
        private final Conn conn;
        private final Wire wire;

        Handler(Conn conn, Wire wire) {
            this.conn = conn;
            this.wire = wire;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                wire.onOpen(conn, ctx.channel());
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                failedConnects.incrementAndGet();
                ctx.close();
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
            if (frame instanceof TextWebSocketFrame) {
                wire.onText(conn, ctx.channel(), frame.content());
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            conn.onClosed();
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            failedConnects.incrementAndGet();
            ctx.close();
        }
    }

    public int failedConnects() {
        return failedConnects.get();
    }
}
