package io.stepcast.deploy.loadtest.scenario;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.event.StepState;
import io.stepcast.bridge.event.StepStatus;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.deploy.loadtest.proc.LoadAverage;
import io.stepcast.deploy.loadtest.proc.ProcStats;
import io.stepcast.deploy.loadtest.report.CompressionResult;
import io.stepcast.deploy.loadtest.sut.StepcastGateway;
import io.stepcast.deploy.loadtest.sut.SystemUnderTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Compression (Stepcast only): the measurement behind the default of {@code stepcast.ws.compression}.
 * The same stream of {@code step_output} log lines (about 120 B) and {@code step_status} events goes
 * to clients that all offer permessage-deflate, once with the gateway's compression off and once on,
 * twice each (the first round of each warms up); it reports the bytes on the wire per delivered frame
 * and the gateway process's CPU time per 1 000 delivered frames.
 */
public final class CompressionScenario {

    private static final long WAIT_MS = 120_000;

    private CompressionScenario() {}

    public static List<CompressionResult> run(RunContext ctx, StepcastGateway sut) throws Exception {
        int clients = ctx.opts().compressionClients();
        int events = ctx.opts().compressionEvents();
        List<CompressionResult> results = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (boolean compression : new boolean[] {false, true}) {
                results.add(round(
                        ctx,
                        sut.with("--stepcast.ws.compression=" + compression),
                        compression,
                        clients,
                        events,
                        round == 0));
            }
        }
        return results;
    }

    private static CompressionResult round(
            RunContext ctx, StepcastGateway sut, boolean compression, int clients, int events, boolean warmUp)
            throws Exception {
        String label = "compression-" + compression + (warmUp ? "-warmup" : "");
        try (SystemUnderTest.Running running = sut.start(ctx.redisUri(), ctx.runDir(), label);
                LettuceEventPublisher publisher = LettuceEventPublisher.create(ctx.redisUri())) {
            String plan = "compress-" + System.nanoTime();
            publisher.publish(plan, new StepOutput(0, "start\n")).join();
            EventLoopGroup group = new NioEventLoopGroup(2);
            AtomicLong wireBytes = new AtomicLong();
            AtomicInteger frames = new AtomicInteger();
            AtomicInteger subscribed = new AtomicInteger();
            try {
                URI uri = URI.create("ws://127.0.0.1:" + running.port() + "/ws");
                for (int i = 0; i < clients; i++) {
                    connect(group, uri, sut.token(plan), plan, wireBytes, frames, subscribed);
                }
                awaitAtLeast(subscribed, clients, "subscribed clients");
                wireBytes.set(0);
                frames.set(0);
                ProcStats before = running.process().stats();
                List<CompletableFuture<PublishResult>> all = new ArrayList<>();
                for (int i = 0; i < events; i++) {
                    all.add(
                            i % 10 == 0
                                    ? publisher.publish(
                                            plan, new StepStatus(i % 7, "step-" + (i % 7), StepState.RUNNING, null))
                                    : publisher.publish(
                                            plan,
                                            new StepOutput(
                                                    i % 7,
                                                    "2026-11-25T21:40:0" + (i % 10)
                                                            + ".123Z INFO  [worker-3] compiling module gateway: src/main/java/io/stepcast/File"
                                                            + i + ".java\n")));
                }
                all.get(all.size() - 1).join();
                awaitAtLeast(frames, (long) clients * events, "delivered frames");
                double cpuMs = running.process().stats().since(before).cpuSeconds() * 1000;
                double delivered = frames.get();
                CompressionResult r = new CompressionResult(
                        compression,
                        clients,
                        events,
                        frames.get(),
                        wireBytes.get() / delivered,
                        cpuMs / (delivered / 1000),
                        warmUp,
                        LoadAverage.now().toString());
                RunContext.log(
                        "compression=%s%s: %.1f wire bytes/frame, %.3f gateway CPU ms per 1000 frames",
                        compression, warmUp ? " (warm-up)" : "", r.wireBytesPerFrame(), r.serverCpuMsPer1000());
                return r;
            } finally {
                group.shutdownGracefully().syncUninterruptibly();
            }
        }
    }

    private static void awaitAtLeast(AtomicInteger counter, long target, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (counter.get() < target) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        what + ": " + counter.get() + " of " + target + " after " + WAIT_MS + " ms");
            }
            Thread.sleep(20); // a polling wait of the benchmark driver, not of a test
        }
    }

    private static Channel connect(
            EventLoopGroup group,
            URI uri,
            String token,
            String plan,
            AtomicLong wireBytes,
            AtomicInteger frames,
            AtomicInteger subscribed)
            throws InterruptedException {
        String subprotocols = token == null ? "stepcast.v1" : "stepcast.v1,bearer." + token;
        return new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                wireBytes.addAndGet(((ByteBuf) msg).readableBytes());
                                ctx.fireChannelRead(msg);
                            }
                        });
                        ch.pipeline()
                                .addLast(
                                        new HttpClientCodec(),
                                        new HttpObjectAggregator(65536),
                                        new WebSocketClientCompressionHandler(1 << 20),
                                        new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                                .webSocketUri(uri)
                                                .subprotocol(subprotocols)
                                                .allowExtensions(true)
                                                .maxFramePayloadLength(1 << 20)
                                                .build()),
                                        new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                            @Override
                                            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                                if (evt
                                                        == WebSocketClientProtocolHandler.ClientHandshakeStateEvent
                                                                .HANDSHAKE_COMPLETE) {
                                                    ctx.writeAndFlush(new TextWebSocketFrame(
                                                            "{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\"}"));
                                                }
                                            }

                                            @Override
                                            protected void channelRead0(
                                                    ChannelHandlerContext ctx, TextWebSocketFrame f) {
                                                String t = f.text();
                                                if (t.startsWith("{\"type\":\"event\"")) {
                                                    frames.incrementAndGet();
                                                } else if (t.startsWith("{\"type\":\"snapshot\"")) {
                                                    subscribed.incrementAndGet();
                                                }
                                            }
                                        });
                    }
                })
                .connect(uri.getHost(), uri.getPort())
                .sync()
                .channel();
    }
}
