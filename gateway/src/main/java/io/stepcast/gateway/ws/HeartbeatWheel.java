package io.stepcast.gateway.ws;

import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The heartbeat of every connection on one event loop, driven by one timer.
 *
 * <p>Why: a timer per connection costs a {@code ScheduledFutureTask} (and its lambda) per connection
 * and keeps the loop's scheduled-task heap as large as the connection count. Here the connections
 * are dealt round-robin over {@code slots} buckets; one fixed-rate task visits one bucket per tick,
 * so every connection is visited once per heartbeat interval, the first time within one interval of
 * joining. Dealing (rather than filing by join time, as a timer per connection does) spreads the
 * pings of a connection storm evenly over the interval instead of sending them all in one burst an
 * interval later. A connection costs one array slot.
 *
 * <p>Precision: a connection's first visit comes within one interval of {@link #add}, then one
 * interval apart; the silence limit is checked on every visit, so a silent connection is closed
 * within one interval after the limit.
 *
 * <p>Threading: confined to its event loop ({@link #add}, {@link #remove} and the visits run there;
 * calls from elsewhere are handed to the loop), so no locking. A closed connection is removed by
 * {@link #remove} (close callback) or, failing that, dropped by its next visit
 * ({@link WsConnection#beat} returns false).
 */
final class HeartbeatWheel implements Runnable {

    /** Upper bound of the bucket count: ticks are at least interval / 64 apart. */
    static final int MAX_SLOTS = 64;
    /** Target tick: about one bucket per second for the default 25 s interval. */
    private static final long TARGET_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final EventLoop loop;
    private final LongSupplier clock;
    private final long tickNanos;
    private final ArrayList<WsConnection>[] slots;
    /** The bucket the next tick visits; event loop only. */
    private int cursor;
    /** The bucket the next added connection goes to (round-robin); event loop only. */
    private int deal;

    private boolean started;

    HeartbeatWheel(EventLoop loop, long intervalNanos) {
        this(loop, intervalNanos, System::nanoTime);
    }

    /** With the clock that {@link WsConnection#beat} compares against (tests drive both). */
    @SuppressWarnings("unchecked")
    HeartbeatWheel(EventLoop loop, long intervalNanos, LongSupplier clock) {
        this.loop = loop;
        this.clock = clock;
        int n = (int) Math.max(1, Math.min(MAX_SLOTS, intervalNanos / TARGET_TICK_NANOS));
        this.tickNanos = Math.max(1, intervalNanos / n);
        this.slots = new ArrayList[n];
        for (int i = 0; i < n; i++) {
            slots[i] = new ArrayList<>();
        }
    }

    /** Number of buckets (one is visited per tick). */
    int slotCount() {
        return slots.length;
    }

    /** Starts beating for the connection. */
    void add(WsConnection connection) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> add(connection));
            return;
        }
        int slot = deal;
        deal = (deal + 1) % slots.length;
        connection.heartbeatSlot = slot;
        slots[slot].add(connection);
        if (!started) {
            started = true;
            loop.scheduleAtFixedRate(this, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Stops beating for the connection (it closed); a no-op when it is not on this wheel. */
    void remove(WsConnection connection) {
        if (!loop.inEventLoop()) {
            loop.execute(() -> remove(connection));
            return;
        }
        int slot = connection.heartbeatSlot;
        if (slot >= 0 && slot < slots.length) {
            ArrayList<WsConnection> list = slots[slot];
            int i = list.indexOf(connection);
            if (i >= 0) {
                removeAt(list, i);
            }
        }
        connection.heartbeatSlot = -1;
    }

    /** One tick: beats every connection of the current bucket, dropping the closed ones. */
    @Override
    public void run() {
        ArrayList<WsConnection> slot = slots[cursor];
        cursor = (cursor + 1) % slots.length;
        long now = clock.getAsLong();
        for (int i = slot.size() - 1; i >= 0; i--) {
            if (i >= slot.size()) {
                continue; // a close callback removed connections meanwhile
            }
            boolean keep;
            try {
                keep = slot.get(i).beat(now);
            } catch (RuntimeException e) {
                keep = false;
                slot.get(i).failed(e);
            }
            if (!keep) {
                slot.get(i).heartbeatSlot = -1;
                removeAt(slot, i);
            }
        }
    }

    /** Swap-remove: order within a bucket does not matter. */
    private static void removeAt(ArrayList<WsConnection> list, int i) {
        int last = list.size() - 1;
        list.set(i, list.get(last));
        list.remove(last);
    }
}
