package io.stepcast.gateway.index;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepcast.gateway.WsClient;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * What an index watch was told about watcher counts: the latest count per plan from
 * {@code plan_watchers} frames and {@code plan_update} summaries, and every plan a count was sent for.
 */
public final class WatcherTally {

    private final Map<String, Long> latest = new ConcurrentHashMap<>();
    private final Map<String, Long> lastUpdate = new ConcurrentHashMap<>();
    private final Set<String> counted = ConcurrentHashMap.newKeySet();

    /** Reads a WebSocket watch's frames into this tally until {@code done} holds (at most {@code wait}). */
    public void follow(WsClient watch, Duration wait, BooleanSupplier done) {
        await().atMost(wait).until(() -> {
            for (JsonNode n = watch.poll(); n != null; n = watch.poll()) {
                frame(n);
            }
            return done.getAsBoolean();
        });
    }

    /** Takes in one frame of the watch (other frame types are ignored). */
    public void frame(JsonNode frame) {
        switch (frame.path("type").asText()) {
            case "plan_watchers" ->
                frame.path("watchers").fields().forEachRemaining(e -> {
                    counted.add(e.getKey());
                    latest.put(e.getKey(), e.getValue().asLong());
                });
            case "plan_update" -> {
                JsonNode summary = frame.path("summary");
                String plan = summary.path("plan_id").asText();
                long n = summary.path("watchers").asLong(-1);
                counted.add(plan);
                latest.put(plan, n);
                lastUpdate.put(plan, n);
            }
            case "plans" ->
                frame.path("plans").forEach(s -> {
                    counted.add(s.path("plan_id").asText());
                    latest.put(s.path("plan_id").asText(), s.path("watchers").asLong(-1));
                });
            default -> {}
        }
    }

    /** The latest count of the plan the watch was told, or -1. */
    public long latest(String plan) {
        return latest.getOrDefault(plan, -1L);
    }

    /** The {@code watchers} of the last {@code plan_update} of the plan (-1 when it had none), or null. */
    public Long lastUpdate(String plan) {
        return lastUpdate.get(plan);
    }

    /** Every plan the watch was told a count of. */
    public Set<String> counted() {
        return Set.copyOf(counted);
    }
}
