package io.stepcast.gateway.ws;

import io.stepcast.gateway.WsClient;
import io.stepcast.gateway.TestGateway;
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
import io.stepcast.bridge.event.StepStatus;
import io.stepcast.bridge.event.StepState;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.bridge.testing.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/**
 * Measurement behind the default of {@code stepcast.ws.compression} (docs/performance.md): the same
 * event stream to N clients that offer permessage-deflate, once with compression off and once on;
 * reports bytes on the wire per delivered frame and CPU time of the gateway's event loops per 1 000
 * delivered frames. Not a pass/fail test: it runs only with {@code -Dstepcast.bench=true}.
 *
 * <pre>
 * ./mvnw -o -pl gateway -am verify -Dtest=none -Dit.test=CompressionBenchmarkIT -Dstepcast.bench=true \
 *   -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false
 * </pre>
 * Results are printed to the test output (target/failsafe-reports/*CompressionBenchmarkIT-output.txt).
 */
@EnabledIfSystemProperty(named = "stepcast.bench", matches = "true")
class CompressionBenchmarkIT {

    static final int CLIENTS = 50;
    static final int EVENTS = 2_000;

    @Test
    void measureCompressionOffVersusOn() throws Exception {
        List<String> report = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            for (boolean compression : new boolean[] {false, true}) {
                report.add((round == 0 ? "warm-up " : "") + run(compression));
            }
        }
        System.out.println("COMPRESSION BENCHMARK (" + CLIENTS + " clients, " + EVENTS + " events, step_output"
                + " log lines ~120 B + step_status)\n" + String.join("\n", report));
    }

    private String run(boolean compression) throws Exception {
        try (TestGateway g = TestGateway.start(Map.of("stepcast.ws.compression", compression));
             LettuceEventPublisher publisher = LettuceEventPublisher.create(TestRedis.shared().uri())) {
            String plan = WsStreamIT.plan("bench");
            publisher.publish(plan, new StepOutput(0, "start\n")).join();
            EventLoopGroup group = new NioEventLoopGroup(2);
            AtomicLong wireBytes = new AtomicLong();
            AtomicInteger frames = new AtomicInteger();
            AtomicInteger subscribed = new AtomicInteger();
            try {
                URI uri = URI.create("ws://127.0.0.1:" + g.port() + "/ws");
                for (int i = 0; i < CLIENTS; i++) {
                    connect(group, uri, plan, wireBytes, frames, subscribed);
                }
                await().atMost(WsClient.WAIT).until(() -> subscribed.get() == CLIENTS);
                wireBytes.set(0);
                frames.set(0);
                long cpu0 = serverEventLoopCpuNanos();
                List<CompletableFuture<PublishResult>> all = new ArrayList<>();
                for (int i = 0; i < EVENTS; i++) {
                    all.add(i % 10 == 0
                            ? publisher.publish(plan, new StepStatus(i % 7, "step-" + (i % 7), StepState.RUNNING, null))
                            : publisher.publish(plan, new StepOutput(i % 7, "2026-11-25T21:40:0" + (i % 10)
                            + ".123Z INFO  [worker-3] compiling module gateway: src/main/java/io/stepcast/File" + i + ".java\n")));
                }
                all.get(all.size() - 1).join();
                await().atMost(WsClient.WAIT.multipliedBy(3)).until(() -> frames.get() >= CLIENTS * EVENTS);
                long cpu = serverEventLoopCpuNanos() - cpu0;
                double delivered = frames.get();
                return String.format("compression=%-5s wire bytes/frame=%6.1f  server event-loop CPU ms per 1000 frames=%6.3f",
                        compression, wireBytes.get() / delivered, cpu / 1e6 / (delivered / 1000));
            } finally {
                group.shutdownGracefully().syncUninterruptibly();
            }
        }
    }

    /** CPU time of the gateway's Netty event loops (Micronaut names them default-eventLoopGroup-*). */
    static long serverEventLoopCpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (var info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith("default-eventLoopGroup")) {
                long t = mx.getThreadCpuTime(info.getThreadId());
                sum += Math.max(0, t);
            }
        }
        return sum;
    }

    static Channel connect(EventLoopGroup group, URI uri, String plan, AtomicLong wireBytes,
                           AtomicInteger frames, AtomicInteger subscribed) throws InterruptedException {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
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
                        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(65536),
                                new WebSocketClientCompressionHandler(1 << 20),
                                new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder()
                                        .webSocketUri(uri).subprotocol("stepcast.v1").allowExtensions(true)
                                        .maxFramePayloadLength(1 << 20).build()),
                                new SimpleChannelInboundHandler<TextWebSocketFrame>() {
                                    @Override
                                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                                        if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                                            ctx.writeAndFlush(new TextWebSocketFrame(
                                                    "{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\"}"));
                                        }
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame f) {
                                        String t = f.text();
                                        if (t.startsWith("{\"type\":\"event\"")) {
                                            frames.incrementAndGet();
                                        } else if (t.startsWith("{\"type\":\"snapshot\"")) {
                                            subscribed.incrementAndGet();
                                        }
                                    }
                                });
                    }
                }).connect(uri.getHost(), uri.getPort()).sync().channel();
    }
}
