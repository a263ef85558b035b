package io.stepcast.deploy.loadtest.report;

import static io.stepcast.deploy.loadtest.report.Goals.fmt;
import static io.stepcast.deploy.loadtest.report.Goals.map;

import java.util.List;
import java.util.Map;

/** results.md tables of the measurements repeated within a run: saturation steps and idle rounds. */
final class SpreadTables {

    private SpreadTables() {}

    static void saturation(StringBuilder md, Map<?, ?> saturation, String rateHead) {
        if (saturation.isEmpty()) {
            return;
        }
        md.append("\n**Saturation search** (the fan-out plan and subscribers, offered rate raised until p99 > "
                + "the limit or any loss, then bisected; sustained = deliveries/s of the highest rate that "
                + "held):\n\n| system | sustained deliveries/s | at offered ev/s | p99 limit ms | steps |\n"
                + "|---|---:|---:|---:|---:|\n");
        SaturationResult ceiling = saturation.get("netty") instanceof SaturationResult n ? n : null;
        saturation.forEach((sys, r) -> {
            if (r instanceof SaturationResult s) {
                md.append("| ")
                        .append(sys)
                        .append(" | ")
                        .append(fmt(s.sustainedDeliveredPerSec()))
                        .append(
                                ceiling != null
                                                && !sys.equals("netty")
                                                && !Double.isNaN(s.sustainedDeliveredPerSec())
                                                && ceiling.sustainedDeliveredPerSec() > 0
                                        ? " ("
                                                + fmt(100
                                                        * s.sustainedDeliveredPerSec()
                                                        / ceiling.sustainedDeliveredPerSec())
                                                + "% of the ceiling)"
                                        : "")
                        .append(" | ")
                        .append(fmt(s.sustainedRate()))
                        .append(" | ")
                        .append(fmt(s.p99LimitMs()))
                        .append(" | ")
                        .append(s.steps().size())
                        .append(" |\n");
            } else {
                md.append("| ")
                        .append(sys)
                        .append(" | failed: ")
                        .append(map(r).get("error"))
                        .append(" |\n");
            }
        });
        md.append("\nEvery step, in the order run:\n\n").append(rateHead);
        saturation.forEach((sys, r) -> {
            if (r instanceof SaturationResult s) {
                s.steps().forEach(step -> MarkdownReport.rateRow(md, step));
            }
        });
    }

    static void idle(StringBuilder md, Map<?, ?> idle) {
        if (idle.isEmpty()) {
            return;
        }
        md.append("\n**Idle** (subscribed connections, no events; each round on a freshly started server). "
                + "RSS per connection over the rounds:\n\n| system | rounds | min KiB | median KiB | max KiB |\n"
                + "|---|---:|---:|---:|---:|\n");
        idle.forEach((sys, r) -> {
            List<IdleResult> rounds = SaturationGoals.rounds(r);
            if (rounds.isEmpty()) {
                md.append("| ")
                        .append(sys)
                        .append(" | failed: ")
                        .append(map(r).get("error"))
                        .append(" |\n");
                return;
            }
            double[] v = SaturationGoals.stats(rounds);
            md.append("| ")
                    .append(sys)
                    .append(" | ")
                    .append(rounds.size())
                    .append(" | ")
                    .append(fmt(v[0]))
                    .append(" | ")
                    .append(fmt(v[1]))
                    .append(" | ")
                    .append(fmt(v[2]))
                    .append(" |\n");
        });
        md.append("\nEvery round:\n\n| system | round | connections | plans | RSS before MB "
                + "| RSS at half MB | RSS after MB | RSS per connection KiB | second half: RSS per connection KiB "
                + "| live heap per connection KiB | idle CPU % | load 1m |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        idle.forEach((sys, r) -> {
            for (IdleResult i : SaturationGoals.rounds(r)) {
                md.append("| ")
                        .append(i.system())
                        .append(" | ")
                        .append(i.round())
                        .append(" | ")
                        .append(i.connections())
                        .append(" | ")
                        .append(i.plans())
                        .append(" | ")
                        .append(i.rssBeforeBytes() >> 20)
                        .append(" | ")
                        .append(i.rssHalfBytes() >> 20)
                        .append(" | ")
                        .append(i.rssAfterBytes() >> 20)
                        .append(" | ")
                        .append(fmt(i.rssPerConnBytes() / 1024))
                        .append(" | ")
                        .append(fmt(i.marginalRssPerConnBytes() / 1024))
                        .append(" | ")
                        .append(i.liveHeapPerConnBytes() < 0 ? "n/a" : fmt(i.liveHeapPerConnBytes() / 1024))
                        .append(" | ")
                        .append(fmt(i.idleCpuPercent()))
                        .append(" | ")
                        .append(MarkdownReport.first(i.load()))
                        .append(" |\n");
            }
        });
    }
}
