package io.stepcast.gateway.http;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP transports' one timer thread: long-poll wait deadlines, SSE heartbeats, and the hand-off
 * of hub unsubscribes out of hub callbacks. Tasks are short and never block, so one thread serves
 * any number of waiting requests and streams (cancelled tasks are removed at once).
 */
@Factory
public class HttpTimers {

    /** Qualifier of the timer bean. */
    public static final String NAME = "stepcast-http-timer";

    @Singleton
    @Named(NAME)
    @Bean(preDestroy = "shutdownNow")
    ScheduledExecutorService httpTimer() {
        AtomicInteger n = new AtomicInteger();
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, NAME + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        return executor;
    }
}
