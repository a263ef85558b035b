package io.stepcast.gateway.hub;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The hub's one timer thread ({@code stepcast-hub-timer}, daemon): read retries, re-subscription
 * back-offs and subscribe deadlines. Tasks must not block. After {@link #close()} nothing more runs.
 */
final class HubTimer implements AutoCloseable {

    private final ScheduledThreadPoolExecutor timer;

    HubTimer() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = Executors.defaultThreadFactory().newThread(r);
            t.setName("stepcast-hub-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    /** Runs {@code task} once after {@code delayMillis}; ignored once closed. */
    void schedule(Runnable task, long delayMillis) {
        if (!timer.isShutdown()) {
            timer.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
