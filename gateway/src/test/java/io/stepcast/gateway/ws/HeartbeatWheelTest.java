package io.stepcast.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The per-event-loop heartbeat on Netty's embedded event loop, with its clock driven by the test. */
class HeartbeatWheelTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final long start = System.nanoTime();
    private long elapsed;
    private final HeartbeatWheel wheel = new HeartbeatWheel(channel.eventLoop(), 10 * SECOND, () -> start + elapsed);

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private WsConnection connection(EmbeddedChannel ch, long timeoutSeconds) {
        return new WsConnection(
                "s-test",
                ch,
                null,
                new WsConnection.Limits(10 * SECOND, timeoutSeconds * SECOND, 5 * SECOND, 8L << 20, 10 * SECOND),
                new TokenBucket(new RateLimitConfig(20, 60, 100, Duration.ofSeconds(10)), start),
                ConnectionEvents.NONE,
                new LoopOutbox(channel.eventLoop(), new LongAdder()));
    }

    /** Advances the loop and the wheel's clock together, one second at a time; returns frames written. */
    private List<Object> advance(EmbeddedChannel ch, int seconds) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < seconds; i++) {
            elapsed += SECOND;
            channel.advanceTimeBy(1, TimeUnit.SECONDS);
            channel.runScheduledPendingTasks();
            channel.runPendingTasks();
            for (Object o; (o = ch.readOutbound()) != null; ) {
                out.add(o);
            }
        }
        return out;
    }

    private static long count(List<Object> frames, Class<?> type) {
        long n = frames.stream().filter(type::isInstance).count();
        frames.forEach(ReferenceCountUtil::release);
        return n;
    }

    @Test
    void bucketsAreOneSecondApartForTheDefaultLikeInterval() {
        assertEquals(10, wheel.slotCount());
        assertEquals(1, new HeartbeatWheel(channel.eventLoop(), 300_000_000L).slotCount(), "sub-second interval");
        assertEquals(HeartbeatWheel.MAX_SLOTS, new HeartbeatWheel(channel.eventLoop(), 3600 * SECOND).slotCount());
    }

    @Test
    void aConnectionIsPingedOncePerInterval() {
        channel.freezeTime();
        WsConnection c = connection(channel, 1000);
        wheel.add(c);
        assertEquals(1, count(advance(channel, 10), PingWebSocketFrame.class), "first ping within one interval");
        for (int round = 0; round < 9; round++) {
            assertEquals(1, count(advance(channel, 10), PingWebSocketFrame.class), "then one per interval");
        }
    }

    @Test
    void aConnectionStormIsPingedEvenlyOverTheIntervalNotInOneBurst() {
        channel.freezeTime();
        for (int i = 0; i < 30; i++) {
            wheel.add(connection(channel, 1000)); // all within the same tick
        }
        for (int second = 0; second < 20; second++) {
            assertEquals(3, count(advance(channel, 1), PingWebSocketFrame.class), "pings in second " + second);
        }
    }

    @Test
    void aSilentConnectionIsClosedWithHeartbeatTimeoutAndThenForgotten() {
        channel.freezeTime();
        WsConnection c = connection(channel, 25);
        wheel.add(c);
        List<Object> frames = advance(channel, 30); // 1st connection: visits at 1, 11, 21 s ping; 31 s: silent > 25 s
        frames.addAll(advance(channel, 1));
        CloseWebSocketFrame close = frames.stream()
                .filter(CloseWebSocketFrame.class::isInstance)
                .map(CloseWebSocketFrame.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError(frames));
        assertEquals(4009, close.statusCode());
        assertEquals(3, count(frames, PingWebSocketFrame.class));
        assertTrue(c.isClosing());
        assertEquals(0, count(advance(channel, 40), PingWebSocketFrame.class), "no ping after the close");
    }

    @Test
    void aRemovedConnectionIsNeverPingedAgain() {
        channel.freezeTime();
        WsConnection gone = connection(channel, 1000);
        wheel.add(gone);
        assertEquals(1, count(advance(channel, 10), PingWebSocketFrame.class));
        wheel.remove(gone);
        assertTrue(gone.heartbeatSlot < 0);
        assertEquals(0, count(advance(channel, 50), PingWebSocketFrame.class));
    }
}
