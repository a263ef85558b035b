package io.stepcast.deploy.loadtest.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Reads the gateway's JFR recordings ({@code --jfr true}): the hottest methods by CPU samples (top
 * frame, and first Stepcast frame), and the allocation sites by sampled weight. Written next to the
 * recording as {@code <name>.txt} and returned for results.json.
 */
public final class JfrSummary {

    private static final int TOP = 20;

    private JfrSummary() {}

    public static Map<String, Object> summarizeAll(Path dir) throws IOException {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f :
                    files.filter(p -> p.toString().endsWith(".jfr")).sorted().toList()) {
                String base = f.getFileName().toString().replace(".jfr", "");
                Map<String, Object> s = new LinkedHashMap<>();
                for (Map.Entry<String, ProfileWindows.Window> w : new TreeMap<>(ProfileWindows.all()).entrySet()) {
                    if (w.getKey().startsWith(base)) {
                        s.put(w.getKey(), summarize(f, w.getValue()));
                    }
                }
                s.put("whole recording", summarize(f, null));
                out.put(f.getFileName().toString(), s);
                StringBuilder txt = new StringBuilder();
                s.forEach((window, summary) -> {
                    txt.append("=== ").append(window).append(" ===\n");
                    ((Map<?, ?>) summary).forEach((k, v) -> {
                        txt.append(k).append(":\n");
                        if (v instanceof List<?> l) {
                            l.forEach(line -> txt.append("  ").append(line).append('\n'));
                        } else {
                            txt.append("  ").append(v).append('\n');
                        }
                    });
                });
                Files.writeString(dir.resolve(f.getFileName().toString().replace(".jfr", ".txt")), txt);
            }
        }
        return out;
    }

    /** Summary of the events in the window (null: the whole recording). */
    public static Map<String, Object> summarize(Path file, ProfileWindows.Window window) throws IOException {
        Map<String, Long> top = new HashMap<>();
        Map<String, Long> inclusive = new HashMap<>();
        Map<String, Long> firstOwn = new HashMap<>();
        Map<String, Long> alloc = new HashMap<>();
        Map<String, Long> allocOwn = new HashMap<>();
        long samples = 0;
        long allocTotal = 0;
        try (RecordingFile rf = new RecordingFile(file)) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                String type = e.getEventType().getName();
                RecordedStackTrace st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty() || (window != null && !window.contains(e.getStartTime()))) {
                    continue;
                }
                if (type.equals("jdk.ExecutionSample")) {
                    samples++;
                    top.merge(frame(st.getFrames().get(0)), 1L, Long::sum);
                    Set<String> seen = new HashSet<>();
                    for (RecordedFrame f : st.getFrames()) {
                        String t = f.getMethod().getType().getName();
                        if (t.startsWith("io.stepcast.")
                                || t.startsWith("io.micronaut.")
                                || t.startsWith("io.lettuce.")
                                || t.startsWith("io.netty.handler.codec.http.websocketx.")) {
                            String m = t + "." + f.getMethod().getName();
                            if (seen.add(m)) {
                                inclusive.merge(m, 1L, Long::sum);
                            }
                        }
                    }
                    String own = firstMatching(st.getFrames(), "io.stepcast.");
                    if (own != null) {
                        firstOwn.merge(own, 1L, Long::sum);
                    }
                } else if (type.equals("jdk.ObjectAllocationSample")) {
                    long w = e.getLong("weight");
                    allocTotal += w;
                    String cls = e.getClass("objectClass").getName();
                    alloc.merge(cls + " @ " + firstNonJdk(st.getFrames()), w, Long::sum);
                    String own = firstMatching(st.getFrames(), "io.stepcast.");
                    if (own != null) {
                        allocOwn.merge(own, w, Long::sum);
                    }
                }
            }
        }
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("cpu_samples", samples);
        s.put("hot_frames", topN(top, samples, "samples"));
        s.put("hot_stepcast_frames", topN(firstOwn, samples, "samples"));
        s.put("inclusive_methods", topN(inclusive, samples, "samples"));
        s.put("allocated_bytes_sampled", allocTotal);
        s.put("allocation_sites", topN(alloc, allocTotal, "bytes"));
        s.put("allocation_stepcast_frames", topN(allocOwn, allocTotal, "bytes"));
        return s;
    }

    private static List<String> topN(Map<String, Long> m, long total, String unit) {
        return m.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(TOP)
                .map(e -> String.format("%5.1f%%  %s", total == 0 ? 0 : 100.0 * e.getValue() / total, e.getKey()))
                .toList();
    }

    private static String frame(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName() + ":" + f.getLineNumber();
    }

    private static String firstMatching(List<RecordedFrame> frames, String prefix) {
        for (RecordedFrame f : frames) {
            if (f.getMethod().getType().getName().startsWith(prefix)) {
                return frame(f);
            }
        }
        return null;
    }

    private static String firstNonJdk(List<RecordedFrame> frames) {
        for (RecordedFrame f : frames) {
            String t = f.getMethod().getType().getName();
            if (!t.startsWith("java.") && !t.startsWith("jdk.") && !t.startsWith("sun.")) {
                return frame(f);
            }
        }
        return frame(frames.get(0));
    }
}
