package io.stepcast.gateway.web;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HandshakeTimeoutTest {

    private static EmbeddedChannel channel() {
        return new EmbeddedChannel(new HandshakeTimeout.Handler(1_000));
    }

    private static HttpRequest request(boolean upgrade) {
        HttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, upgrade ? "/ws" : "/health");
        if (upgrade) {
            r.headers().set("Upgrade", "websocket").set("Connection", "Upgrade");
        }
        return r;
    }

    private static void elapse(EmbeddedChannel ch, long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void aConnectionWithoutACompleteRequestIsClosedAtTheTimeout() {
        EmbeddedChannel ch = channel();
        elapse(ch, 1_500);
        assertFalse(ch.isActive());
    }

    @Test
    void anUpgradeThatIsNotAnsweredInTimeIsClosedThoughItsHeadArrived() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(request(true));
        elapse(ch, 1_500);
        assertFalse(ch.isActive(), "the timeout covers the upgrade until the session is open");
    }

    @Test
    void anAnsweredUpgradeAndAPlainRequestAreLeftAlone() {
        EmbeddedChannel upgraded = channel();
        upgraded.writeInbound(request(true));
        upgraded.writeOutbound(
                new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SWITCHING_PROTOCOLS));
        elapse(upgraded, 5_000);
        assertTrue(upgraded.isActive());
        assertNull(upgraded.pipeline().get(HandshakeTimeout.Handler.class), "removed once answered");

        EmbeddedChannel plain = channel();
        plain.writeInbound(request(false));
        elapse(plain, 5_000);
        assertTrue(plain.isActive());
        assertNull(plain.pipeline().get(HandshakeTimeout.Handler.class));
    }
}
