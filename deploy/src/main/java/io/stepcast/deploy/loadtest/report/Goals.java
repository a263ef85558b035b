package io.stepcast.deploy.loadtest.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Judges the benchmark's goals (docs/performance.md) from one run's results; a goal whose inputs are missing is "not measured". */
public final class Goals {

    public static final double FANOUT_RATE = 400;
    static final double IDLE_LIMIT_BYTES = 8 * 1024;
    static final double WIDE_P99_MS = 5;

    private Goals() {}

    public static List<Goal> judge(Map<String, Object> scenarios) {
        List<Goal> g = new ArrayList<>();
        Map<?, ?> fanout = map(scenarios.get("fanout"));
        RateStep sc = stepAt(fanout.get("stepcast"), FANOUT_RATE);
        if (sc == null) {
            g.add(new Goal("fan-out 400 ev/s × 1,000: zero loss", "lost = 0, dup = 0", "not measured", null));
            g.add(new Goal("fan-out 400 ev/s × 1,000: p99", "≤ 50 ms", "not measured", null));
        } else {
            g.add(new Goal(
                    "fan-out 400 ev/s × 1,000: zero loss",
                    "lost = 0, dup = 0",
                    "lost " + sc.lost() + ", dup " + sc.duplicated(),
                    sc.lost() == 0 && sc.duplicated() == 0));
            g.add(new Goal(
                    "fan-out 400 ev/s × 1,000: p99",
                    "≤ 50 ms",
                    fmt(sc.latency().p99Ms()) + " ms",
                    sc.latency().p99Ms() <= 50));
        }
        SaturationGoals.add(g, map(scenarios.get("saturation")));
        Map<?, ?> wide = map(scenarios.get("wide"));
        if (wide.get("stepcast") instanceof RateStep w) {
            g.add(new Goal(
                    "wide: p99",
                    "≤ 5 ms",
                    fmt(w.latency().p99Ms()) + " ms",
                    w.latency().p99Ms() <= WIDE_P99_MS));
            g.add(
                    wide.get("socketio") instanceof RateStep io
                            ? new Goal(
                                    "wide: p99 vs Socket.IO",
                                    "lower",
                                    fmt(w.latency().p99Ms()) + " vs "
                                            + fmt(io.latency().p99Ms()) + " ms",
                                    w.latency().p99Ms() < io.latency().p99Ms())
                            : new Goal("wide: p99 vs Socket.IO", "lower", "not measured", null));
            g.add(new Goal(
                    "wide: zero loss",
                    "lost = 0, dup = 0",
                    "lost " + w.lost() + ", dup " + w.duplicated(),
                    w.lost() == 0 && w.duplicated() == 0));
        } else {
            g.add(new Goal("wide: p99", "≤ 5 ms", "not measured", null));
            g.add(new Goal("wide: zero loss", "lost = 0", "not measured", null));
        }
        SaturationGoals.idle(g, map(scenarios.get("idle")));
        if (map(scenarios.get("resume")).get("stepcast") instanceof ResumeResult r) {
            g.add(new Goal(
                    "resume storm: every client recovered",
                    "all recovered, no gap, no duplicate",
                    r.recovered() + "/" + r.clients() + " recovered, resets " + r.resets() + ", gaps " + r.gaps()
                            + ", dup " + r.duplicates() + ", missing " + r.missing(),
                    r.allRecovered()));
        } else {
            g.add(new Goal("resume storm: every client recovered", "all recovered", "not measured", null));
        }
        StartupTable.goals(g, map(scenarios.get("startup")));
        return g;
    }

    static Map<?, ?> map(Object o) {
        return o instanceof Map<?, ?> m ? m : Map.of();
    }

    static RateStep stepAt(Object steps, double rate) {
        if (steps instanceof List<?> l) {
            for (Object o : l) {
                if (o instanceof RateStep s && s.offeredRate() == rate) {
                    return s;
                }
            }
        }
        return null;
    }

    static RateStep lastStep(Object steps) {
        if (steps instanceof List<?> l && !l.isEmpty() && l.get(l.size() - 1) instanceof RateStep s) {
            return s;
        }
        return null;
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Math.abs(v) >= 100) {
            return String.format("%,.0f", v);
        }
        return Math.abs(v) >= 10 ? String.format("%.1f", v) : String.format("%.2f", v);
    }
}
