package io.stepcast.gateway.http;

import io.micronaut.runtime.graceful.GracefulShutdownCapable;
import jakarta.inject.Singleton;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The open SSE streams and waiting long-polls of this instance, so a graceful shutdown can end them
 * promptly: each SSE stream gets a {@code reconnect} event and ends (the client resumes elsewhere with
 * its last id), each waiting long-poll is answered at once with what it has (its cursor unchanged).
 *
 * <p>Thread-safe (concurrent sets).
 */
@Singleton
public final class HttpStreams implements GracefulShutdownCapable {

    /** Upper bound of the reconnect delay suggested to drained SSE clients (spreads reconnects). */
    static final long RECONNECT_SPREAD_MS = 2_000;

    private final Set<SseStream> streams = ConcurrentHashMap.newKeySet();
    private final Set<LongPollWaiter> waiters = ConcurrentHashMap.newKeySet();
    private final Set<IndexSseStream> indexStreams = ConcurrentHashMap.newKeySet();

    void add(SseStream stream) {
        streams.add(stream);
    }

    void remove(SseStream stream) {
        streams.remove(stream);
    }

    void add(IndexSseStream stream) {
        indexStreams.add(stream);
    }

    void remove(IndexSseStream stream) {
        indexStreams.remove(stream);
    }

    void add(LongPollWaiter waiter) {
        waiters.add(waiter);
    }

    void remove(LongPollWaiter waiter) {
        waiters.remove(waiter);
    }

    /** The outboxes of the open SSE streams (plan streams, then plan index streams); a live view. */
    Iterable<SseOutbox> outboxes() {
        return () -> Stream.concat(
                        streams.stream().map(SseStream::outbox),
                        indexStreams.stream().map(IndexSseStream::outbox))
                .iterator();
    }

    /** Open SSE streams (plan streams and plan index streams). */
    public int streams() {
        return streams.size() + indexStreams.size();
    }

    /** Long-poll requests not answered yet. */
    public int waiters() {
        return waiters.size();
    }

    @Override
    public CompletionStage<?> shutdownGracefully() {
        for (SseStream stream : streams) {
            stream.drainAndComplete(ThreadLocalRandom.current().nextLong(RECONNECT_SPREAD_MS + 1));
        }
        for (IndexSseStream stream : indexStreams) {
            stream.drainAndComplete(ThreadLocalRandom.current().nextLong(RECONNECT_SPREAD_MS + 1));
        }
        for (LongPollWaiter waiter : waiters) {
            waiter.answerNow();
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public OptionalLong reportActiveTasks() {
        return OptionalLong.of(streams() + waiters.size());
    }
}
