package io.stepcast.gateway.http;

import io.micronaut.http.sse.Event;
import io.stepcast.gateway.index.IndexChange;
import io.stepcast.gateway.index.IndexFeed;
import io.stepcast.gateway.index.IndexSink;
import io.stepcast.gateway.index.IndexWatch;
import io.stepcast.gateway.protocol.Cursor;
import io.stepcast.gateway.protocol.ErrorCode;
import io.stepcast.gateway.protocol.ServerFrame;
import io.stepcast.gateway.protocol.ServerFrameEncoder;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;

/**
 * One SSE stream of the live plan index ({@code GET /api/plan-index/stream}): an {@link IndexWatch} feeding
 * an {@link SseOutbox}.
 *
 * <p>Stream: {@code event: plans} (with a {@code retry:} hint), then {@code plan_update} and
 * {@code plan_removed} events, each with {@code id: <epoch>:<seq>} of the index, so a reconnecting
 * {@code EventSource} resumes with {@code Last-Event-ID}; {@code plan_watchers} events without an id
 * (latest counts, not part of the index log); {@code : ping} comments while idle.
 *
 * <p>Buffering: the outbox's bound ({@code stepcast.http.sse.max-pending-bytes}) applies: past it the
 * stream fails (a slow consumer, counted) and the client resumes from its last id.
 *
 * <p>Threading: watch callbacks run on Redis I/O threads, the heartbeat on the HTTP timer; both only
 * queue into the outbox.
 */
final class IndexSseStream implements IndexSink, AdmittedStream {

    private final IndexFeed feed;
    private final ScheduledExecutorService timers;
    private final SseConfig config;
    private final HttpMetrics metrics;
    private final Predicate<String> visible;
    private final int limit;
    private final Cursor resume;
    private final Runnable onClose;
    private final SseOutbox outbox;

    // guarded by this
    private IndexWatch watch;
    private ScheduledFuture<?> heartbeat;
    private boolean ended;

    IndexSseStream(
            IndexFeed feed,
            ScheduledExecutorService timers,
            SseConfig config,
            HttpMetrics metrics,
            Predicate<String> visible,
            int limit,
            Cursor resume,
            Runnable onClose) {
        this.feed = feed;
        this.timers = timers;
        this.config = config;
        this.metrics = metrics;
        this.visible = visible;
        this.limit = limit;
        this.resume = resume;
        this.onClose = onClose;
        this.outbox = new SseOutbox(config.maxPendingBytes(), this::begin, this::end);
    }

    @Override
    public Publisher<Event<byte[]>> publisher() {
        return outbox;
    }

    @Override
    public SseOutbox outbox() {
        return outbox;
    }

    private void begin() {
        long period = config.heartbeat().toMillis();
        ScheduledFuture<?> beat = timers.scheduleAtFixedRate(
                () -> outbox.offerIfIdle(Event.of(new byte[0]).comment("ping")), period, period, TimeUnit.MILLISECONDS);
        IndexWatch started = feed.watch(this, visible, limit, resume);
        boolean leave;
        synchronized (this) {
            leave = ended;
            heartbeat = beat;
            watch = started;
        }
        if (leave) {
            beat.cancel(false);
            feed.leave(started);
        }
    }

    private void end() {
        ScheduledFuture<?> beat;
        IndexWatch started;
        synchronized (this) {
            ended = true;
            beat = heartbeat;
            started = watch;
        }
        if (beat != null) {
            beat.cancel(false);
        }
        if (started != null) {
            feed.leave(started);
        }
        onClose.run();
    }

    @Override
    public void finish(Event<byte[]> last) {
        outbox.finish(last);
    }

    @Override
    public void closeIfNeverSubscribed() {
        outbox.releaseIfNotStarted();
    }

    @Override
    public void plans(ServerFrame.Plans frame) {
        offer(Event.of(ServerFrameEncoder.encode(frame))
                .name("plans")
                .id(Cursor.eventId(frame.epoch(), frame.seq()))
                .retry(config.retry()));
    }

    @Override
    public boolean change(IndexChange change, byte[] frame) {
        return offer(Event.of(frame).name(change.type()).id(Cursor.eventId(change.epoch(), change.seq())));
    }

    @Override
    public void watchers(ServerFrame.PlanWatchers frame) {
        offer(Event.of(ServerFrameEncoder.encode(frame)).name("plan_watchers")); // no id: not in the index log
    }

    @Override
    public void unavailable(String message) {
        outbox.finish(Event.of(ServerFrameEncoder.encode(new ServerFrame.Error(ErrorCode.UNAVAILABLE, message, null)))
                .name("error"));
    }

    private boolean offer(Event<byte[]> event) {
        boolean kept = outbox.offer(
                event,
                new SseStream.StreamClosedException("slow consumer: more than " + config.maxPendingBytes()
                        + " bytes pending; reconnect with Last-Event-ID to resume"));
        if (!kept) {
            metrics.sseSlowConsumerClosed();
        }
        return kept;
    }
}
