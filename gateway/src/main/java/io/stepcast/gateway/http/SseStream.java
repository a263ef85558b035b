package io.stepcast.gateway.http;

import io.micronaut.http.sse.Event;
import io.stepcast.gateway.hub.FilteredDelivery;
import io.stepcast.gateway.hub.HubFailure;
import io.stepcast.gateway.hub.PlanHub;
import io.stepcast.gateway.hub.SharedFrame;
import io.stepcast.gateway.hub.SubscribeResult;
import io.stepcast.gateway.hub.Subscriber;
import io.stepcast.gateway.protocol.Cursor;
import io.stepcast.gateway.protocol.ErrorCode;
import io.stepcast.gateway.protocol.EventFilter;
import io.stepcast.gateway.protocol.ServerFrame;
import io.stepcast.gateway.protocol.ServerFrameEncoder;
import io.stepcast.gateway.redis.PlanSnapshot;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.reactivestreams.Publisher;

/**
 * One Server-Sent Events stream of one plan: a {@link Subscriber} of the instance's {@link PlanHub}
 * (sharing the plan's one Redis subscription and its resume core) feeding an {@link SseOutbox} that
 * Micronaut writes to the socket.
 *
 * <p>Stream: {@code event: subscribed} (with a {@code retry:} hint), then either
 * {@code event: snapshot} or the replayed events, then live events; {@code : ping} comments every
 * heartbeat while idle. Every event and snapshot carries {@code id: <epoch>:<seq>}, so a reconnecting
 * {@code EventSource} resumes with {@code Last-Event-ID}.
 *
 * <p>Buffering: frames queue only while the client is not reading and its socket buffer (Netty high
 * watermark) is full, bounded by {@code stepcast.http.sse.max-pending-bytes}: past it the stream is
 * failed, the connection closed (a slow consumer, counted) and the hub told, and the client resumes
 * from its last id. Memory never grows with a stalled client.
 *
 * <p>Threading: hub callbacks run on Redis I/O threads, the heartbeat on the HTTP timer; both only
 * queue into the outbox. Joining and leaving the hub is a {@link HubMembership}.
 */
final class SseStream implements Subscriber, FilteredDelivery.Sink, AdmittedStream {

    private static final AtomicInteger IDS = new AtomicInteger();

    private final String id = "sse-" + IDS.incrementAndGet();
    private final ScheduledExecutorService timers;
    private final SseConfig config;
    private final HttpMetrics metrics;
    private final String planId;
    private final Cursor cursor;
    private final Runnable onClose;
    private final SseOutbox outbox;
    private final HubMembership membership;
    /** The stream's event filter and skip cursor; null = every event (the shared path, untouched). */
    private final FilteredDelivery filtered;

    // guarded by this; never held while calling into the outbox
    private ScheduledFuture<?> heartbeat;

    private boolean ended;

    SseStream(
            PlanHub hub,
            Executor executor,
            ScheduledExecutorService timers,
            SseConfig config,
            HttpMetrics metrics,
            String planId,
            Cursor cursor,
            EventFilter filter,
            Runnable onClose) {
        this.timers = timers;
        this.config = config;
        this.metrics = metrics;
        this.planId = planId;
        this.cursor = cursor;
        this.filtered = filter == null ? null : new FilteredDelivery(planId, filter);
        this.onClose = onClose;
        this.outbox = new SseOutbox(config.maxPendingBytes(), this::begin, this::end);
        this.membership = new HubMembership(hub, executor, this, planId);
    }

    @Override
    public Publisher<Event<byte[]>> publisher() {
        return outbox;
    }

    @Override
    public SseOutbox outbox() {
        return outbox;
    }

    /** Micronaut subscribed: start the heartbeat and join the plan. */
    private void begin() {
        long period = config.heartbeat().toMillis();
        ScheduledFuture<?> beat = timers.scheduleAtFixedRate(this::beat, period, period, TimeUnit.MILLISECONDS);
        synchronized (this) {
            if (ended) {
                beat.cancel(false);
            } else {
                heartbeat = beat;
            }
        }
        membership.join(cursor, message -> outbox.fail(new StreamClosedException(message)));
    }

