package io.stepcast.deploy.loadtest.report;

import static io.stepcast.deploy.loadtest.report.Goals.fmt;

import java.util.List;
import java.util.Map;

/** The start-up scenario in results.md, and its goals. */
final class StartupTable {

    static final double READY_AOT_MS = 800;
    static final double READY_JDK17_MS = 2000;
    static final double FIRST_EVENT_AOT_MS = 1000;
    static final double RSS_START_MB = 150;

    private StartupTable() {}

    static void render(StringBuilder md, Map<?, ?> byVariant) {
        md.append("\n**Start-up** (cold starts; medians; (a) process start → readiness UP, raw ceiling: port accepts; "
                + "(b) process start → first event at a WebSocket client already retrying that resumes with "
                + "since/epoch, raw ceiling: its subscribed frame):\n\n"
                + "| variant | java | runs | (a) ready ms | (b) first event ms | CPU s at ready | (c) RSS after start MB "
                + "| RSS with idle connections MB | resumed gap-free | load 1m (per run) |\n"
                + "|---|---|---:|---:|---:|---:|---:|---:|---|---|\n");
        byVariant.forEach((name, o) -> {
            if (!(o instanceof StartupResult r)) {
                return;
            }
            if (r.skipped() != null) {
                md.append("| ")
                        .append(name)
                        .append(" | skipped: ")
                        .append(r.skipped())
                        .append(" |\n");
                return;
            }
            long gapFree =
                    r.runs().stream().filter(StartupResult.StartupRun::gapFree).count();
            md.append("| ")
                    .append(name)
                    .append(" | ")
                    .append(r.java())
                    .append(" | ")
                    .append(r.runs().size())
                    .append(" | ")
                    .append(fmt(r.readyMs()))
                    .append(" | ")
                    .append(fmt(r.firstEventMs()))
                    .append(" | ")
                    .append(fmt(r.cpuAtReadyS()))
                    .append(" | ")
                    .append(fmt(r.rssStartMb()))
                    .append(" | ")
                    .append(r.idleConnections() == 0 ? "n/a" : fmt(r.rssIdleMb()) + " (" + r.idleConnections() + ")")
                    .append(" | ")
                    .append(
                            name.equals("netty")
                                    ? "n/a"
                                    : gapFree + "/" + r.runs().size())
                    .append(" | ")
                    .append(String.join(
                            ", ",
                            r.runs().stream().map(x -> x.load().split(" ")[0]).toList()))
                    .append(" |\n");
        });
        md.append("\nJVM flags of every variant: `")
                .append(byVariant.values().stream()
                        .filter(o -> o instanceof StartupResult r && r.skipped() == null)
                        .map(o -> ((StartupResult) o).command())
                        .findFirst()
                        .orElse("?"))
                .append("`\n");
    }

    static void goals(List<Goal> g, Map<?, ?> byVariant) {
        if (byVariant.isEmpty()) {
            return;
        }
        StartupResult aot = result(byVariant.get("jdk25-aot"));
        StartupResult jdk17 = result(byVariant.get("jdk17"));
        g.add(
                aot == null
                        ? new Goal("start-up (a) ready, JDK 25 + AOT cache", "≤ 0.8 s", "not measured", null)
                        : new Goal(
                                "start-up (a) ready, JDK 25 + AOT cache",
                                "≤ 0.8 s",
                                fmt(aot.readyMs()) + " ms",
                                aot.readyMs() <= READY_AOT_MS));
        g.add(
                jdk17 == null
                        ? new Goal("start-up (a) ready, JDK 17 plain", "≤ 2.0 s", "not measured", null)
                        : new Goal(
                                "start-up (a) ready, JDK 17 plain",
                                "≤ 2.0 s",
                                fmt(jdk17.readyMs()) + " ms",
                                jdk17.readyMs() <= READY_JDK17_MS));
        g.add(
                aot == null
                        ? new Goal(
                                "start-up (b) first resumed event, JDK 25 + AOT cache", "≤ 1.0 s", "not measured", null)
                        : new Goal(
                                "start-up (b) first resumed event, JDK 25 + AOT cache",
                                "≤ 1.0 s",
                                fmt(aot.firstEventMs()) + " ms",
                                aot.firstEventMs() <= FIRST_EVENT_AOT_MS));
        g.add(
                aot == null
                        ? new Goal("start-up (c) RSS after start, image flags", "≤ 150 MB", "not measured", null)
                        : new Goal(
                                "start-up (c) RSS after start, image flags (JDK 25 + AOT cache)",
                                "≤ 150 MB",
                                fmt(aot.rssStartMb()) + " MB",
                                aot.rssStartMb() <= RSS_START_MB));
        if (aot != null) {
            boolean allGapFree = aot.runs().stream().allMatch(StartupResult.StartupRun::gapFree);
            g.add(new Goal(
                    "start-up: resumed events complete",
                    "every run gap-free",
                    aot.runs().stream()
                                    .filter(StartupResult.StartupRun::gapFree)
                                    .count() + "/" + aot.runs().size(),
                    allGapFree));
        }
    }

    private static StartupResult result(Object o) {
        return o instanceof StartupResult r && r.skipped() == null && !r.runs().isEmpty() ? r : null;
    }
}
