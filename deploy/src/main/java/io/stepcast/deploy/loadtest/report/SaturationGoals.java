package io.stepcast.deploy.loadtest.report;

import static io.stepcast.deploy.loadtest.report.Goals.fmt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The goals judged on several measurements of a system: the saturation search and the idle rounds. */
final class SaturationGoals {

    private SaturationGoals() {}

    /** Sustained deliveries/s at p99 ≤ limit: Stepcast against 2× Socket.IO's and 80 % of the ceiling's. */
    static void add(List<Goal> g, Map<?, ?> saturation) {
        SaturationResult sc = saturation.get("stepcast") instanceof SaturationResult s ? s : null;
        SaturationResult io = saturation.get("socketio") instanceof SaturationResult s ? s : null;
        SaturationResult nt = saturation.get("netty") instanceof SaturationResult s ? s : null;
        String vsIo = "sustained deliveries/s at p99 ≤ 100 ms vs Socket.IO";
        String vsNt = "sustained deliveries/s at p99 ≤ 100 ms vs the raw Netty ceiling";
        if (sc == null || io == null || Double.isNaN(io.sustainedDeliveredPerSec())) {
            g.add(new Goal(vsIo, "≥ 2×", "not measured", null));
        } else {
            double r = nz(sc.sustainedDeliveredPerSec()) / io.sustainedDeliveredPerSec();
            g.add(new Goal(
                    vsIo,
                    "≥ 2×",
                    fmt(r) + "× (" + fmt(sc.sustainedDeliveredPerSec()) + " / " + fmt(io.sustainedDeliveredPerSec())
                            + ")",
                    r >= 2));
        }
        if (sc == null || nt == null || Double.isNaN(nt.sustainedDeliveredPerSec())) {
            g.add(new Goal(vsNt, "≥ 80%", "not measured", null));
        } else {
            double r = nz(sc.sustainedDeliveredPerSec()) / nt.sustainedDeliveredPerSec();
            g.add(new Goal(
                    vsNt,
                    "≥ 80%",
                    fmt(100 * r) + "% (" + fmt(sc.sustainedDeliveredPerSec()) + " / "
                            + fmt(nt.sustainedDeliveredPerSec()) + "; ceiling held " + fmt(nt.sustainedRate())
                            + " ev/s)",
                    r >= 0.8));
        }
    }

    /** Idle: ≤ 8 KiB per connection in every round, and below Socket.IO's in every round. */
    static void idle(List<Goal> g, Map<?, ?> idle) {
        List<IdleResult> sc = rounds(idle.get("stepcast"));
        List<IdleResult> io = rounds(idle.get("socketio"));
        if (sc.isEmpty()) {
            g.add(new Goal("idle: RSS per connection, every round", "≤ 8 KiB", "not measured", null));
            g.add(new Goal("idle: RSS per connection vs Socket.IO, every round", "less", "not measured", null));
            return;
        }
        double max = sc.stream().mapToDouble(IdleResult::rssPerConnBytes).max().orElse(Double.NaN);
        g.add(new Goal(
                "idle: RSS per connection, every round",
                "≤ 8 KiB",
                "max " + fmt(max / 1024) + " KiB over " + sc.size() + " rounds (" + spread(sc) + ")",
                max <= Goals.IDLE_LIMIT_BYTES));
        if (io.isEmpty()) {
            g.add(new Goal("idle: RSS per connection vs Socket.IO, every round", "less", "not measured", null));
            return;
        }
        int n = Math.min(sc.size(), io.size());
        int below = 0;
        for (int i = 0; i < n; i++) {
            if (sc.get(i).rssPerConnBytes() < io.get(i).rssPerConnBytes()) {
                below++;
            }
        }
        g.add(new Goal(
                "idle: RSS per connection vs Socket.IO, every round",
                "less",
                "below in " + below + " of " + n + " rounds; Stepcast " + spread(sc) + " vs Socket.IO " + spread(io),
                below == n && n > 0));
    }

    /** The rounds of one system's idle result, in round order (a single result counts as one). */
    static List<IdleResult> rounds(Object o) {
        List<IdleResult> r = new ArrayList<>();
        if (o instanceof IdleResult i) {
            r.add(i);
        } else if (o instanceof List<?> l) {
            l.stream()
                    .filter(IdleResult.class::isInstance)
                    .map(IdleResult.class::cast)
                    .forEach(r::add);
        }
        r.sort(Comparator.comparingInt(IdleResult::round));
        return r;
    }

    /** "min/median/max KiB" of RSS per connection over the rounds. */
    static String spread(List<IdleResult> rounds) {
        double[] v = stats(rounds);
        return fmt(v[0]) + "/" + fmt(v[1]) + "/" + fmt(v[2]) + " KiB";
    }

    /** min, median and max of RSS per connection in KiB. */
    static double[] stats(List<IdleResult> rounds) {
        double[] v = rounds.stream()
                .mapToDouble(r -> r.rssPerConnBytes() / 1024)
                .sorted()
                .toArray();
        if (v.length == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        double median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        return new double[] {v[0], median, v[v.length - 1]};
    }

    private static double nz(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
