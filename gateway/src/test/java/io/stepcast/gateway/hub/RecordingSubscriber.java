package io.stepcast.gateway.hub;

import io.stepcast.gateway.redis.PlanSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link Subscriber} that records what it receives, for hub tests (unit and IT). It checks the
 * delivery contract as it goes: after {@code onSubscribed(seq)} (and a snapshot), events of one
 * plan must arrive as seq+1, seq+2, … with the subscribed epoch; any violation is recorded in
 * {@link #violations()}.
 */
class RecordingSubscriber implements Subscriber {

    private static final AtomicInteger IDS = new AtomicInteger();

    private final String id = "rec-" + IDS.incrementAndGet();
    private final List<SubscribeResult> subscribed = new ArrayList<>();
    private final List<String> snapshots = new ArrayList<>();
    private final List<Long> seqs = new ArrayList<>();
    private final List<String> violations = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final List<String> dropped = new ArrayList<>();
    private volatile boolean accept = true;
    private String epoch;
    private long expected = -1;

    @Override
    public String id() {
        return id;
    }

    /** From now on, onEvent returns false ("cannot keep up"). */
    void refuse() {
        accept = false;
    }

    @Override
    public synchronized void onSubscribed(SubscribeResult result) {
        subscribed.add(result);
        epoch = result.epoch();
        expected = result.seq() + 1;
    }

    @Override
    public synchronized void onSnapshot(String planId, PlanSnapshot snapshot) {
        snapshots.add(new String(snapshot.state()));
        SubscribeResult last = subscribed.isEmpty() ? null : subscribed.get(subscribed.size() - 1);
        if (last == null
                || last.recovered()
                || !Objects.equals(last.epoch(), snapshot.epoch())
                || last.seq() != snapshot.seq()) {
            violations.add("snapshot at " + snapshot.epoch() + "#" + snapshot.seq() + " after " + last);
        }
    }

    @Override
    public synchronized boolean onEvent(SharedFrame frame) {
        if (!accept) {
            return false;
        }
        if (expected < 0) {
            violations.add("event " + frame + " before onSubscribed");
        } else if (frame.seq() != expected) {
            violations.add("expected seq " + expected + " got " + frame);
        } else if (epoch != null && !epoch.equals(frame.epoch())) {
            violations.add("epoch " + epoch + " expected, got " + frame);
        }
        if (epoch == null) {
            epoch = frame.epoch();
        }
        expected = frame.seq() + 1;
        seqs.add(frame.seq());
        return true;
    }

    @Override
    public synchronized void onFailed(String planId, HubFailure failure) {
        failures.add(planId + ":" + failure);
    }

    @Override
    public synchronized void onDropped(String planId) {
        dropped.add(planId);
    }

    synchronized List<SubscribeResult> subscribed() {
        return List.copyOf(subscribed);
    }

    synchronized SubscribeResult lastSubscribed() {
        return subscribed.isEmpty() ? null : subscribed.get(subscribed.size() - 1);
    }

    synchronized List<String> snapshots() {
        return List.copyOf(snapshots);
    }

    /** Every seq received, in order (across restarts). */
    synchronized List<Long> seqs() {
        return List.copyOf(seqs);
    }

    /** The epoch of the stream: from the last onSubscribed, or the first event after an empty start. */
    synchronized String currentEpoch() {
        return epoch;
    }

    synchronized int eventCount() {
        return seqs.size();
    }

    /** The last seq this subscriber covers (snapshot/cursor position or last event). */
    synchronized long position() {
        return expected - 1;
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    synchronized List<String> failures() {
        return List.copyOf(failures);
    }

    synchronized List<String> dropped() {
        return List.copyOf(dropped);
    }

    @Override
    public String toString() {
        return id;
    }
}
