package io.stepcast.gateway.hub;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.testing.TestRedis;
import io.stepcast.gateway.protocol.Cursor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The hub against the shared test Redis, fed by the bridge's real publisher. */
class PlanHubIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static String uri;
    private static HubInstance gateway;
    private static Publishing bridge;

    @BeforeAll
    static void start() {
        uri = TestRedis.shared().uri();
        gateway = new HubInstance(uri);
        bridge = new Publishing(uri);
    }

    @AfterAll
    static void stop() {
        bridge.close();
        gateway.close();
    }

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    /** Waits until the subscriber covers {@code seq}, then checks it saw every event after its start exactly once. */
    static void awaitExactly(RecordingSubscriber s, long seq) {
        await().atMost(WAIT)
                .until(() -> s.position() >= seq
                        || !s.violations().isEmpty()
                        || !s.failures().isEmpty());
        assertEquals(List.of(), s.violations(), s.id());
        assertEquals(List.of(), s.failures(), s.id());
        assertEquals(seq, s.position(), s.id());
    }

    @Test
    void snapshotThenLiveHasNoGapOrDuplicateWhileEventsFlowAtFullSpeed() {
        String plan = Publishing.newPlan("flow");
        bridge.publish(plan, 10);
        int total = 3_000;
        CompletableFuture<PublishResult> publishing = CompletableFuture.supplyAsync(() -> bridge.publish(plan, total));
        List<RecordingSubscriber> subscribers = new ArrayList<>();
        while (!publishing.isDone() || subscribers.size() < 5) {
            RecordingSubscriber s = new RecordingSubscriber();
            subscribers.add(s);
            gateway.hub.subscribe(s, plan, null);
            await().atMost(WAIT)
                    .until(() -> s.lastSubscribed() != null || !s.failures().isEmpty());
        }
        long last = publishing.join().seq();
        assertEquals(total + 10, last);
        for (RecordingSubscriber s : subscribers) {
            awaitExactly(s, last);
            SubscribeResult start = s.subscribed().get(0);
            assertEquals(1, s.subscribed().size(), s.id());
            assertFalse(start.recovered());
            assertEquals(1, s.snapshots().size(), s.id());
            assertEquals(range(start.seq() + 1, last), s.seqs(), s.id());
        }
        subscribers.forEach(s -> gateway.hub.unsubscribe(s, plan));
    }

    @Test
    void resumeAfterAThousandMissedEventsIsRecovered() {
        String plan = Publishing.newPlan("resume");
        RecordingSubscriber first = new RecordingSubscriber();
        gateway.hub.subscribe(first, plan, null);
        PublishResult seen = bridge.publish(plan, 50);
        awaitExactly(first, 50);
        gateway.hub.unsubscribe(first, plan);

        long last = bridge.publish(plan, 1_000).seq();
        RecordingSubscriber back = new RecordingSubscriber();
        gateway.hub.subscribe(back, plan, new Cursor(seen.epoch(), 50));
        awaitExactly(back, last);
        SubscribeResult r = back.lastSubscribed();
        assertTrue(r.recovered());
        assertEquals(50, r.seq());
        assertEquals(seen.epoch(), r.epoch());
        assertEquals(List.of(), back.snapshots());
        assertEquals(range(51, 1_050), back.seqs());
        long more = bridge.publish(plan, 5).seq();
        awaitExactly(back, more);
        assertTrue(gateway.counter("stepcast.resumes", "result", "recovered") >= 1);
        gateway.hub.unsubscribe(back, plan);
    }

    @Test
    void resumeWithAnotherEpochResetsToASnapshot() {
        String plan = Publishing.newPlan("epoch");
        long last = bridge.publish(plan, 20).seq();
        RecordingSubscriber s = new RecordingSubscriber();
        gateway.hub.subscribe(s, plan, new Cursor("zzzzzzzzzzzz", 10));
        await().atMost(WAIT).until(() -> s.lastSubscribed() != null);
        assertFalse(s.lastSubscribed().recovered());
        assertEquals(last, s.lastSubscribed().seq());
        assertEquals(1, s.snapshots().size());
        assertTrue(
                s.snapshots().get(0).contains("\"seq\":" + last), s.snapshots().get(0));
        gateway.hub.unsubscribe(s, plan);
    }

    @Test
    void resumeBeyondTheLogCapResetsToASnapshot() {
        String plan = Publishing.newPlan("capped");
        try (Publishing capped =
                new Publishing(uri, BridgeConfig.builder().logMaxLen(100).build())) {
            PublishResult early = capped.publish(plan, 10);
            long last = capped.publish(plan, 1_000).seq();
            RecordingSubscriber s = new RecordingSubscriber();
            gateway.hub.subscribe(s, plan, new Cursor(early.epoch(), 10));
            await().atMost(WAIT).until(() -> s.lastSubscribed() != null);
            assertFalse(s.lastSubscribed().recovered());
            assertEquals(last, s.lastSubscribed().seq());
            assertEquals(1, s.snapshots().size());
            long more = capped.publish(plan, 3).seq();
            awaitExactly(s, more);
            assertEquals(range(last + 1, more), s.seqs());
            gateway.hub.unsubscribe(s, plan);
        }
    }

    @Test
    void emptyPlanIsWatchedFromSeqZeroThenEveryEvent() {
        String plan = Publishing.newPlan("empty");
        RecordingSubscriber s = new RecordingSubscriber();
        gateway.hub.subscribe(s, plan, null);
        await().atMost(WAIT).until(() -> s.lastSubscribed() != null);
        assertNull(s.lastSubscribed().epoch());
        assertEquals(0, s.lastSubscribed().seq());
        assertFalse(s.lastSubscribed().recovered());
        assertEquals(List.of(), s.snapshots());
        bridge.publish(plan, 25);
        awaitExactly(s, 25);
        assertEquals(range(1, 25), s.seqs());

        RecordingSubscriber watchedEmpty = new RecordingSubscriber();
        gateway.hub.subscribe(watchedEmpty, plan, new Cursor(null, 0));
        awaitExactly(watchedEmpty, 25);
        assertTrue(watchedEmpty.lastSubscribed().recovered());
        assertEquals(range(1, 25), watchedEmpty.seqs());
        gateway.hub.unsubscribeAll(s);
        gateway.hub.unsubscribeAll(watchedEmpty);
    }

    @Test
    void cursorAtTheHeadResumesWithNothingToReplay() {
        String plan = Publishing.newPlan("head");
        PublishResult last = bridge.publish(plan, 7);
        RecordingSubscriber s = new RecordingSubscriber();
        gateway.hub.subscribe(s, plan, new Cursor(last.epoch(), last.seq()));
        await().atMost(WAIT).until(() -> s.lastSubscribed() != null);
        assertTrue(s.lastSubscribed().recovered());
        assertEquals(7, s.lastSubscribed().seq());
        bridge.publish(plan, 1);
        awaitExactly(s, 8);
        assertEquals(List.of(8L), s.seqs());
        gateway.hub.unsubscribe(s, plan);
    }

    @Test
    void subscriberThatCannotKeepUpIsDroppedFromAllItsPlansWhileOthersContinue() {
        String plan = Publishing.newPlan("drop");
        String other = Publishing.newPlan("drop-other");
        RecordingSubscriber slow = new RecordingSubscriber();
        RecordingSubscriber ok = new RecordingSubscriber();
        gateway.hub.subscribe(slow, plan, null);
        gateway.hub.subscribe(slow, other, null);
        gateway.hub.subscribe(ok, plan, null);
        await().atMost(WAIT).until(() -> slow.subscribed().size() == 2 && ok.lastSubscribed() != null);
        bridge.publish(plan, 3);
        awaitExactly(slow, 3);
        slow.refuse();
        bridge.publish(plan, 3);
        awaitExactly(ok, 6);
        await().atMost(WAIT).until(() -> slow.dropped().size() == 2);
        assertEquals(List.of(plan, other), slow.dropped());
        bridge.publish(plan, 2);
        awaitExactly(ok, 8);
        assertEquals(range(1, 3), slow.seqs());
        gateway.hub.unsubscribe(ok, plan);
    }

    @Test
    void twoHubInstancesOnOneRedisBothReceive() {
        String plan = Publishing.newPlan("two");
        try (HubInstance second = new HubInstance(uri)) {
            RecordingSubscriber a = new RecordingSubscriber();
            RecordingSubscriber b = new RecordingSubscriber();
            gateway.hub.subscribe(a, plan, null);
            second.hub.subscribe(b, plan, null);
            await().atMost(WAIT).until(() -> a.lastSubscribed() != null && b.lastSubscribed() != null);
            bridge.publish(plan, 200);
            awaitExactly(a, 200);
            awaitExactly(b, 200);
            assertEquals(range(1, 200), a.seqs());
            assertEquals(range(1, 200), b.seqs());
            gateway.hub.unsubscribeAll(a);
        }
    }
}
