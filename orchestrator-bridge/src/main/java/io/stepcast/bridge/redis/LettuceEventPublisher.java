package io.stepcast.bridge.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.BridgeException;
import io.stepcast.bridge.EventPublisher;
import io.stepcast.bridge.EventValidationException;
import io.stepcast.bridge.PublishRejectedException;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.RedisAccessException;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.event.EventValidator;
import io.stepcast.bridge.event.PlanEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EventPublisher} over one Lettuce connection, running the publish script with
 * {@code EVALSHA} (falling back to {@code EVAL} on {@code NOSCRIPT}).
 *
 * <p><b>Throughput.</b> Plans are pipelined: script calls of different plans are written without
 * waiting for earlier replies. Within a plan at most one call is outstanding; events published
 * meanwhile are coalesced into the next call (up to {@link BridgeConfig#maxBatchEvents()}), so one busy
 * plan costs one round trip per batch, not per event.
 *
 * <p><b>Outages.</b> A transient failure (connection lost, command timeout, Redis loading or
 * read-only) keeps the plan's call and everything queued behind it in memory and retries with
 * exponential backoff ({@link BridgeConfig#backoffMin()}..{@link BridgeConfig#backoffMax()}), with
 * the same event ids, so order is preserved and nothing is appended twice. While Redis is down new
 * publishes are buffered until the retry buffer is full; then they fail fast with
 * {@link PublishRejectedException}. Buffered events die with the process. A refusal that no retry
 * can fix (wrong or missing credentials, an ACL without the needed commands, a TLS certificate
 * failure) is not retried: the publish fails at once with {@link RedisAccessException}.
 *
 * <p><b>Threading.</b> Thread-safe. Returned futures complete on one internal thread
 * ({@code stepcast-publisher-callbacks}), in publish order per plan; never on the Redis I/O thread.
 * Blocking there delays other completions but not I/O.
 */
public final class LettuceEventPublisher implements EventPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(LettuceEventPublisher.class);

    private final BridgeConfig config;
    private final RedisLayout layout;
    private final PublishCalls redis;
    private final RetryPolicy retry;
    private final PendingBudget budget;
    private final Completions completions;
    private final ConcurrentHashMap<String, PlanLane> lanes = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final AtomicBoolean outage = new AtomicBoolean();
    private final AtomicBoolean closing = new AtomicBoolean();
    /** True on a standalone Redis: the publish script keeps the plan index in the same call. */
    private final boolean indexInScript;
    /** Set once close() gave up waiting: every outstanding or new attempt fails instead. */
    private volatile boolean terminated;

    private LettuceEventPublisher(RedisConnector connector, BridgeConfig config) {
        this.config = config;
        this.layout = config.layout();
        this.redis = new PublishCalls(connector, config);
        this.indexInScript = config.redisMode() != RedisMode.CLUSTER;
        this.retry = new RetryPolicy(config.backoffMin(), config.backoffMax());
        this.budget = new PendingBudget(config.retryBufferCapacity(), config.retryBufferMaxBytes());
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("stepcast-publisher-retry"));
        this.completions = new Completions(budget);
        long every = DurabilityProbe.INTERVAL.toMillis();
        timer.scheduleWithFixedDelay(redis::probeDurability, every, every, TimeUnit.MILLISECONDS);
    }

    /** A publisher with its own Lettuce client for {@code redisUri} and default settings. */
    public static LettuceEventPublisher create(String redisUri) {
        return create(redisUri, BridgeConfig.defaults());
    }

    /**
     * A publisher with its own Lettuce client (auto-reconnect with the configured backoff, commands
     * rejected rather than queued while disconnected, {@link BridgeConfig#commandTimeout()}), closed
     * by {@link #close()}. Does not connect yet: the first publish does, so Redis may be down now.
     */
    public static LettuceEventPublisher create(String redisUri, BridgeConfig config) {
        return new LettuceEventPublisher(RedisConnector.owned(redisUri, config), config);
    }

    /**
     * A publisher on a caller-owned client (not closed by {@link #close()}). The client's options are
     * left alone: for outage survival they should enable auto-reconnect, reject commands while
     * disconnected and time commands out.
     */
    public static LettuceEventPublisher create(RedisClient client, RedisURI uri, BridgeConfig config) {
        return new LettuceEventPublisher(new RedisConnector(client, uri, null, false), config);
    }

    public BridgeConfig config() {
        return config;
    }

    /** Events accepted and not yet settled (queued, in flight or waiting for a retry). */
    public long pendingEvents() {
        return budget.events();
    }

    @Override
    public CompletableFuture<PublishResult> publish(String planId, PlanEvent event) {
        if (event == null) {
            return CompletableFuture.failedFuture(new EventValidationException("event", "is required"));
        }
        return publishBatch(planId, List.of(event)).thenApply(results -> results.get(0));
    }

    @Override
    public CompletableFuture<List<PublishResult>> publishBatch(String planId, List<? extends PlanEvent> events) {
        Submission submission;
        try {
            EventValidator.planId(planId);
            if (events == null || events.isEmpty()) {
                throw new EventValidationException("events", "a batch needs at least one event");
            }
            List<EncodedEvent> encoded = new ArrayList<>(events.size());
            for (PlanEvent e : events) {
                encoded.add(EncodedEvent.of(EventValidator.required(e, "event"), config.maxDataBytes()));
            }
            submission = new Submission(encoded);
        } catch (BridgeException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (closing.get()) {
            return CompletableFuture.failedFuture(new PublishRejectedException("publisher is closed", false));
        }
        if (!budget.tryReserve(submission.events.size(), submission.bytes)) {
            return CompletableFuture.failedFuture(
                    new PublishRejectedException("retry buffer full, publish rejected: " + budget.describe(), false));
        }
        enqueue(planId, submission);
        return submission.future.copy();
    }

    private void enqueue(String planId, Submission submission) {
        while (true) {
            PlanLane lane =
                    lanes.computeIfAbsent(planId, p -> new PlanLane(p, PublishScript.keys(layout, p, indexInScript)));
            PlanLane.Flight flight = null;
            synchronized (lane) {
                if (lane.retired) {
                    continue;
                }
                lane.queue.addLast(submission);
                if (!lane.busy()) {
                    flight = startFlight(lane);
                }
            }
            if (flight != null) {
                send(flight);
            }
            return;
        }
    }

    /** Under the lane's lock: the next flight, or null (and the lane retired) when nothing is queued. */
    private PlanLane.Flight startFlight(PlanLane lane) {
        if (lane.queue.isEmpty()) {
            lane.flight = null;
            lane.retired = true;
            lanes.remove(lane.planId, lane);
            return null;
        }
        PlanLane.Flight flight = new PlanLane.Flight(lane, lane.takeBatch(config.maxBatchEvents()));
        flight.args = PublishScript.args(
                layout,
                config,
                lane.planId,
                EncodedEvent.random(RedisLayout.EPOCH_LENGTH),
                indexInScript,
                flight.events);
        lane.flight = flight;
        lane.failures = 0;
        return flight;
    }

    private void send(PlanLane.Flight flight) {
        if (terminated) {
            completions.settleFlight(flight, null, Completions.closedBeforeDelivery(null));
            return;
        }
        flight.submissions.forEach(s -> s.sent = true);
        redis.publish(flight.lane.keys, flight.args).whenComplete((r, t) -> onReply(flight, r, t));
    }

    private void onReply(PlanLane.Flight flight, List<Object> reply, Throwable failure) {
        PlanLane lane = flight.lane;
        if (failure == null) {
            List<PublishResult> results;
            try {
                results = PublishScript.results(lane.planId, reply, flight.events);
            } catch (RuntimeException e) {
                completions.settleFlight(
                        flight, null, e instanceof BridgeException b ? b : new BridgeException(e.getMessage(), e));
                next(lane);
                return;
            }
            if (outage.compareAndSet(true, false)) {
                LOG.info("Redis publishing recovered; {}", budget.describe());
            }
            completions.settleFlight(flight, results, null);
            String summary = PublishScript.pendingSummary(reply);
            if (summary == null) {
                next(lane);
            } else {
                // the plan's next flight waits for the upsert, so a plan's summaries reach the index in order
                upsertIndex(lane.planId, summary).whenComplete((changed, t) -> next(lane));
            }
        } else if (RetryPolicy.isTransient(failure) && !terminated) {
            int failures;
            synchronized (lane) {
                failures = ++lane.failures;
            }
            if (outage.compareAndSet(false, true)) {
                LOG.warn(
                        "Redis publish failed, buffering and retrying: {}",
                        RetryPolicy.unwrap(failure).toString());
            }
            try {
                timer.schedule(() -> send(flight), retry.delayMillis(failures), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                completions.settleFlight(flight, null, Completions.closedBeforeDelivery(failure));
                next(lane);
            }
        } else {
            RedisAccessException refused = RetryPolicy.accessFailure(failure);
            if (refused != null && !terminated) {
                LOG.error("Redis publish to plan {} refused, not retried: {}", lane.planId, refused.getMessage());
            }
            BridgeException error = terminated
                    ? Completions.closedBeforeDelivery(RetryPolicy.unwrap(failure))
                    : RetryPolicy.finalFailure(lane.planId, failure, refused);
            completions.settleFlight(flight, null, error);
            next(lane);
        }
    }

    /** The cluster index upsert after a flight ({@link PublishCalls#upsertIndex}); none once terminated. */
    private CompletableFuture<Boolean> upsertIndex(String planId, String summary) {
        return terminated ? CompletableFuture.completedFuture(false) : redis.upsertIndex(planId, summary);
    }

    private void next(PlanLane lane) {
        PlanLane.Flight flight;
        synchronized (lane) {
            flight = startFlight(lane);
        }
        if (flight != null) {
            send(flight);
        }
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            if (!budget.awaitEmpty(config.closeTimeout())) {
                LOG.warn("closing publisher with undelivered events: {}", budget.describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        terminated = true;
        timer.shutdownNow();
        for (PlanLane lane : lanes.values()) {
            List<Submission> abandoned = new ArrayList<>();
            synchronized (lane) {
                if (lane.flight != null) {
                    abandoned.addAll(lane.flight.submissions);
                }
                abandoned.addAll(lane.queue);
                lane.queue.clear();
            }
            abandoned.forEach(completions::abandon);
        }
        redis.close();
        completions.shutdown();
    }

    static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
