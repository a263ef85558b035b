package io.stepcast.deploy.loadtest.report;

import static io.stepcast.deploy.loadtest.report.Goals.fmt;
import static io.stepcast.deploy.loadtest.report.Goals.map;

import java.util.List;
import java.util.Map;

/** results.md: the goals, then one table per scenario, with the conditions of the run. */
public final class MarkdownReport {

    private MarkdownReport() {}

    public static String render(Map<String, Object> results) {
        StringBuilder md = new StringBuilder();
        Map<?, ?> machine = map(results.get("machine"));
        md.append("Run of ")
                .append(results.get("date"))
                .append(" on ")
                .append(machine.get("cores"))
                .append(" cores (")
                .append(machine.get("cpu"))
                .append(", ")
                .append(machine.get("memory_mb"))
                .append(" MB), Java ")
                .append(machine.get("java"))
                .append(", ")
                .append(machine.get("redis"))
                .append(", node ")
                .append(machine.get("node"))
                .append(". Load average (1/5/15 min) at start ")
                .append(results.get("load_start"))
                .append(", at end ")
                .append(results.get("load_end"))
                .append(".\nCommand: `")
                .append(results.get("command"))
                .append("`\n\n");
        md.append("| goal | target | measured | met |\n|---|---|---|---|\n");
        if (results.get("goals") instanceof List<?> goals) {
            for (Object o : goals) {
                Goal g = (Goal) o;
                md.append("| ")
                        .append(g.goal())
                        .append(" | ")
                        .append(g.target())
                        .append(" | ")
                        .append(g.measured())
                        .append(" | ")
                        .append(g.met() == null ? "not measured" : g.met() ? "**met**" : "**missed**")
                        .append(" |\n");
            }
        }
        Map<?, ?> sc = map(results.get("scenarios"));
        String rateHead = "| system | offered ev/s | subscribers | delivered/s | p50 ms | p99 ms | p99.9 ms | max ms "
                + "| lost | dup | closed | server CPU % | server RSS MB | loadgen CPU % | foreign CPU % | load 1m |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n";
        if (!map(sc.get("fanout")).isEmpty()) {
            md.append("\n**Fan-out** (1 plan, every subscriber gets every event, 100-byte chunks):\n\n")
                    .append(rateHead);
            map(sc.get("fanout")).forEach((sys, steps) -> {
                if (steps instanceof List<?> l) {
                    l.forEach(s -> rateRow(md, (RateStep) s));
                } else {
                    md.append("| ")
                            .append(sys)
                            .append(" | failed: ")
                            .append(map(steps).get("error"))
                            .append(" |\n");
                }
            });
        }
        SpreadTables.saturation(md, map(sc.get("saturation")), rateHead);
        if (!map(sc.get("wide")).isEmpty()) {
            md.append("\n**Wide** (one plan per connection, the rate spread over all plans):\n\n")
                    .append(rateHead);
            map(sc.get("wide")).forEach((sys, s) -> {
                if (s instanceof RateStep r) {
                    rateRow(md, r);
                } else {
                    md.append("| ")
                            .append(sys)
                            .append(" | failed: ")
                            .append(map(s).get("error"))
                            .append(" |\n");
                }
            });
        }
        SpreadTables.idle(md, map(sc.get("idle")));
        if (map(sc.get("resume")).get("stepcast") instanceof ResumeResult r) {
            md.append("\n**Resume storm** (Stepcast; every client drops, falls behind, reconnects at once while live "
                    + "events continue):\n\n| clients | plans | behind | live ev/s | reconnected | recovered | resets | gaps "
                    + "| dup | missing | all caught up ms | p50 ms | p99 ms | server CPU s | load 1m |\n"
                    + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            md.append("| ")
                    .append(r.clients())
                    .append(" | ")
                    .append(r.plans())
                    .append(" | ")
                    .append(r.behind())
                    .append(" | ")
                    .append(fmt(r.liveRate()))
                    .append(" | ")
                    .append(r.reconnected())
                    .append(" | ")
                    .append(r.recovered())
                    .append(" | ")
                    .append(r.resets())
                    .append(" | ")
                    .append(r.gaps())
                    .append(" | ")
                    .append(r.duplicates())
                    .append(" | ")
                    .append(r.missing())
                    .append(" | ")
                    .append(fmt(r.allRecoveredMs()))
                    .append(" | ")
                    .append(fmt(r.recoveryTime().p50Ms()))
                    .append(" | ")
                    .append(fmt(r.recoveryTime().p99Ms()))
                    .append(" | ")
                    .append(fmt(r.serverCpuSeconds()))
                    .append(" | ")
                    .append(first(r.load()))
                    .append(" |\n");
        }
        if (map(sc.get("compression")).get("stepcast") instanceof List<?> rounds) {
            md.append("\n**Compression** (Stepcast; every client offers permessage-deflate; the same stream of "
                    + "~120 B log lines and step statuses; the first round of each setting warms up):\n\n"
                    + "| stepcast.ws.compression | round | clients | delivered frames | wire bytes/frame "
                    + "| gateway CPU ms per 1000 frames | load 1m |\n|---|---|---:|---:|---:|---:|---|\n");
            for (Object o : rounds) {
                CompressionResult c = (CompressionResult) o;
                md.append("| ")
                        .append(c.compression())
                        .append(" | ")
                        .append(c.warmUp() ? "warm-up" : "measured")
                        .append(" | ")
                        .append(c.clients())
                        .append(" | ")
                        .append(c.delivered())
                        .append(" | ")
                        .append(fmt(c.wireBytesPerFrame()))
                        .append(" | ")
                        .append(fmt(c.serverCpuMsPer1000()))
                        .append(" | ")
                        .append(first(c.load()))
                        .append(" |\n");
            }
        }
        if (!map(map(sc.get("presence")).get("stepcast")).isEmpty()) {
            Map<?, ?> p = map(map(sc.get("presence")).get("stepcast"));
            md.append("\n**Presence upkeep** (one gateway, heartbeat ")
                    .append(p.get("heartbeat_s"))
                    .append(" s, ")
                    .append(p.get("connections"))
                    .append(" subscribed connections over ")
                    .append(p.get("plans"))
                    .append(" plans; Redis's INFO counters; load ")
                    .append(first(String.valueOf(p.get("load"))))
                    .append("):\n\n| window | seconds | presence scripts | fields changed | commands/s (incl. inside "
                            + "scripts) | EVALSHA µs/call | bytes into Redis | per presence script | bytes out of Redis "
                            + "| per presence script |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
            for (String w : List.of("ramp", "idle")) {
                Map<?, ?> x = map(p.get(w));
                md.append("| ")
                        .append(w)
                        .append(" | ")
                        .append(x.get("seconds"))
                        .append(" | ")
                        .append(x.get("presence_scripts"))
                        .append(" | ")
                        .append(x.get("presence_field_changes"))
                        .append(" | ")
                        .append(x.get("commands_per_s_incl_inside_scripts"))
                        .append(" | ")
                        .append(x.get("evalsha_usec_per_call"))
                        .append(" | ")
                        .append(x.get("net_in_bytes"))
                        .append(" | ")
                        .append(x.get("net_in_bytes_per_presence_script"))
                        .append(" | ")
                        .append(x.get("net_out_bytes"))
                        .append(" | ")
                        .append(x.get("net_out_bytes_per_presence_script"))
                        .append(" |\n");
            }
            md.append("\nPresence keys: ").append(p.get("memory")).append('\n');
        }
        if (map(sc.get("poll")).get("stepcast") instanceof List<?> polls) {
            md.append("\n**Poll** (wrk, 2 threads, against `GET /api/plans/{plan}` of a 20-step plan):\n\n"
                    + "| path | probe status | body bytes | connections | req/s | p50 | p90 | p99 | errors | gateway CPU % "
                    + "| load 1m |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
            for (Object o : polls) {
                PollResult p = (PollResult) o;
                md.append("| ")
                        .append(p.path())
                        .append(" | ")
                        .append(p.status())
                        .append(" | ")
                        .append(p.bodyBytes())
                        .append(" | ")
                        .append(p.connections())
                        .append(" | ")
                        .append(fmt(p.requestsPerSec()))
                        .append(" | ")
                        .append(p.p50())
                        .append(" | ")
                        .append(p.p90())
                        .append(" | ")
                        .append(p.p99())
                        .append(" | ")
                        .append(p.non2xx3xx())
                        .append(" | ")
                        .append(fmt(p.serverCpuPercent()))
                        .append(" | ")
                        .append(first(p.load()))
                        .append(" |\n");
            }
        }
        if (!map(sc.get("startup")).isEmpty()) {
            StartupTable.render(md, map(sc.get("startup")));
        }
        map(sc.get("publish")).forEach((sys, result) -> publishTable(md, String.valueOf(sys), map(result)));
        return md.toString();
    }

    /** One bridge CLI {@code bench} run: standalone ({@code stepcast}) or on the run's cluster. */
    private static void publishTable(StringBuilder md, String system, Map<?, ?> result) {
        if (!(result.get("rows") instanceof List<?> rows)) {
            md.append("\n**Publish** (").append(system).append("): failed: ").append(result.get("error"));
            md.append("\n");
            return;
        }
        md.append(
                        system.equals("stepcast")
                                ? "\n**Publish** (bridge CLI `bench` on the same Redis):\n\n"
                                : "\n**Publish on the Redis Cluster** (3 masters + 3 replicas, `"
                                        + result.get("command") + "`):\n\n")
                .append("| run | events | events/s |\n|---|---:|---:|\n");
        for (Object o : rows) {
            Map<?, ?> row = map(o);
            md.append("| ")
                    .append(row.get("run"))
                    .append(" | ")
                    .append(row.get("events"))
                    .append(" | ")
                    .append(row.get("events_per_sec"))
                    .append(" |\n");
        }
        if (result.get("ratios") != null) {
            md.append("\n").append(result.get("ratios")).append("\n");
        }
    }

    static void rateRow(StringBuilder md, RateStep s) {
        Latency l = s.latency();
        md.append("| ")
                .append(s.system())
                .append(" | ")
                .append(fmt(s.offeredRate()))
                .append(" | ")
                .append(s.subscribers())
                .append(" | ")
                .append(fmt(s.deliveredPerSec()))
                .append(" | ")
                .append(fmt(l.p50Ms()))
                .append(" | ")
                .append(fmt(l.p99Ms()))
                .append(" | ")
                .append(fmt(l.p999Ms()))
                .append(" | ")
                .append(fmt(l.maxMs()))
                .append(" | ")
                .append(s.lost())
                .append(" | ")
                .append(s.duplicated())
                .append(" | ")
                .append(s.closed())
                .append(" | ")
                .append(fmt(s.serverCpuPercent()))
                .append(" | ")
                .append(s.serverRssBytes() >> 20)
                .append(" | ")
                .append(fmt(s.loadgenCpuPercent()))
                .append(" | ")
                .append(fmt(s.foreignCpuPercent()))
                .append(" | ")
                .append(first(s.load()))
                .append(s.saturated() ? " (saturated)" : "")
                .append(" |\n");
    }

    static String first(String load) {
        return load == null ? "?" : load.split(" ")[0];
    }
}
