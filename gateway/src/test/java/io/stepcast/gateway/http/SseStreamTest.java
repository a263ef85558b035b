package io.stepcast.gateway.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micronaut.http.sse.Event;
import io.stepcast.gateway.hub.PlanHub;
import io.stepcast.gateway.hub.SharedFrame;
import io.stepcast.gateway.hub.SubscribeResult;
import io.stepcast.gateway.hub.Subscriber;
import io.stepcast.gateway.protocol.Cursor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;

/** The SSE publisher's demand, bound and teardown, driven directly (the hub is a recording stand-in). */
class SseStreamTest {

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final RecordingHub hub = new RecordingHub();
    private final HttpMetrics metrics = new HttpMetrics(new SimpleMeterRegistry());
    private final AtomicInteger closed = new AtomicInteger();

    @AfterEach
    void stop() {
        timers.shutdownNow();
    }

    @Test
    void deliversOnlyWhatIsRequestedInOrder() {
        SseStream stream = stream(1 << 20, Duration.ofHours(1));
        Collector c = new Collector();
        stream.publisher().subscribe(c);
        Subscriber sub = hub.subscriber;
        sub.onSubscribed(new SubscribeResult("p", "e", 0, true));
        for (int i = 1; i <= 5; i++) {
            assertTrue(sub.onEvent(frame(i, 100)));
        }
        assertEquals(0, c.items.size());
        c.subscription.request(2);
        assertEquals(List.of("subscribed", "x"), c.names());
        c.subscription.request(10);
        assertEquals(6, c.items.size());
        assertEquals("e:5", c.items.get(5).getId());
        assertEquals(0, stream.pendingBytes());
    }

    @Test
    void aStalledReaderIsFailedPastTheBoundAndLeavesTheHub() {
        SseStream stream = stream(10_000, Duration.ofHours(1));
        Collector c = new Collector();
        stream.publisher().subscribe(c);
        Subscriber sub = hub.subscriber;
        sub.onSubscribed(new SubscribeResult("p", "e", 0, true));
        boolean kept = true;
        int i = 0;
        while (kept && i < 1000) {
            kept = sub.onEvent(frame(++i, 1000));
        }
        assertFalse(kept, "the hub is told this subscriber cannot keep up");
        assertTrue(i < 20, "failed after about 10 kB, at event " + i);
        assertInstanceOf(SseStream.StreamClosedException.class, c.error);
        assertEquals(0, stream.pendingBytes());
        assertEquals(1, closed.get());
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.unsubscribed.get() == 1);
        assertTrue(sub.onEvent(frame(++i, 1000)), "late frames are ignored, not queued");
        assertEquals(0, stream.pendingBytes());
    }

    @Test
    void heartbeatsOnlyWhenIdleAndCancelReleasesEverything() {
        SseStream stream = stream(1 << 20, Duration.ofMillis(100));
        Collector c = new Collector();
        stream.publisher().subscribe(c);
        c.subscription.request(Long.MAX_VALUE);
        hub.subscriber.onSubscribed(new SubscribeResult("p", null, 0, false));
        await().atMost(Duration.ofSeconds(5))
                .until(() -> c.items.stream().anyMatch(e -> "ping".equals(e.getComment())));
        // a ping may come first (the heartbeat runs from the subscription on, the hub may answer later)
        Event<byte[]> first =
                c.items.stream().filter(e -> e.getComment() == null).findFirst().orElseThrow();
        assertEquals("subscribed", first.getName());
        assertEquals("0", first.getId(), "a plan without events resumes from seq 0");
        c.subscription.cancel();
        await().atMost(Duration.ofSeconds(5)).until(() -> hub.unsubscribed.get() == 1 && closed.get() == 1);
        int seen = c.items.size();
        hub.subscriber.onEvent(frame(1, 10));
        assertEquals(seen, c.items.size());
        assertNull(c.error);
    }

    private SseStream stream(long maxPending, Duration heartbeat) {
        SseConfig config = new SseConfig(heartbeat, Duration.ofSeconds(2), maxPending, 100);
        return new SseStream(
                hub, timers, timers, config, metrics, "p", new Cursor("e", 0), null, closed::incrementAndGet);
    }

    private static SharedFrame frame(long seq, int size) {
        String json = "{\"type\":\"event\",\"plan_id\":\"p\",\"seq\":" + seq
                + ",\"epoch\":\"e\",\"event\":\"x\",\"ts\":\"t\",\"data\":{\"s\":\"" + "y".repeat(size) + "\"}}";
        return new SharedFrame("p", seq, "e", "x", json.getBytes(StandardCharsets.UTF_8));
    }

    private static final class Collector implements org.reactivestreams.Subscriber<Event<byte[]>> {
        final List<Event<byte[]>> items = new CopyOnWriteArrayList<>();
        volatile Subscription subscription;
        volatile Throwable error;

        @Override
        public void onSubscribe(Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(Event<byte[]> e) {
            items.add(e);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onComplete() {}

        List<String> names() {
            List<String> names = new ArrayList<>();
            items.forEach(e -> names.add(e.getName()));
            return names;
        }
    }

    /** Records what the stream asks of the hub; the test calls the subscriber itself. */
    private static final class RecordingHub implements PlanHub {
        volatile Subscriber subscriber;
        final AtomicInteger unsubscribed = new AtomicInteger();

        @Override
        public void subscribe(Subscriber s, String planId, Cursor cursor) {
            subscriber = s;
        }

        @Override
        public void unsubscribe(Subscriber s, String planId) {
            unsubscribed.incrementAndGet();
        }

        @Override
        public void unsubscribeAll(Subscriber s) {
            unsubscribed.incrementAndGet();
        }

        @Override
        public int activePlans() {
            return 0;
        }

        @Override
        public int activeSubscriptions() {
            return 0;
        }

        @Override
        public Map<String, Integer> subscriptionsByPlan() {
            return Map.of();
        }
    }
}
