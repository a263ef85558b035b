package io.stepcast.deploy.loadtest.report;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Measured windows of the run ({@code stepcast-fanout@200} → its start and end), so the JFR summary
 * can profile exactly the time a figure was measured in, not the server's start-up.
 */
public final class ProfileWindows {

    /** One window in wall-clock time. */
    public record Window(Instant from, Instant to) {
        boolean contains(Instant t) {
            return !t.isBefore(from) && !t.isAfter(to);
        }
    }

    private static final Map<String, Window> WINDOWS = new ConcurrentHashMap<>();

    private ProfileWindows() {}

    /** Records a window labelled {@code <system>-<scenario>[@detail]}. */
    public static void mark(String label, Instant from, Instant to) {
        WINDOWS.put(label, new Window(from, to));
    }

    private static final Map<String, Map<String, Double>> THREADS = new ConcurrentHashMap<>();

    /** Per-thread CPU (% of one core) of the server in the window. */
    public static void threads(String label, Map<String, Double> percentByThread) {
        THREADS.put(label, percentByThread);
    }

    public static Map<String, Map<String, Double>> threads() {
        return new TreeMap<>(THREADS);
    }

    static Map<String, Window> all() {
        return Map.copyOf(WINDOWS);
    }
}
