package io.stepcast.gateway.http;

import io.micronaut.http.sse.Event;
import io.stepcast.gateway.hub.Cursor;
import io.stepcast.gateway.hub.HubFailure;
import io.stepcast.gateway.hub.PlanHub;
import io.stepcast.gateway.hub.SharedFrame;
import io.stepcast.gateway.hub.SubscribeResult;
import io.stepcast.gateway.hub.Subscriber;
import io.stepcast.gateway.protocol.ErrorCode;
import io.stepcast.gateway.protocol.ServerFrame;
import io.stepcast.gateway.protocol.ServerFrameEncoder;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One Server-Sent Events stream of one plan: a {@link Subscriber} of the instance's {@link PlanHub}
 * (sharing the plan's one Redis subscription and its resume core) and the reactive
 * {@link Publisher} Micronaut writes to the socket.
 *
 * <p>Stream: {@code event: subscribed} (with a {@code retry:} hint), then either
 * {@code event: snapshot} or the replayed events, then live events; {@code : ping} comments every
 * heartbeat. Every event and snapshot carries {@code id: <epoch>:<seq>}, so a reconnecting
 * {@code EventSource} resumes with {@code Last-Event-ID}.
 *
 * <p>Buffering: Micronaut requests items only while the socket is writable, so frames queue here
 * only when the client is not reading and the socket's buffer (Netty high watermark) is full. The
 * queue is bounded by {@code maxPendingBytes}: past it the stream is failed, the connection closed
 * (a slow consumer) and the client resumes from its last id. Memory never grows with a stalled client.
 *
 * <p>Threading: hub callbacks (Redis I/O threads), {@code request}/{@code cancel} (event loop) and the
 * heartbeat timer race; queue state is guarded by {@code lock}; emission to the downstream subscriber
 * is serialized by a work-in-progress counter and never happens while holding {@code lock}.
 */
final class SseStream implements Publisher<Event<byte[]>>, Subscription, Subscriber {

    /** Overhead counted per queued item besides its data (id, event name, framing). */
    private static final int ITEM_OVERHEAD = 96;
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final int SUBSCRIBE_RETURNED = 1;
    private static final int FINISHED = 2;

    private final String id = "sse-" + IDS.incrementAndGet();
    private final PlanHub hub;
    private final Executor executor;
    private final ScheduledExecutorService timers;
    private final SseConfig config;
    private final HttpMetrics metrics;
    private final String planId;
    private final Cursor cursor;
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicInteger leaveState = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Runnable onClose;

    private final Object lock = new Object();
    // guarded by lock
    private org.reactivestreams.Subscriber<? super Event<byte[]>> downstream;
    private final ArrayDeque<Event<byte[]>> queue = new ArrayDeque<>();
    private long pendingBytes;
    private long demand;
    private boolean terminated;      // nothing more is enqueued
    private boolean completeAfterQueue;
    private Throwable failure;       // delivered at once, queue discarded
    private boolean terminalSent;
    private boolean cancelled;
    private SubscribeResult start;
    private boolean snapshotSeen;
    private ScheduledFuture<?> heartbeat;

    SseStream(PlanHub hub, Executor executor, ScheduledExecutorService timers, SseConfig config,
              HttpMetrics metrics, String planId, Cursor cursor, Runnable onClose) {
        this.hub = hub;
        this.executor = executor;
        this.timers = timers;
        this.config = config;
        this.metrics = metrics;
        this.planId = planId;
        this.cursor = cursor;
        this.onClose = onClose;
    }

    // ---- Publisher / Subscription (Micronaut's side)

    @Override
    public void subscribe(org.reactivestreams.Subscriber<? super Event<byte[]>> subscriber) {
        synchronized (lock) {
            if (downstream != null) {
                subscriber.onSubscribe(new Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                subscriber.onError(new IllegalStateException("an SSE stream has one subscriber"));
                return;
            }
            downstream = subscriber;
        }
        subscriber.onSubscribe(this);
        if (closed.get()) { // released by closeIfNeverSubscribed before Micronaut got here
            subscriber.onError(new StreamClosedException("the stream was released before it started; reconnect"));
            return;
        }
        long period = config.heartbeat().toMillis();
        ScheduledFuture<?> beat = timers.scheduleAtFixedRate(this::heartbeat, period, period, TimeUnit.MILLISECONDS);
        synchronized (lock) {
            if (terminated) {
                beat.cancel(false);
            } else {
                heartbeat = beat;
            }
        }
        try {
            hub.subscribe(this, planId, cursor);
        } catch (RuntimeException e) {
            fail(new StreamClosedException("could not subscribe: " + e.getMessage()));
        }
        if (leaveState.getAndUpdate(s -> s | SUBSCRIBE_RETURNED) == FINISHED) {
            hub.unsubscribe(this, planId);
        }
    }

    @Override
    public void request(long n) {
        if (n <= 0) {
            fail(new IllegalArgumentException("request must be positive (rule 3.9)"));
            return;
        }
        synchronized (lock) {
            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        }
        drain();
    }

    @Override
    public void cancel() {
        synchronized (lock) {
            cancelled = true;
            terminated = true;
            queue.clear();
            pendingBytes = 0;
        }
        close();
    }

    // ---- Subscriber (the hub's side)

    @Override
    public String id() {
        return id;
    }

    @Override
    public void onSubscribed(SubscribeResult result) {
        synchronized (lock) {
            start = result;
            byte[] data = ServerFrameEncoder.encode(new ServerFrame.Subscribed(planId, result.epoch(), result.seq(),
                    result.recovered()));
            Event<byte[]> event = Event.of(data).name("subscribed").retry(config.retry());
            if (!result.recovered() && result.epoch() == null && result.seq() == 0) {
                event = event.id("0"); // a plan without events: resume from its very first event
            }
            enqueue(event);
        }
        drain();
    }

    @Override
    public void onSnapshot(String plan, byte[] stateJson) {
        synchronized (lock) {
            SnapshotPosition position = !snapshotSeen && start != null && !start.recovered()
                    ? new SnapshotPosition(start.epoch(), start.seq())
                    : SnapshotPosition.of(stateJson);
            snapshotSeen = true;
            byte[] data = ServerFrameEncoder.encode(new ServerFrame.Snapshot(planId, stateJson));
            enqueue(Event.of(data).name("snapshot").id(CursorParams.eventId(position.epoch(), position.seq())));
        }
        drain();
    }

    @Override
    public boolean onEvent(SharedFrame frame) {
        boolean keep;
        synchronized (lock) {
            keep = enqueue(Event.of(frame.bytes()).name(frame.event())
                    .id(CursorParams.eventId(frame.epoch(), frame.seq())));
        }
        drain();
        return keep;
    }

    @Override
    public void onFailed(String plan, HubFailure hubFailure) {
        synchronized (lock) {
            byte[] data = ServerFrameEncoder.encode(new ServerFrame.Error(ErrorCode.UNAVAILABLE,
                    "the plan's stream is unavailable (" + hubFailure.name().toLowerCase(java.util.Locale.ROOT)
                            + "); reconnect to resume", null));
            enqueue(Event.of(data).name("error"));
            terminated = true;
            completeAfterQueue = true;
        }
        drain();
    }

    @Override
    public void onDropped(String plan) {
        fail(new StreamClosedException("slow consumer: the stream fell behind; reconnect to resume"));
    }

    /**
     * Releases a stream Micronaut never subscribed to (the client went away before the response
     * started), so it cannot leak its registration and gauge.
     */
    void closeIfNeverSubscribed() {
        synchronized (lock) {
            if (downstream != null) {
                return;
            }
            terminated = true;
            cancelled = true;
        }
        close();
    }

    /** Ends the stream after what is queued, with a {@code reconnect} event (graceful drain). */
    void drainAndComplete(long afterMs) {
        synchronized (lock) {
            if (terminated) {
                return;
            }
            enqueue(Event.of(ServerFrameEncoder.encode(new ServerFrame.Reconnect("shutdown", afterMs))).name("reconnect"));
            terminated = true;
            completeAfterQueue = true;
        }
        drain();
    }

    // ---- internals

    /** Queues an item; false (and the stream failed) when the pending bound is passed. Holds lock. */
    private boolean enqueue(Event<byte[]> event) {
        if (terminated) {
            return true;
        }
        queue.add(event);
        pendingBytes += event.getData().length + ITEM_OVERHEAD;
        if (pendingBytes > config.maxPendingBytes()) {
            metrics.sseSlowConsumerClosed();
            failLocked(new StreamClosedException("slow consumer: more than " + config.maxPendingBytes()
                    + " bytes pending; reconnect with Last-Event-ID to resume"));
            return false;
        }
        return true;
    }

    private void heartbeat() {
        synchronized (lock) {
            if (terminated || !queue.isEmpty()) {
                return;
            }
            enqueue(Event.of(new byte[0]).comment("ping"));
        }
        drain();
    }

    private void fail(Throwable error) {
        synchronized (lock) {
            failLocked(error);
        }
        drain();
    }

    private void failLocked(Throwable error) {
        if (failure == null && !cancelled && !terminalSent) {
            failure = error;
        }
        terminated = true;
        queue.clear();
        pendingBytes = 0;
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            while (true) {
                org.reactivestreams.Subscriber<? super Event<byte[]>> d;
                Event<byte[]> next = null;
                Throwable error = null;
                boolean complete = false;
                synchronized (lock) {
                    d = downstream;
                    if (d == null || cancelled || terminalSent) {
                        break;
                    }
                    if (failure != null) {
                        error = failure;
                        terminalSent = true;
                    } else if (demand > 0 && !queue.isEmpty()) {
                        next = queue.poll();
                        pendingBytes -= next.getData().length + ITEM_OVERHEAD;
                        demand--;
                    } else if (completeAfterQueue && queue.isEmpty()) {
                        complete = true;
                        terminalSent = true;
                    } else {
                        break;
                    }
                }
                if (error != null) {
                    close();
                    d.onError(error);
                    break;
                }
                if (complete) {
                    close();
                    d.onComplete();
                    break;
                }
                d.onNext(next);
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    /** Releases the stream's resources once: heartbeat, hub subscription, gauge. */
    private void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ScheduledFuture<?> beat;
        synchronized (lock) {
            terminated = true;
            beat = heartbeat;
        }
        if (beat != null) {
            beat.cancel(false);
        }
        if (leaveState.getAndUpdate(s -> s | FINISHED) == SUBSCRIBE_RETURNED) {
            executor.execute(() -> hub.unsubscribe(this, planId));
        }
        onClose.run();
    }

    /** Ends a stream whose client must reconnect; stackless: it is an expected outcome, not a bug. */
    static final class StreamClosedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StreamClosedException(String message) {
            super(message, null, false, false);
        }
    }

    @Override
    public String toString() {
        return "SseStream[" + id + " " + planId + "]";
    }

    /** For tests and metrics: bytes queued right now. */
    long pendingBytes() {
        synchronized (lock) {
            return pendingBytes;
        }
    }
}
