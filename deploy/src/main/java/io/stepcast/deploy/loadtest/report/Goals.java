package io.stepcast.deploy.loadtest.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Judges the benchmark's goals (docs/performance.md) from one run's results; a goal whose inputs are missing is "not measured". */
public final class Goals {

    public static final double FANOUT_RATE = 200;
    static final double IDLE_LIMIT_BYTES = 12 * 1024;

    private Goals() {}

    public static List<Goal> judge(Map<String, Object> scenarios) {
        List<Goal> g = new ArrayList<>();
        Map<?, ?> fanout = map(scenarios.get("fanout"));
        RateStep sc = stepAt(fanout.get("stepcast"), FANOUT_RATE);
        RateStep io = stepAt(fanout.get("socketio"), FANOUT_RATE);
        RateStep nt = stepAt(fanout.get("netty"), FANOUT_RATE);
        if (sc == null) {
            g.add(new Goal("fan-out 200 ev/s: zero loss", "lost = 0", "not measured", null));
            g.add(new Goal("fan-out 200 ev/s: p99", "≤ 50 ms", "not measured", null));
        } else {
            g.add(new Goal(
                    "fan-out 200 ev/s: zero loss",
                    "lost = 0, dup = 0",
                    "lost " + sc.lost() + ", dup " + sc.duplicated(),
                    sc.lost() == 0 && sc.duplicated() == 0));
            g.add(new Goal(
                    "fan-out 200 ev/s: p99",
                    "≤ 50 ms",
                    fmt(sc.latency().p99Ms()) + " ms",
                    sc.latency().p99Ms() <= 50));
        }
        RateStep ioAt = io != null ? io : lastStep(fanout.get("socketio"));
        if (sc == null || ioAt == null) {
            g.add(new Goal("fan-out 200 ev/s: p99 vs Socket.IO", "≥ 5× lower", "not measured", null));
        } else {
            double ratio = ioAt.latency().p99Ms() / sc.latency().p99Ms();
            String where = io != null ? "" : " (Socket.IO saturated at " + fmt(ioAt.offeredRate()) + " ev/s)";
            g.add(new Goal(
                    "fan-out 200 ev/s: p99 vs Socket.IO",
                    "≥ 5× lower",
                    fmt(ratio) + "× (" + fmt(ioAt.latency().p99Ms()) + " / "
                            + fmt(sc.latency().p99Ms()) + " ms)" + where,
                    io != null ? ratio >= 5 : (ioAt.saturated() && ratio >= 5)));
        }
        if (sc == null || nt == null) {
            g.add(new Goal("fan-out 200 ev/s: delivered/s vs raw Netty", "≥ 70%", "not measured", null));
        } else {
            double r = sc.deliveredPerSec() / nt.deliveredPerSec();
            g.add(new Goal(
                    "fan-out 200 ev/s: delivered/s vs raw Netty",
                    "≥ 70%",
                    fmt(100 * r) + "% (" + fmt(sc.deliveredPerSec()) + " / " + fmt(nt.deliveredPerSec()) + ")",
                    r >= 0.7));
        }
        Object wide = map(scenarios.get("wide")).get("stepcast");
        if (wide instanceof RateStep w) {
            g.add(new Goal(
                    "wide: p99",
                    "≤ 20 ms",
                    fmt(w.latency().p99Ms()) + " ms",
                    w.latency().p99Ms() <= 20));
            g.add(new Goal(
                    "wide: zero loss",
                    "lost = 0, dup = 0",
                    "lost " + w.lost() + ", dup " + w.duplicated(),
                    w.lost() == 0 && w.duplicated() == 0));
        } else {
            g.add(new Goal("wide: p99", "≤ 20 ms", "not measured", null));
            g.add(new Goal("wide: zero loss", "lost = 0", "not measured", null));
        }
        Map<?, ?> idle = map(scenarios.get("idle"));
        if (idle.get("stepcast") instanceof IdleResult s) {
            // judged on the whole range only: the second-half figure (idle table) shows how RSS grows,
            // but for a JVM it can fall below the live heap (pages touched by the first half's
            // connection storm are reused), so it is no fair per-connection cost
            IdleResult peer = idle.get("socketio") instanceof IdleResult i ? i : null;
            idleGoals(g, s.rssPerConnBytes(), peer == null ? Double.NaN : peer.rssPerConnBytes());
        } else {
            g.add(new Goal("idle: RSS per connection", "≤ 12 KiB", "not measured", null));
        }
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

    /** The two idle goals: absolute, and against Socket.IO in the same run. */
    private static void idleGoals(List<Goal> g, double stepcast, double socketio) {
        g.add(new Goal(
                "idle: RSS per connection", "≤ 12 KiB", fmt(stepcast / 1024) + " KiB", stepcast <= IDLE_LIMIT_BYTES));
        g.add(
                Double.isNaN(socketio)
                        ? new Goal("idle: RSS per connection vs Socket.IO", "less", "not measured", null)
                        : new Goal(
                                "idle: RSS per connection vs Socket.IO",
                                "less",
                                fmt(stepcast / 1024) + " vs " + fmt(socketio / 1024) + " KiB",
                                stepcast < socketio));
    }
}
