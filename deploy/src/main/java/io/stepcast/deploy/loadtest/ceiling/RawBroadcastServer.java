package io.stepcast.deploy.loadtest.ceiling;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import io.stepcast.deploy.loadtest.client.Transport;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ceiling for a JVM gateway on this machine: a bare Netty WebSocket server fed straight from the
 * plans' Redis channels. A client connects to {@code /ws?plan=<plan>}; the server SUBSCRIBEs to
 * {@code stepcast:{<plan>}} while at least one client watches the plan and forwards each message
 * verbatim: copied once into a direct buffer, one task per event loop, and each channel gets a
 * {@code retainedDuplicate()} of the same frame. No protocol, auth, resume, limits or metrics, and
 * no slow-consumer policy (it buffers without bound: fine for a benchmark, not for production).
 *
 * <p>Usage: {@code RawBroadcastServer --port 9000 --redis redis://127.0.0.1:6379 [--prefix stepcast]
 * [--transport nio|epoll]} (nio, the default, is what the gateway runs on)
 */
public final class RawBroadcastServer {

    private final String prefix;
    private final StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
    /** plan → (event loop → that loop's channels watching the plan). Changed under {@code this}. */
    private final Map<String, Map<EventExecutor, Set<Channel>>> plans = new ConcurrentHashMap<>();

    private RawBroadcastServer(String prefix, StatefulRedisPubSubConnection<byte[], byte[]> pubsub) {
        this.prefix = prefix;
        this.pubsub = pubsub;
        pubsub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
                broadcast(new String(channel, StandardCharsets.UTF_8), message);
            }
        });
    }

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int port = Integer.parseInt(opts.getOrDefault("port", "9000"));
        RedisClient redis = RedisClient.create(opts.getOrDefault("redis", "redis://127.0.0.1:6379"));
        RawBroadcastServer server = new RawBroadcastServer(
                opts.getOrDefault("prefix", "stepcast"), redis.connectPubSub(ByteArrayCodec.INSTANCE));
        Transport transport =
                Transport.valueOf(opts.getOrDefault("transport", "nio").toUpperCase(Locale.ROOT));
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, transport.ioHandler());
        EventLoopGroup workers = new MultiThreadIoEventLoopGroup(transport.ioHandler());
        WebSocketServerProtocolConfig ws = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/ws")
                .checkStartsWith(true)
                .subprotocols("stepcast.v1")
                .allowExtensions(false)
                .maxFramePayloadLength(65536)
                .handleCloseFrames(true)
                .build();
        Channel listener = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast(
                                        new HttpServerCodec(),
                                        new HttpObjectAggregator(65536),
                                        new WebSocketServerProtocolHandler(ws),
                                        server.new PlanHandler());
                    }
                })
                .bind("127.0.0.1", port)
                .sync()
                .channel();
        System.out.println("raw netty broadcast server (" + transport + ") ready on " + port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            listener.close();
            workers.shutdownGracefully();
            boss.shutdownGracefully();
            redis.shutdown();
        }));
        listener.closeFuture().sync();
    }

    private String channelOf(String plan) {
        return prefix + ":{" + plan + "}";
    }

    private synchronized void register(Channel ch, String plan) {
        Map<EventExecutor, Set<Channel>> loops = plans.get(plan);
        if (loops == null) {
            loops = new ConcurrentHashMap<>();
            plans.put(plan, loops);
            pubsub.async()
                    .subscribe(channelOf(plan).getBytes(StandardCharsets.UTF_8))
                    .thenRun(() -> ch.writeAndFlush(subscribed(plan)));
        } else {
            ch.writeAndFlush(subscribed(plan));
        }
        loops.computeIfAbsent(ch.eventLoop(), l -> ConcurrentHashMap.newKeySet())
                .add(ch);
    }

    private synchronized void unregister(Channel ch, String plan) {
        Map<EventExecutor, Set<Channel>> loops = plans.get(plan);
        if (loops == null) {
            return;
        }
        Set<Channel> set = loops.get(ch.eventLoop());
        if (set != null) {
            set.remove(ch);
        }
        if (loops.values().stream().allMatch(Set::isEmpty)) {
            plans.remove(plan);
            pubsub.async().unsubscribe(channelOf(plan).getBytes(StandardCharsets.UTF_8));
        }
    }

    private static TextWebSocketFrame subscribed(String plan) {
        return new TextWebSocketFrame("{\"type\":\"subscribed\",\"plan_id\":\"" + plan + "\"}");
    }

    /** Called on Lettuce's thread: one task per event loop, each writes one duplicate per channel. */
    private void broadcast(String channel, byte[] message) {
        int open = channel.indexOf('{');
        int close = channel.lastIndexOf('}');
        if (open < 0 || close < open) {
            return;
        }
        Map<EventExecutor, Set<Channel>> loops = plans.get(channel.substring(open + 1, close));
        if (loops == null) {
            return;
        }
        ByteBuf content =
                PooledByteBufAllocator.DEFAULT.directBuffer(message.length).writeBytes(message);
        TextWebSocketFrame frame = new TextWebSocketFrame(content);
        try {
            for (Map.Entry<EventExecutor, Set<Channel>> e : loops.entrySet()) {
                Set<Channel> channels = e.getValue();
                if (channels.isEmpty()) {
                    continue;
                }
                frame.retain();
                e.getKey().execute(() -> {
                    try {
                        for (Channel ch : channels) {
                            // no slow-consumer policy: a client that falls behind is buffered for,
                            // never skipped (skipping would make the ceiling lossy and flatter it)
                            ch.writeAndFlush(frame.retainedDuplicate(), ch.voidPromise());
                        }
                    } finally {
                        frame.release();
                    }
                });
            }
        } finally {
            frame.release();
        }
    }

    private final class PlanHandler extends ChannelInboundHandlerAdapter {
        private String plan;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete hc) {
                List<String> p =
                        new QueryStringDecoder(hc.requestUri()).parameters().get("plan");
                if (p == null || p.isEmpty()) {
                    ctx.close();
                    return;
                }
                plan = p.get(0);
                register(ctx.channel(), plan);
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg); // clients send nothing the ceiling needs
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (plan != null) {
                unregister(ctx.channel(), plan);
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
