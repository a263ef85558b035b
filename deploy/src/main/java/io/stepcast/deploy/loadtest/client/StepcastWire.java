package io.stepcast.deploy.loadtest.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** The Stepcast client protocol (PROTOCOL.md §4): {@code subscribe}, then {@code subscribed}, events. */
public final class StepcastWire implements Wire {

    private static final byte[] EVENT = FrameScan.bytes("{\"type\":\"event\"");
    private static final byte[] SUBSCRIBED = FrameScan.bytes("{\"type\":\"subscribed\"");
    private static final byte[] SNAPSHOT = FrameScan.bytes("{\"type\":\"snapshot\"");
    private static final byte[] ERROR = FrameScan.bytes("{\"type\":\"error\"");
    private static final AtomicInteger LOGGED = new AtomicInteger();

    @Override
    public String path(Conn conn) {
        return "/ws";
    }

    private final Function<String, String> tokenForPlan;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    /** @param tokenForPlan mints a client token for a plan (sent as {@code bearer.<token>}), or null: auth off */
    public StepcastWire(Function<String, String> tokenForPlan) {
        this.tokenForPlan = tokenForPlan;
    }

    @Override
    public String subprotocol(Conn conn) {
        if (tokenForPlan == null) {
            return "stepcast.v1";
        }
        return "stepcast.v1,bearer." + tokens.computeIfAbsent(conn.plan().plan(), tokenForPlan);
    }

    @Override
    public void onOpen(Conn conn, Channel channel) {
        String plan = conn.plan().plan();
        String msg = conn.resume() && conn.epoch() != null
                ? "{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\",\"since\":" + conn.last() + ",\"epoch\":\""
                        + conn.epoch() + "\"}"
                : "{\"type\":\"subscribe\",\"plan_id\":\"" + plan + "\"}";
        channel.writeAndFlush(new TextWebSocketFrame(msg));
    }

    @Override
    public void onText(Conn conn, Channel channel, ByteBuf b) {
        if (FrameScan.startsWith(b, EVENT)) {
            onEventFrame(conn, b);
        } else if (FrameScan.startsWith(b, SUBSCRIBED)) {
            conn.onSubscribed(
                    FrameScan.longAfter(b, FrameScan.SEQ),
                    FrameScan.stringAfter(b, FrameScan.EPOCH),
                    FrameScan.contains(b, FrameScan.RECOVERED_TRUE));
        } else if (FrameScan.startsWith(b, SNAPSHOT)) {
            conn.onSnapshot();
        } else if (FrameScan.startsWith(b, ERROR)) {
            conn.onError();
            if (LOGGED.incrementAndGet() <= 5) {
                System.out.println("[loadtest] stepcast error frame: " + b.toString(StandardCharsets.UTF_8));
            }
        }
    }

    /** Reads seq and the publish time of an event frame (also used for the raw Netty ceiling). */
    static void onEventFrame(Conn conn, ByteBuf b) {
        long[] st = SEQ_AND_TIME.get();
        FrameScan.seqAndPublishTime(b, st);
        if (st[0] < 0) {
            conn.onError();
            return;
        }
        conn.onEvent(st[0], st[1]);
    }

    private static final ThreadLocal<long[]> SEQ_AND_TIME = ThreadLocal.withInitial(() -> new long[2]);
}
