package io.stepcast.gateway.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.gateway.protocol.Cursor;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PlanChannelTest {

    private final ChannelDriver d = new ChannelDriver("p-1");

    private static List<Long> range(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }

    @Test
    void snapshotThenLiveWithoutGapOrDuplicateWhenEventsArriveDuringTheRead() {
        for (int i = 0; i < 5; i++) {
            d.publish();
        }
        RecordingSubscriber s = new RecordingSubscriber();
        d.join(s, null);
        d.step(); // SUBSCRIBE confirmed -> anchor read issued
        byte[] f6 = d.publish();
        d.receive(f6); // arrives before the anchor read answers (held)
        d.step(); // anchor: snapshot at 6 (the read sees f6 already)
        byte[] f7 = d.publish();
        d.receive(f7);
        d.settle();
        assertEquals(6, s.lastSubscribed().seq());
        assertFalse(s.lastSubscribed().recovered());
        assertEquals(1, s.snapshots().size());
        assertEquals(List.of(7L), s.seqs());
        assertEquals(List.of(), s.violations());
    }

    @Test
    void secondSubscriberCatchesUpFromTheLogWhenItsSnapshotIsOlderThanTheStream() {
        RecordingSubscriber first = new RecordingSubscriber();
        d.join(first, null);
        d.settle();
        d.receive(d.publish());
        RecordingSubscriber second = new RecordingSubscriber();
        d.join(second, null);
        // second's snapshot read is answered at seq 1, then two more events flow live
        d.step();
        d.receive(d.publish());
        d.receive(d.publish());
        d.settle();
        d.receive(d.publish());
        assertEquals(range(1, 4), first.seqs());
        assertEquals(1, second.lastSubscribed().seq());
        assertEquals(range(2, 4), second.seqs());
        assertEquals(List.of(), second.violations());
    }

    @Test
    void subscribersArrivingTogetherShareOneSnapshotRead() {
        d.publish();
        RecordingSubscriber first = new RecordingSubscriber();
        d.join(first, null);
        d.settle();
        List<RecordingSubscriber> herd = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            RecordingSubscriber s = new RecordingSubscriber();
            herd.add(s);
            d.join(s, null);
        }
        assertEquals(
                1,
                d.pending.stream().filter(a -> a instanceof Action.ReadSnapshot).count());
        d.settle();
        d.receive(d.publish());
        for (RecordingSubscriber s : herd) {
            assertEquals(1, s.lastSubscribed().seq());
            assertEquals(List.of(2L), s.seqs());
        }
    }

    @Test
    void liveHoleIsRepairedFromTheLogForEverySubscriberBeforeLaterFrames() {
        RecordingSubscriber a = new RecordingSubscriber();
        RecordingSubscriber b = new RecordingSubscriber();
        d.join(a, null);
        d.join(b, null);
        d.settle();
        d.receive(d.publish()); // 1
        d.publish(); // 2, lost
        d.publish(); // 3, lost
        d.receive(d.publish()); // 4: hole
        d.receive(d.publish()); // 5: held while repairing
        assertEquals(PlanStream.Mode.REPAIRING, d.channel.mode());
        d.settle();
        assertEquals(PlanStream.Mode.LIVE, d.channel.mode());
        assertEquals(range(1, 5), a.seqs());
        assertEquals(range(1, 5), b.seqs());
        assertEquals(1.0, d.counter("stepcast.gaps.repaired"));
    }

    @Test
    void duplicatesAreDropped() {
        RecordingSubscriber a = new RecordingSubscriber();
        d.join(a, null);
        d.settle();
        byte[] one = d.publish();
        d.receive(one);
        d.receive(one);
        assertEquals(List.of(1L), a.seqs());
    }

    @Test
    void holeTheLogCannotFillResyncsEveryoneFromASnapshot() {
        RecordingSubscriber a = new RecordingSubscriber();
        d.join(a, null);
        d.settle();
        d.receive(d.publish()); // 1
        for (int i = 0; i < 10; i++) {
            d.publish(); // 2..11 lost
        }
        d.trimmedUpTo = 8; // and trimmed from the log
        d.receive(d.publish()); // 12
        d.settle();
        assertEquals(2, a.subscribed().size());
        assertEquals(12, a.lastSubscribed().seq());
        assertFalse(a.lastSubscribed().recovered());
        assertEquals(1, a.snapshots().size()); // the plan was empty at the first subscribe: no snapshot then
        d.receive(d.publish());
        assertEquals(List.of(1L, 13L), a.seqs());
        assertEquals(1.0, d.counter("stepcast.resyncs"));
    }

    @Test
    void epochChangeResyncsAndStaleFramesOfTheOldEpochAreIgnored() {
        RecordingSubscriber a = new RecordingSubscriber();
        d.join(a, null);
        d.settle();
        byte[] old1 = d.publish();
        d.receive(old1);
        String oldEpoch = d.epoch;
        d.expire();
        d.receive(d.publish()); // seq 1 of a new epoch
        d.settle();
        assertEquals(2, a.subscribed().size());
        SubscribeResult restart = a.lastSubscribed();
        assertEquals(d.epoch, restart.epoch());
        assertTrue(!oldEpoch.equals(restart.epoch()));
        d.receive(ChannelDriver.frame("p-1", 2, oldEpoch)); // late frame of the old epoch
        d.receive(d.publish());
        assertEquals(List.of(1L, 2L), a.seqs());
        assertEquals(List.of(), d.pending.stream().toList());
    }

    @Test
    void emptyPlanIsWatchedFromSeqZeroThenEveryEvent() {
        RecordingSubscriber a = new RecordingSubscriber();
        d.join(a, null);
        d.settle();
        SubscribeResult r = a.lastSubscribed();
        assertNull(r.epoch());
        assertEquals(0, r.seq());
        assertEquals(List.of(), a.snapshots());
        d.receive(d.publish());
        d.receive(d.publish());
        assertEquals(List.of(1L, 2L), a.seqs());
    }

    @Test
    void resumeWithinTheLogReplaysAndIsRecovered() {
        RecordingSubscriber live = new RecordingSubscriber();
        d.join(live, null);
        d.settle();
        for (int i = 0; i < 30; i++) {
            d.receive(d.publish());
        }
        RecordingSubscriber back = new RecordingSubscriber();
        d.join(back, new Cursor(d.epoch, 10));
        d.settle();
        d.receive(d.publish());
        assertTrue(back.lastSubscribed().recovered());
        assertEquals(10, back.lastSubscribed().seq());
        assertEquals(range(11, 31), back.seqs());
        assertEquals(List.of(), back.snapshots());
        assertEquals(
                1.0,
                d.registry
                        .get("stepcast.resumes")
                        .tag("result", "recovered")
                        .counter()
                        .count());
    }

    @Test
    void resumeFailsOverToASnapshotWhenTheEpochChangedOrTheLogWasTrimmedOrTheCursorIsAhead() {
        RecordingSubscriber live = new RecordingSubscriber();
        d.join(live, null);
        d.settle();
        for (int i = 0; i < 20; i++) {
            d.receive(d.publish());
        }
        d.trimmedUpTo = 5;
        for (Cursor c : List.of(new Cursor("otherepoch12", 3), new Cursor(d.epoch, 2), new Cursor(d.epoch, 99))) {
            RecordingSubscriber s = new RecordingSubscriber();
            d.join(s, c);
            d.settle();
            assertFalse(s.lastSubscribed().recovered(), c.toString());
            assertEquals(20, s.lastSubscribed().seq(), c.toString());
            assertEquals(1, s.snapshots().size(), c.toString());
        }
        assertEquals(
                3.0,
                d.registry
                        .get("stepcast.resumes")
                        .tag("result", "reset")
                        .counter()
                        .count());
    }

    @Test
    void cursorAtTheHeadResumesWithNothingToReplay() {
        RecordingSubscriber live = new RecordingSubscriber();
        d.join(live, null);
        d.settle();
        d.receive(d.publish());
        d.receive(d.publish());
        RecordingSubscriber s = new RecordingSubscriber();
        d.join(s, new Cursor(d.epoch, 2));
        d.settle();
        assertTrue(s.lastSubscribed().recovered());
        assertEquals(List.of(), s.seqs());
        d.receive(d.publish());
        assertEquals(List.of(3L), s.seqs());
    }

    @Test
    void cursorAtTheLiveStreamsPositionJoinsAtOnceWithoutReadingTheLog() {
        RecordingSubscriber live = new RecordingSubscriber();
        d.join(live, null);
        d.settle();
        d.receive(d.publish());
        RecordingSubscriber s = new RecordingSubscriber();
        d.join(s, new Cursor(d.epoch, 1));
        assertEquals(List.of(), List.copyOf(d.pending), "no read");
        assertTrue(s.lastSubscribed().recovered());
        assertEquals(1, s.lastSubscribed().seq());
        d.receive(d.publish());
        assertEquals(List.of(2L), s.seqs());
        assertEquals(List.of(), s.violations());
        assertEquals(
                1.0,
                d.registry
                        .get("stepcast.resumes")
                        .tag("result", "recovered")
                        .counter()
                        .count());
    }

    @Test
    void clientThatWatchedAnEmptyPlanRecoversFromSeqOne() {
        d.publish();
        d.publish();
        RecordingSubscriber s = new RecordingSubscriber();
        d.join(s, new Cursor(null, 0));
        d.settle();
        assertTrue(s.lastSubscribed().recovered());
        assertEquals(d.epoch, s.lastSubscribed().epoch());
        assertEquals(List.of(1L, 2L), s.seqs());
    }

    @Test
    void lastLeaveUnsubscribesAndAJoinDuringTheUnsubscribeSubscribesAgain() {
        RecordingSubscriber a = new RecordingSubscriber();
        d.join(a, null);
        d.settle();
        d.leave(a);
        assertEquals(PlanChannel.Bus.UNSUBSCRIBING, d.channel.bus());
        RecordingSubscriber b = new RecordingSubscriber();
        d.join(b, null);
        d.step(); // UNSUBSCRIBE confirmed: still wanted -> SUBSCRIBE again
        assertEquals(PlanChannel.Bus.SUBSCRIBING, d.channel.bus());
        d.settle();
        assertEquals(PlanChannel.Bus.SUBSCRIBED, d.channel.bus());
        assertFalse(d.retired);
        assertEquals(0, b.lastSubscribed().seq());
        d.leave(b);
        d.settle();
        assertEquals(PlanChannel.Bus.IDLE, d.channel.bus());
        assertTrue(d.retired);
        assertNull(d.channel.join(a, null));
    }

    @Test
    void leaveWhileTheSubscribeIsInFlightUnsubscribesOnceConfirmed() {
        RecordingSubscriber a = new RecordingSubscriber();
        d.join(a, null);
        d.leave(a);
        d.settle();
        assertTrue(d.retired);
        assertEquals(List.of(), a.subscribed());
    }

    @Test
    void subscriberThatCannotKeepUpIsDroppedWhileOthersContinue() {
        RecordingSubscriber slow = new RecordingSubscriber();
        RecordingSubscriber ok = new RecordingSubscriber();
        d.join(slow, null);
        d.join(ok, null);
        d.settle();
        d.receive(d.publish());
        slow.refuse();
        d.receive(d.publish());
        d.receive(d.publish());
        assertEquals(List.of(new Action.Drop(slow)), d.failures);
        assertEquals(range(1, 3), ok.seqs());
        assertEquals(1, d.channel.size());
    }

    @Test
    void reconnectReconfirmsTheSubscriptionAndCatchesUpFromTheLog() {
        RecordingSubscriber a = new RecordingSubscriber();
        d.join(a, null);
        d.settle();
        d.receive(d.publish());
        d.queue(d.channel.onBusDown());
        d.publish(); // published while the pub/sub connection was down: lost
        d.publish();
        assertEquals(PlanChannel.Bus.SUBSCRIBING, d.channel.bus());
        d.settle();
        assertEquals(range(1, 3), a.seqs());
        assertEquals(PlanStream.Mode.LIVE, d.channel.mode());
    }

    @Test
    void reconnectAfterRedisLostEverythingResetsToAnEmptyPlan() {
        RecordingSubscriber a = new RecordingSubscriber();
        d.join(a, null);
        d.settle();
        d.receive(d.publish());
        d.queue(d.channel.onBusDown());
        d.expire();
        d.settle();
        assertEquals(2, a.subscribed().size());
        assertNull(a.lastSubscribed().epoch());
        assertEquals(0, a.lastSubscribed().seq());
        d.receive(d.publish());
        assertEquals(List.of(1L, 1L), a.seqs());
        assertEquals(List.of(), a.violations());
    }

    @Test
    void overflowOfHeldFramesIsReReadFromTheLog() {
        RecordingSubscriber a = new RecordingSubscriber();
        d.join(a, null);
        d.settle();
        d.receive(d.publish());
        d.publish(); // lost
        for (int i = 0; i < HubConfig.defaults().holdMaxFrames() + 5; i++) {
            d.receive(d.publish()); // first one starts a repair, the rest are held until they overflow
        }
        d.settle();
        assertEquals(range(1, d.head()), a.seqs());
    }

    @Test
    void framesBeyondThePlansHeadThatTheBridgeNeverWroteDoNotLoopForever() {
        RecordingSubscriber a = new RecordingSubscriber();
        d.join(a, null);
        d.settle();
        d.receive(d.publish());
        d.receive(ChannelDriver.frame("p-1", 50, d.epoch)); // forged: no such seq in the log
        d.settle();
        assertEquals(PlanStream.Mode.LIVE, d.channel.mode());
        d.receive(d.publish());
        assertEquals(List.of(1L, 2L), a.seqs());
    }
}
