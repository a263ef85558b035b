package io.stepcast.deploy.loadtest.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Engine.IO v4 / Socket.IO v5 over a raw WebSocket, as the official client speaks it with
 * {@code transports: ["websocket"]}: the server opens with {@code 0{…}}, the client connects to the
 * main namespace with {@code 40}, the server confirms with {@code 40{"sid":…}}; events are
 * {@code 42["name",…]}; the server pings with {@code 2}, the client answers {@code 3}.
 * The benchmark's server script joins the socket to a room on {@code 42["subscribe",plan]} and
 * answers {@code 42["subscribed",plan]}; events arrive as {@code 42["event",{…the event frame…}]}.
 * No subprotocol, and nothing to send on open: the client waits for the Engine.IO open packet.
 */
public final class SocketIoWire implements Wire {

    private static final byte[] OPEN = FrameScan.bytes("0{");
    private static final byte[] CONNECTED = FrameScan.bytes("40");
    private static final byte[] EVENT = FrameScan.bytes("42[\"event\"");
    private static final byte[] SUBSCRIBED = FrameScan.bytes("42[\"subscribed\"");
    private static final byte[] CONNECT_ERROR = FrameScan.bytes("44");
    private static final AtomicInteger LOGGED = new AtomicInteger();

    @Override
    public String path(Conn conn) {
        return "/socket.io/?EIO=4&transport=websocket";
    }

    @Override
    public void onText(Conn conn, Channel channel, ByteBuf b) {
        if (FrameScan.startsWith(b, EVENT)) {
            StepcastWire.onEventFrame(conn, b);
        } else if (b.readableBytes() == 1 && b.getByte(b.readerIndex()) == '2') {
            channel.writeAndFlush(new TextWebSocketFrame("3"));
        } else if (FrameScan.startsWith(b, OPEN)) {
            channel.writeAndFlush(new TextWebSocketFrame("40"));
        } else if (FrameScan.startsWith(b, SUBSCRIBED)) {
            conn.onSubscribed(-1, null, null);
        } else if (FrameScan.startsWith(b, CONNECTED)) {
            channel.writeAndFlush(
                    new TextWebSocketFrame("42[\"subscribe\",\"" + conn.plan().plan() + "\"]"));
        } else if (FrameScan.startsWith(b, CONNECT_ERROR)) {
            conn.onError();
            if (LOGGED.incrementAndGet() <= 5) {
                System.out.println("[loadtest] socket.io connect error: " + b.toString(StandardCharsets.UTF_8));
            }
        }
    }
}
