package io.stepcast.deploy.loadtest.scenario;

import io.stepcast.deploy.loadtest.LoadOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publish rate: runs the bridge CLI's {@code bench} (the bridge's events/s for one plan and many
 * plans, and {@code redis-benchmark} EVALSHA of the same script) on the run's Redis and keeps its
 * Markdown table rows. {@code benchArgs} add bench options (e.g. {@code --redis-mode cluster}).
 */
public final class PublishScenario {

    private PublishScenario() {}

    public static Map<String, Object> run(RunContext ctx, Path bridgeCliJar, String label, String... benchArgs)
            throws Exception {
        LoadOptions o = ctx.opts();
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                bridgeCliJar.toString(),
                "bench",
                "--redis",
                ctx.redisUri(),
                "--events",
                Integer.toString(o.publishEvents()),
                "--plans",
                Integer.toString(o.publishPlans())));
        cmd.addAll(List.of(benchArgs));
        RunContext.log("publish: %s", String.join(" ", cmd));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = p.waitFor();
        Files.writeString(ctx.runDir().resolve("logs/publish-bench-" + label + ".txt"), text);
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] cells = line.split("\\|");
            if (line.startsWith("| ")
                    && cells.length >= 4
                    && !cells[1].trim().equals("run")
                    && !cells[1].trim().startsWith("-")) {
                Map<String, String> row = new LinkedHashMap<>();
                row.put("run", cells[1].trim());
                row.put("events", cells[2].trim());
                row.put("events_per_sec", cells[3].trim());
                rows.add(row);
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("exit", exit);
        // the bench options without the JVM, the jar and the Redis URI (a list of loopback ports)
        List<String> options = new ArrayList<>(cmd.subList(3, cmd.size()));
        options.subList(1, 3).clear();
        out.put("command", String.join(" ", options));
        out.put("rows", rows);
        out.put(
                "ratios",
                text.lines().filter(l -> l.startsWith("ratio")).findFirst().orElse(null));
        out.put("load", RunContext.load());
        System.out.print(text);
        return out;
    }
}
