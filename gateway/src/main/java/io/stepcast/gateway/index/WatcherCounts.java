package io.stepcast.gateway.index;

import io.stepcast.gateway.presence.Presence;
import io.stepcast.gateway.presence.PresenceConfig;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's cache of watcher counts ({@link Presence} totals) of the plans its index watches
 * show, and their refresh.
 *
 * <p>Freshness: once per {@code stepcast.presence.heartbeat} the counts of the union of every watch's
 * shown plans ({@link ShownPlans}) are read with one {@link Presence#watchers(Collection)} call (one
 * {@code HMGET}, whatever the number of watches), and each watch is sent the counts of its plans that
 * changed ({@code plan_watchers}). A {@code plan_update} sent to a watch carries the cached count
 * ({@link #of(String)}: no Redis read per change); a plan not cached yet counts 0 until the next
 * refresh corrects it. Presence figures lag by about one heartbeat themselves, so a count a watch
 * shows lags by up to two.
 *
 * <p>Threading: refreshes run on this instance's own timer thread, one at a time (a read still in
 * flight skips the next tick); the counts are handed to watches on the thread that completes the read
 * (a Redis I/O thread); watches only queue. A failed read keeps the cache and sends nothing.
 */
@Singleton
public final class WatcherCounts {

    private static final Logger LOG = LoggerFactory.getLogger(WatcherCounts.class);

    private final Presence presence;
    private final Set<IndexWatch> watches = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> totals = new ConcurrentHashMap<>();
    private final AtomicBoolean reading = new AtomicBoolean();
    private final ScheduledExecutorService timer;

    public WatcherCounts(Presence presence, PresenceConfig config) {
        this.presence = presence;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stepcast-index-watchers");
            t.setDaemon(true);
            return t;
        });
        long period = config.heartbeat().toMillis();
        timer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
    }

    /** The cached count of a plan (0 when not cached yet). Never blocks. */
    long of(String plan) {
        return totals.getOrDefault(plan, 0L);
    }

    /**
     * The counts of a first page's plans (one read); an empty map when they cannot be read (the page
     * goes without them). Cached.
     */
    CompletableFuture<Map<String, Long>> page(List<String> plans) {
        if (plans.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        CompletableFuture<Map<String, Long>> counts;
        try {
            counts = presence.watchers(plans);
        } catch (RuntimeException e) {
            counts = CompletableFuture.failedFuture(e);
        }
        return counts.thenApply(read -> {
                    totals.putAll(read);
                    return read;
                })
                .exceptionally(error -> Map.of());
    }

    void add(IndexWatch watch) {
        watches.add(watch);
    }

    void remove(IndexWatch watch) {
        watches.remove(watch);
    }

    private void tick() {
        try {
            refresh();
        } catch (RuntimeException e) { // logged, and the next tick tries again
            reading.set(false);
            LOG.warn("index watcher counts: refresh failed", e);
        }
    }

    /** One refresh: reads the counts of every shown plan, then tells each watch (package: tests). */
    void refresh() {
        if (!reading.compareAndSet(false, true)) {
            return;
        }
        Set<String> shown = new HashSet<>();
        for (IndexWatch watch : watches) {
            shown.addAll(watch.shownPlans());
        }
        totals.keySet().retainAll(shown);
        if (shown.isEmpty()) {
            reading.set(false);
            return;
        }
        CompletableFuture<Map<String, Long>> read;
        try {
            read = presence.watchers(shown);
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        read.whenComplete((counts, error) -> {
            reading.set(false);
            if (error != null) {
                LOG.debug("index watcher counts not refreshed: {}", error.toString());
                return;
            }
            totals.putAll(counts);
            for (IndexWatch watch : watches) {
                watch.watchersChanged(counts);
            }
        });
    }

    @PreDestroy
    void close() {
        timer.shutdownNow();
    }
}