    /** Heartbeat: the pending skip of a filtered stream, and a ping comment when idle. */
    private void beat() {
        if (filtered != null) {
            filtered.flushIdle(this);
        }
        outbox.offerIfIdle(Event.of(new byte[0]).comment("ping"));
    }

    /** The stream ended (cancel, failure, completion, release): stop the heartbeat, leave the hub. */
    private void end() {
        ScheduledFuture<?> beat;
        synchronized (this) {
            ended = true;
            beat = heartbeat;
        }
        if (beat != null) {
            beat.cancel(false);
        }
        membership.leave();
        onClose.run();
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public void onSubscribed(SubscribeResult result) {
        byte[] data = ServerFrameEncoder.encode(
                new ServerFrame.Subscribed(planId, result.epoch(), result.seq(), result.recovered()));
        Event<byte[]> event = Event.of(data).name("subscribed").retry(config.retry());
        if (!result.recovered() && result.epoch() == null && result.seq() == 0) {
            event = event.id("0"); // a plan without events: resume from its very first event
        }
        if (filtered == null) {
            offer(event);
        } else {
            Event<byte[]> announce = event;
            filtered.restart(() -> offer(announce));
        }
    }

    @Override
    public void onSnapshot(String plan, PlanSnapshot snapshot) {
        byte[] data = ServerFrameEncoder.encode(new ServerFrame.Snapshot(planId, snapshot.state()));
        offer(Event.of(data).name("snapshot").id(Cursor.eventId(snapshot.epoch(), snapshot.seq())));
    }

    @Override
    public boolean onEvent(SharedFrame frame) {
        return filtered == null ? event(frame) : filtered.offer(frame, this);
    }

    /** {@code event: skip} with the id {@code <epoch>:<through>}: a filtered stream's cursor moves on. */
    @Override
    public boolean skip(String plan, String epoch, long through) {
        byte[] data = ServerFrameEncoder.encode(new ServerFrame.Skip(planId, epoch, through));
        return offer(Event.of(data).name("skip").id(Cursor.eventId(epoch, through)));
    }

    /** The shared event frame, verbatim, with the id {@code <epoch>:<seq>}. */
    @Override
    public boolean event(SharedFrame frame) {
        return offer(Event.of(frame.bytes()).name(frame.event()).id(Cursor.eventId(frame.epoch(), frame.seq())));
    }

    /** Replay pacing: a resume's backlog is offered as the client reads it, not queued at once. */
    @Override
    public boolean ready() {
        return outbox.ready();
    }

    @Override
    public void whenReady(Runnable resume) {
        outbox.whenReady(resume);
    }

    @Override
    public void onFailed(String plan, HubFailure failure) {
        outbox.finish(Event.of(ServerFrameEncoder.encode(new ServerFrame.Error(
                        ErrorCode.UNAVAILABLE,
                        "the plan's stream is unavailable (" + failure.name().toLowerCase(Locale.ROOT)
                                + "); reconnect to resume",
                        null)))
                .name("error"));
    }

    @Override
    public void onDropped(String plan) {
        outbox.fail(new StreamClosedException("slow consumer: the stream fell behind; reconnect to resume"));
    }

    @Override
    public void finish(Event<byte[]> last) {
        outbox.finish(last);
    }

    @Override
    public void closeIfNeverSubscribed() {
        outbox.releaseIfNotStarted();
    }

    /** Bytes queued right now (tests). */
    long pendingBytes() {
        return outbox.pendingBytes();
    }

    private boolean offer(Event<byte[]> event) {
        boolean kept = outbox.offer(
                event,
                new StreamClosedException("slow consumer: more than " + config.maxPendingBytes()
                        + " bytes pending; reconnect with Last-Event-ID to resume"));
        if (!kept) {
            metrics.sseSlowConsumerClosed();
        }
        return kept;
    }

    /** Ends a stream whose client must reconnect; stackless: an expected outcome, not a bug. */
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
}
