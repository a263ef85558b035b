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
import io.netty.channel.EventLoop;
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
 * verbatim. No protocol, auth, resume, limits or metrics, and no slow-consumer policy (it buffers
 * without bound: fine for a benchmark, not for production). Two modes:
 *
 * <ul>
 *   <li>{@code shared} (the ceiling, default): each message becomes one complete WebSocket frame
 *       (header and payload) in one direct buffer, encoded once for every channel; each event loop
 *       gets it through its {@link LoopOutbox}, which writes a {@code retainedDuplicate()} per
 *       channel and flushes each channel once per batch; native epoll where it loads.
 *   <li>{@code plain} (the previous, plainer reference): a {@link TextWebSocketFrame} that the
 *       pipeline's encoder encodes per channel, one {@code writeAndFlush} per channel and event, NIO.
 * </ul>
 *
 * <p>Usage: {@code RawBroadcastServer --port 9000 --redis redis://127.0.0.1:6379 [--prefix stepcast]
 * [--mode shared|plain] [--transport best|nio|epoll]} (transport default: best for shared, nio for
 * plain)
 */
public final class RawBroadcastServer {

    /** How a message reaches the channels: see the class comment. */
    enum Mode {
        SHARED,
        PLAIN
    }

    private final String prefix;
    private final Mode mode;
    private final StatefulRedisPubSubConnection<byte[], byte[]> pubsub;
    /** One outbox per event loop (shared mode). */
    private final Map<EventExecutor, LoopOutbox> outboxes = new ConcurrentHashMap<>();
    /** plan → (event loop → that loop's channels watching the plan). Changed under {@code this}. */
    private final Map<String, Map<EventExecutor, Set<Channel>>> plans = new ConcurrentHashMap<>();

    private RawBroadcastServer(String prefix, Mode mode, StatefulRedisPubSubConnection<byte[], byte[]> pubsub) {
        this.prefix = prefix;
        this.mode = mode;
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
        Mode mode = Mode.valueOf(opts.getOrDefault("mode", "shared").toUpperCase(Locale.ROOT));
        RawBroadcastServer server = new RawBroadcastServer(
                opts.getOrDefault("prefix", "stepcast"), mode, redis.connectPubSub(ByteArrayCodec.INSTANCE));
        String t = opts.getOrDefault("transport", mode == Mode.SHARED ? "best" : "nio");
        Transport transport = t.equals("best") ? Transport.best() : Transport.valueOf(t.toUpperCase(Locale.ROOT));
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
        System.out.println("raw netty broadcast server (" + mode + ", " + transport + ") ready on " + port);
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

    /** Called on Lettuce's thread: hands the event to each event loop that holds watchers. */
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
        if (mode == Mode.SHARED) {
            ByteBuf frame = textFrame(message);
            try {
                for (Map.Entry<EventExecutor, Set<Channel>> e : loops.entrySet()) {
                    if (!e.getValue().isEmpty()) {
                        outboxes.computeIfAbsent(e.getKey(), l -> new LoopOutbox((EventLoop) l))
                                .offer(e.getValue(), frame.retain());
                    }
                }
            } finally {
                frame.release();
            }
        } else {
            plainBroadcast(loops, message);
        }
    }

    /**
     * One unmasked, final text frame (RFC 6455 5.2) in one pooled direct buffer: the bytes every
     * channel receives, so the pipeline's encoder passes it through untouched.
     */
    static ByteBuf textFrame(byte[] payload) {
        int n = payload.length;
        ByteBuf b = PooledByteBufAllocator.DEFAULT.directBuffer(n + 10);
        b.writeByte(0x81);
        if (n < 126) {
            b.writeByte(n);
        } else if (n < 65536) {
            b.writeByte(126).writeShort(n);
        } else {
            b.writeByte(127).writeLong(n);
        }
        return b.writeBytes(payload);
    }

    /** The plain reference: one task per loop, each channel encodes and flushes its own frame. */
    private static void plainBroadcast(Map<EventExecutor, Set<Channel>> loops, byte[] message) {
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
