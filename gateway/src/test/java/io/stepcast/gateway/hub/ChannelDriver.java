package io.stepcast.gateway.hub;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.stepcast.gateway.protocol.Cursor;
import io.stepcast.gateway.redis.LogPage;
import io.stepcast.gateway.redis.PlanSnapshot;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Drives one {@link PlanChannel} without Redis for state-machine tests: an in-memory model of the
 * plan's keys (meta, log, state) answers the channel's reads when the test says so, and the test
 * decides which published frames reach the channel "over pub/sub" and when.
 */
final class ChannelDriver {

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final PlanChannel channel;
    final String planId;
    /** Reads and bus commands the channel asked for, not yet answered. */
    final Deque<Action> pending = new ArrayDeque<>();

    final List<Action> failures = new ArrayList<>();
    boolean retired;

    // the plan in "Redis"
    String epoch;
    final List<byte[]> log = new ArrayList<>(); // index = seq - 1
    long trimmedUpTo; // entries with seq <= this are gone
    int epochs;

    ChannelDriver(String planId) {
        this.planId = planId;
        this.channel = new PlanChannel(planId, HubConfig.defaults(), new HubMetrics(registry), c -> retired = true);
    }

    // ------------------------------------------------------------------ the plan in Redis

    /** Publishes the next event (creating the epoch if needed); returns its frame. */
    byte[] publish() {
        if (epoch == null) {
            epoch = "epoch" + (++epochs)
                    + "aaaaaa".substring(0, 7 - String.valueOf(epochs).length());
        }
        long seq = log.size() + 1;
        byte[] frame = frame(planId, seq, epoch);
        log.add(frame);
        return frame;
    }

    /** Deletes the plan's keys (expiry): the next publish starts a new epoch at seq 1. */
    void expire() {
        epoch = null;
        log.clear();
        trimmedUpTo = 0;
    }

    long head() {
        return log.size();
    }

    static byte[] frame(String planId, long seq, String epoch) {
        return ("{\"type\":\"event\",\"plan_id\":\"" + planId + "\",\"seq\":" + seq + ",\"epoch\":\"" + epoch
                        + "\",\"event\":\"step_output\",\"ts\":\"2026-01-01T00:00:00.000Z\",\"data\":{\"n\":" + seq
                        + "}}")
                .getBytes(StandardCharsets.UTF_8);
    }

    PlanSnapshot snapshot() {
        return new PlanSnapshot(epoch, head(), epoch == null ? null : ("{\"seq\":" + head() + "}").getBytes());
    }

    LogPage page(long after, int limit) {
        List<LogPage.LogEntry> entries = new ArrayList<>();
        for (long s = Math.max(after + 1, trimmedUpTo + 1); s <= head() && entries.size() < limit; s++) {
            entries.add(new LogPage.LogEntry(s, log.get((int) s - 1)));
        }
        return new LogPage(epoch, head(), entries);
    }

    // ------------------------------------------------------------------ the channel

    void join(Subscriber s, Cursor cursor) {
        queue(channel.join(s, cursor));
    }

    void leave(Subscriber s) {
        queue(channel.leave(s));
    }

    /** Delivers a published frame over "pub/sub". */
    void receive(byte[] frame) {
        queue(channel.onFrame(Frames.parse(frame)));
    }

    void queue(List<Action> actions) {
        for (Action a : actions) {
            if (a instanceof Action.Deadline) {
                continue; // timers are not simulated
            }
            if (a instanceof Action.Fail || a instanceof Action.Drop) {
                failures.add(a);
            } else {
                pending.add(a);
            }
        }
    }

    /** Answers the oldest pending request with the plan's current state; false when none. */
    boolean step() {
        Action a = pending.poll();
        if (a == null) {
            return false;
        }
        if (a instanceof Action.Subscribe) {
            queue(channel.onBusSubscribed());
        } else if (a instanceof Action.Unsubscribe) {
            queue(channel.onBusUnsubscribed());
        } else if (a instanceof Action.ReadSnapshot r) {
            queue(channel.onSnapshot(r.token(), r.forJoiners(), snapshot()));
        } else if (a instanceof Action.ReadLog r) {
            queue(channel.onLog(r.token(), r.joiner(), page(r.after(), 1000)));
        } else if (a instanceof Action.Retry) {
            queue(channel.onRetry());
        }
        return true;
    }

    /** Answers requests until none is left. */
    void settle() {
        int guard = 0;
        while (step()) {
            if (++guard > 10_000) {
                throw new AssertionError("channel does not settle: " + channel + " pending " + pending);
            }
        }
    }

    double counter(String name) {
        return registry.find(name).counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
    }
}
