package io.stepcast.gateway.http;

import io.micronaut.http.sse.Event;
import io.netty.channel.Channel;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/**
 * The demand-driven, bounded queue between an SSE stream's producers (hub callbacks, heartbeat
 * timer) and Micronaut, which subscribes once and requests items only while the socket is writable.
 *
 * <p>Bound: items wait here only while the downstream has no demand; past {@code maxPendingBytes}
 * the outbox fails (queue discarded, {@code onError} delivered at once, so Micronaut closes the
 * connection) and {@link #offer} answers false. {@link #ready}/{@link #whenReady} let the hub offer a
 * resume's backlog only as the client takes it (replay pacing).
 *
 * <p>Threading: producers, {@code request}/{@code cancel} and the subscriber race freely; the queue
 * ({@link PendingEvents}) is guarded by {@code lock}; downstream signals are serialized by a
 * work-in-progress counter and never sent while holding {@code lock}. {@code onStart} runs once, on
 * the subscribing thread, after {@code onSubscribe}; {@code onEnd} runs once when the stream ends
 * (cancel, error, completion or release).
 */
final class SseOutbox implements Publisher<Event<byte[]>>, Subscription {

    /** Overhead counted per queued item besides its data (id, event name, framing). */
    static final int ITEM_OVERHEAD = 96;

    /** Below this many queued bytes a replay may offer more ({@link #ready}). */
    static final long READY_BYTES = 64 * 1024;

    private final long maxPendingBytes;
    private final Runnable onStart;
    private final Runnable onEnd;
    private final AtomicInteger wip = new AtomicInteger();
    private final AtomicBoolean ended = new AtomicBoolean();

    /** The connection, for Netty's part of the pending output and for a cut; null when unknown. */
    private volatile Channel channel;

    private final Object lock = new Object();
    // guarded by lock
    private Subscriber<? super Event<byte[]>> downstream;
    private final PendingEvents queue = new PendingEvents();
    private long demand;
    private boolean closedForInput; // nothing more is queued
    private boolean completeAfterQueue;
    private Throwable failure; // delivered at once, queue discarded
    private boolean terminalSent;
    private boolean cancelled;

    SseOutbox(long maxPendingBytes, Runnable onStart, Runnable onEnd) {
        this.maxPendingBytes = maxPendingBytes;
        this.onStart = onStart;
        this.onEnd = onEnd;
    }

    @Override
    public void subscribe(Subscriber<? super Event<byte[]>> subscriber) {
        synchronized (lock) {
            if (downstream != null) {
                subscriber.onSubscribe(new Subscription() {
                    @Override
                    public void request(long n) {}

                    @Override
                    public void cancel() {}
                });
                subscriber.onError(new IllegalStateException("an SSE stream has one subscriber"));
                return;
            }
            downstream = subscriber;
        }
        subscriber.onSubscribe(this);
        if (ended.get()) { // released before Micronaut got here
            subscriber.onError(
                    new SseStream.StreamClosedException("the stream was released before it started; reconnect"));
            return;
        }
        onStart.run();
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
            closedForInput = true;
            queue.clear();
        }
        end();
    }

    /**
     * Queues an item; false when the bound was passed by it (the outbox then fails with
     * {@code overflow}). Items offered after the outbox closed are dropped and answer true.
     */
    boolean offer(Event<byte[]> item, Throwable overflow) {
        boolean accepted;
        synchronized (lock) {
            if (closedForInput) {
                return true;
            }
            accepted = queue.add(item) <= maxPendingBytes;
            if (!accepted) {
                failLocked(overflow);
            }
        }
        drain();
        return accepted;
    }

    /** Queues {@code item} only when nothing is waiting (heartbeats). */
    void offerIfIdle(Event<byte[]> item) {
        synchronized (lock) {
            if (closedForInput || !queue.isEmpty()) {
                return;
            }
        }
        offer(item, new SseStream.StreamClosedException("unreachable"));
    }

    /** Queues a last item, then completes once the queue is written. */
    void finish(Event<byte[]> last) {
        synchronized (lock) {
            if (closedForInput) {
                return;
            }
            queue.add(last);
            closedForInput = true;
            completeAfterQueue = true;
        }
        drain();
    }

    /** Fails at once: the queue is discarded and the error delivered (the connection closes). */
    void fail(Throwable error) {
        synchronized (lock) {
            failLocked(error);
        }
        drain();
    }

    /** Ends a stream that was never subscribed to; false when it is (or was) subscribed. */
    boolean releaseIfNotStarted() {
        synchronized (lock) {
            if (downstream != null) {
                return false;
            }
            cancelled = true;
            closedForInput = true;
        }
        end();
        return true;
    }

    /** Replay pacing: true while little is queued (a hint; any thread, lock-free). */
    boolean ready() {
        return queue.bytesHint() < READY_BYTES;
    }

    /** Replay pacing: runs {@code resume} once the queue is below {@link #READY_BYTES}; never once ended. */
    void whenReady(Runnable resume) {
        synchronized (lock) {
            if (closedForInput) {
                return;
            }
            if (queue.bytes() >= READY_BYTES) {
                queue.await(resume);
                return;
            }
        }
        resume.run();
    }

    long pendingBytes() {
        synchronized (lock) {
            return queue.bytes();
        }
    }

    /** The connection this stream is written to (for the output budget); once, before it starts. */
    void bind(Channel channel) {
        this.channel = channel;
    }

    /** The connection this stream is written to, or null when unknown. */
    Channel channel() {
        return channel;
    }

    /** True once nothing more is queued (failed, finishing, cancelled or ended). */
    boolean isEnding() {
        synchronized (lock) {
            return closedForInput;
        }
    }

    private void failLocked(Throwable error) {
        if (failure == null && !cancelled && !terminalSent) {
            failure = error;
        }
        closedForInput = true;
        queue.clear();
    }

    private void drain() {
        if (wip.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            while (true) {
                Subscriber<? super Event<byte[]>> d;
                Event<byte[]> next = null;
                List<Runnable> resume = null;
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
                        demand--;
                        resume = queue.takeWaitersBelow(READY_BYTES);
                    } else if (completeAfterQueue && queue.isEmpty()) {
                        complete = true;
                        terminalSent = true;
                    } else {
                        break;
                    }
                }
                if (error != null) {
                    end();
                    d.onError(error);
                    break;
                }
                if (complete) {
                    end();
                    d.onComplete();
                    break;
                }
                d.onNext(next);
                if (resume != null) {
                    resume.forEach(Runnable::run); // may offer more: drain() re-enters through wip
                }
            }
            missed = wip.addAndGet(-missed);
        } while (missed != 0);
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            synchronized (lock) {
                closedForInput = true;
            }
            onEnd.run();
        }
    }
}
