package io.stepcast.gateway.presence;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@link Presence} of this instance alone ({@code stepcast.presence.enabled=false}): its own counts,
 * nothing kept in Redis. {@link #clusterWide()} is false so callers can say so.
 */
public final class LocalPresence implements Presence {

    private final LocalCounts local;

    public LocalPresence(LocalCounts local) {
        this.local = local;
    }

    @Override
    public CompletableFuture<Long> watchers(String plan) {
        return CompletableFuture.completedFuture(
                local.watchersByPlan().getOrDefault(plan, 0).longValue());
    }

    @Override
    public CompletableFuture<Map<String, Long>> watchers(Collection<String> plans) {
        Map<String, Integer> counts = local.watchersByPlan();
        Map<String, Long> out = new LinkedHashMap<>();
        for (String plan : plans) {
            out.put(plan, counts.getOrDefault(plan, 0).longValue());
        }
        return CompletableFuture.completedFuture(out);
    }

    @Override
    public CompletableFuture<Long> connections() {
        return CompletableFuture.completedFuture((long) local.connections());
    }

    @Override
    public boolean clusterWide() {
        return false;
    }
}
