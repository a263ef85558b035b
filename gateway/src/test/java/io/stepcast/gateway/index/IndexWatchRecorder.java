package io.stepcast.gateway.index;

import com.fasterxml.jackson.databind.JsonNode;
import io.stepcast.gateway.WsClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one WebSocket {@code watch_plans} client saw, checked frame by frame: a {@code plans} frame
 * starts a list (a reset when it is not the first), every change after it must carry the list's
 * epoch (or create the index, seq 1, after a list of none) and the next index seq (the watch's prefix covers every plan of the test's key prefix, so
 * no seq is filtered out): a gap, a duplicate or a change of another epoch is a violation.
 */
final class IndexWatchRecorder {

    private final WsClient ws;
    /** plan id → the plan's own epoch and seq in its latest summary. */
    private final Map<String, String> plans = new HashMap<>();

    private final List<String> violations = new ArrayList<>();
    private String epoch;
    private long seq;
    private int lists;
    private long changes;

    IndexWatchRecorder(WsClient ws) {
        this.ws = ws;
    }

    /** Applies every frame received so far (never waits). */
    synchronized void drain() {
        for (JsonNode frame = ws.poll(); frame != null; frame = ws.poll()) {
            apply(frame);
        }
    }

    private void apply(JsonNode frame) {
        switch (frame.path("type").asText()) {
            case "plans" -> {
                lists++;
                plans.clear();
                epoch = frame.get("epoch").isNull() ? null : frame.get("epoch").asText();
                seq = frame.get("seq").asLong();
                frame.get("plans").forEach(s -> plans.put(s.get("plan_id").asText(), version(s)));
            }
            case "plan_update", "plan_removed" -> {
                changes++;
                String at = frame.get("epoch").asText();
                long next = frame.get("seq").asLong();
                // a list of an index not created yet (no epoch) is continued by its first change
                boolean continues = epoch == null ? seq == 0 && next == 1 : at.equals(epoch) && next == seq + 1;
                if (!continues) {
                    violations.add("after " + epoch + "/" + seq + " came " + at + "/" + next);
                }
                epoch = at;
                seq = next;
                if (frame.has("summary")) {
                    JsonNode s = frame.get("summary");
                    plans.put(s.get("plan_id").asText(), version(s));
                } else {
                    plans.remove(frame.get("plan_id").asText());
                }
            }
            case "error" -> violations.add("error frame " + frame);
            default -> {
                // other frames (connected, pong) say nothing about the index
            }
        }
    }

    /** A summary's identity for comparison: the plan's epoch and seq that last changed it. */
    static String version(JsonNode summary) {
        return summary.get("epoch").asText() + "/" + summary.get("seq").asLong();
    }

    synchronized Map<String, String> plans() {
        return Map.copyOf(plans);
    }

    synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    /** True once the first {@code plans} frame arrived. */
    synchronized boolean listed() {
        return lists > 0;
    }

    /** {@code plans} frames after the first: explicit resets (a new index epoch). */
    synchronized int resets() {
        return Math.max(0, lists - 1);
    }

    synchronized long changes() {
        return changes;
    }
}
