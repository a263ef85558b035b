package io.stepcast.deploy.loadtest.proc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU seconds per thread of a process from {@code /proc/<pid>/task/<tid>/stat}, grouped by thread
 * name with digits folded ({@code G1 Conc#0} and {@code G1 Conc#1} → {@code G1 Conc#N}): tells GC,
 * JIT, event loops and Redis I/O apart, including native threads a CPU profiler does not sample.
 */
public final class ThreadCpu {

    private ThreadCpu() {}

    public static Map<String, Double> read(long pid) {
        Map<String, Double> out = new HashMap<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(t -> {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
                            .replaceAll("[0-9]+", "N");
                    out.merge(name, ProcStats.cpuSeconds(stat), Double::sum);
                } catch (IOException | RuntimeException gone) {
                    // thread exited
                }
            });
        } catch (IOException e) {
            // process gone
        }
        return out;
    }

    /** The threads' CPU between two readings as % of one core over {@code seconds}, highest first. */
    public static Map<String, Double> percent(Map<String, Double> before, Map<String, Double> after, double seconds) {
        Map<String, Double> delta = new HashMap<>();
        after.forEach((k, v) -> {
            double d = v - before.getOrDefault(k, 0.0);
            if (d > 0) {
                delta.put(k, Math.round(1000 * d / seconds) / 10.0);
            }
        });
        Map<String, Double> sorted = new LinkedHashMap<>();
        delta.entrySet().stream()
                .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(12)
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
}
