package io.stepcast.gateway.hub;

import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bridge publishing a continuous stream of events round-robin over some plans of a Redis Cluster
 * (at most 200 unacknowledged), until stopped: the load under which topology changes are made.
 * Remembers the last acknowledged seq per plan.
 */
final class ClusterStream implements AutoCloseable {

    private final LettuceEventPublisher publisher;
    private final List<String> plans;
    private final Map<String, AtomicLong> acked = new ConcurrentHashMap<>();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<Throwable> firstFailure = new AtomicReference<>();
    private final CompletableFuture<Void> running;

    ClusterStream(String seeds, List<String> plans, int waitReplicas) {
        this.publisher = LettuceEventPublisher.create(
                seeds,
                BridgeConfig.builder()
                        .redisMode(RedisMode.CLUSTER)
                        .waitReplicas(waitReplicas)
                        .waitTimeout(Duration.ofSeconds(1))
                        .backoffMax(Duration.ofMillis(500))
                        .commandTimeout(Duration.ofSeconds(5))
                        .closeTimeout(Duration.ofSeconds(60))
                        .build());
        this.plans = List.copyOf(plans);
        plans.forEach(p -> acked.put(p, new AtomicLong()));
        this.running = CompletableFuture.runAsync(this::run);
    }

    private void run() {
        Semaphore window = new Semaphore(200);
        long i = 0;
        while (!stop.get()) {
            try {
                if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
            } catch (InterruptedException e) {
                return;
            }
            String plan = plans.get((int) (i++ % plans.size()));
            publisher.publish(plan, new StepOutput(0, "line " + i + "\n")).whenComplete((r, e) -> {
                if (e != null) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(null, e);
                } else {
                    acked.get(plan).accumulateAndGet(r.seq(), Math::max);
                    published.incrementAndGet();
                }
                window.release();
            });
        }
        window.acquireUninterruptibly(200);
    }

    long published() {
        return published.get();
    }

    /** Stops publishing, waits for every outstanding publish; returns the last acknowledged seq per plan. */
    Map<String, Long> stop() {
        stop.set(true);
        running.join();
        Map<String, Long> last = new ConcurrentHashMap<>();
        acked.forEach((plan, seq) -> last.put(plan, seq.get()));
        if (failed.get() > 0) {
            throw new AssertionError(
                    failed.get() + " publishes failed, the first with " + firstFailure.get(), firstFailure.get());
        }
        return last;
    }

    /** Publishes one more event to {@code plan} (after {@link #stop()}). */
    PublishResult publishOne(String plan) {
        return Publishing.join(publisher.publish(plan, new StepOutput(0, "last\n")));
    }

    @Override
    public void close() {
        stop.set(true);
        publisher.close();
    }

    static List<String> planNames(String prefix, int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(Publishing.newPlan(prefix));
        }
        return names;
    }
}
