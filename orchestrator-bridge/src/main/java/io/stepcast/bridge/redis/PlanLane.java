package io.stepcast.bridge.redis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The per-plan queue that keeps a plan's events in order: at most one script call (a "flight") of a
 * plan is outstanding at a time, including while it waits for a retry; submissions that arrive
 * meanwhile queue behind it and leave together in the next flight. All fields are guarded by the
 * lane's monitor.
 */
final class PlanLane {

    final String planId;
    final byte[][] keys;
    /** Submissions not yet in a flight, in publish order. */
    final ArrayDeque<Submission> queue = new ArrayDeque<>();
    /** The outstanding flight, or null when idle. Invariant: busy == (flight != null). */
    Flight flight;
    /** Consecutive failed attempts of the current flight. */
    int failures;
    /** Set when the lane was removed from the publisher's map; a retired lane accepts nothing. */
    boolean retired;

    PlanLane(String planId, byte[][] keys) {
        this.planId = planId;
        this.keys = keys;
    }

    boolean busy() {
        return flight != null;
    }

    /** Takes the first queued submission and as many following ones as fit in {@code maxEvents}. */
    List<Submission> takeBatch(int maxEvents) {
        List<Submission> batch = new ArrayList<>();
        int events = 0;
        while (!queue.isEmpty()) {
            Submission next = queue.peekFirst();
            if (!batch.isEmpty() && events + next.events.size() > maxEvents) {
                break;
            }
            batch.add(queue.pollFirst());
            events += next.events.size();
        }
        return batch;
    }

    /** One script call carrying whole submissions of one plan; its args are reused by retries. */
    static final class Flight {
        final PlanLane lane;
        final List<Submission> submissions;
        final List<EncodedEvent> events;
        byte[][] args;

        Flight(PlanLane lane, List<Submission> submissions) {
            this.lane = lane;
            this.submissions = submissions;
            List<EncodedEvent> all = new ArrayList<>();
            for (Submission s : submissions) {
                all.addAll(s.events);
            }
            this.events = all;
        }
    }
}
