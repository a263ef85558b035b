package io.stepcast.deploy.loadtest.client;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

/**
 * The raw Netty ceiling's protocol: the plan in the URL ({@code /ws?plan=p}), one
 * {@code {"type":"subscribed"}} frame, then the plan's event frames byte for byte from Redis. No
 * subprotocol, and nothing to send on open: the server subscribes on the upgrade.
 */
public final class RawWire implements Wire {

    private static final byte[] EVENT = FrameScan.bytes("{\"type\":\"event\"");
    private static final byte[] SUBSCRIBED = FrameScan.bytes("{\"type\":\"subscribed\"");

    @Override
    public String path(Conn conn) {
        return "/ws?plan=" + conn.plan().plan();
    }

    @Override
    public void onText(Conn conn, Channel channel, ByteBuf b) {
        if (FrameScan.startsWith(b, EVENT)) {
            StepcastWire.onEventFrame(conn, b);
        } else if (FrameScan.startsWith(b, SUBSCRIBED)) {
            conn.onSubscribed(-1, null, null);
        }
    }
}
