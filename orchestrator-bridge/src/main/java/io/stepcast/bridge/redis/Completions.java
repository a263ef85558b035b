package io.stepcast.bridge.redis;

import io.stepcast.bridge.BridgeException;
import io.stepcast.bridge.PublishRejectedException;
import io.stepcast.bridge.PublishResult;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;

/**
 * How {@link LettuceEventPublisher}'s submissions end: each exactly once ({@link Submission#settle()}),
 * releasing its share of the retry buffer at once and completing its future on the one callback thread
 * ({@code stepcast-publisher-callbacks}), never on a Redis I/O thread.
 *
 * <p>Ordering: completions run in the order they are settled, so a plan's futures complete in publish
 * order (its flights settle in order). Once {@link #shutdown()} has run, futures complete on the
 * settling thread instead. Threading: thread-safe.
 */
final class Completions {

    private final PendingBudget budget;
    private final ExecutorService callbacks;

    Completions(PendingBudget budget) {
        this.budget = budget;
        this.callbacks =
                Executors.newSingleThreadExecutor(LettuceEventPublisher.daemon("stepcast-publisher-callbacks"));
    }

    /** Completes (results != null) or fails every submission of the flight, in order. */
    void settleFlight(PlanLane.Flight flight, List<PublishResult> results, BridgeException error) {
        int from = 0;
        for (Submission s : flight.submissions) {
            int to = from + s.events.size();
            settle(s, results == null ? null : List.copyOf(results.subList(from, to)), error);
            from = to;
        }
    }

    /** Completes (results != null) or fails the submission unless it is already settled. */
    void settle(Submission s, List<PublishResult> results, BridgeException error) {
        if (!s.settle()) {
            return;
        }
        budget.release(s.events.size(), s.bytes);
        Runnable complete =
                results != null ? () -> s.future.complete(results) : () -> s.future.completeExceptionally(error);
        try {
            callbacks.execute(complete);
        } catch (RejectedExecutionException shutDown) {
            complete.run();
        }
    }

    /** Fails a submission that {@code close()} found queued or in flight: whether it was sent decides the error. */
    void abandon(Submission s) {
        settle(
                s,
                null,
                s.sent
                        ? closedBeforeDelivery(null)
                        : new PublishRejectedException("publisher closed before the event was sent", false));
    }

    /** The error of a submission whose script call may have run but whose outcome the closed publisher never saw. */
    static PublishRejectedException closedBeforeDelivery(Throwable cause) {
        return new PublishRejectedException("publisher closed before the event was delivered", true, cause);
    }

    /** Lets the queued completions run, then stops the callback thread. */
    void shutdown() {
        callbacks.shutdown();
    }
}
