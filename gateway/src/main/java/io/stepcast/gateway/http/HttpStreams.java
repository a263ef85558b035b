package io.stepcast.gateway.http;

import io.micronaut.runtime.graceful.GracefulShutdownCapable;
import jakarta.inject.Singleton;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

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

    private final Set<AdmittedStream> streams = ConcurrentHashMap.newKeySet();
    private final Set<LongPollWaiter> waiters = ConcurrentHashMap.newKeySet();

    void add(AdmittedStream stream) {
        streams.add(stream);
    }

    void remove(AdmittedStream stream) {
        streams.remove(stream);
    }

    void add(LongPollWaiter waiter) {
        waiters.add(waiter);
    }

    void remove(LongPollWaiter waiter) {
        waiters.remove(waiter);
    }

    /** The outboxes of the open SSE streams (plan streams, then plan index streams); a live view. */
    Iterable<SseOutbox> outboxes() {
        return () -> streams.stream().map(AdmittedStream::outbox).iterator();
    }

    /** Open SSE streams (plan streams and plan index streams). */
    public int streams() {
        return streams.size();
    }

    /** Long-poll requests not answered yet. */
    public int waiters() {
        return waiters.size();
    }

    @Override
    public CompletionStage<?> shutdownGracefully() {
        for (AdmittedStream stream : streams) {
            stream.finish(AdmittedStream.reconnect(ThreadLocalRandom.current().nextLong(RECONNECT_SPREAD_MS + 1)));
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
