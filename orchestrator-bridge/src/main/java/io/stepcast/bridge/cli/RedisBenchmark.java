package io.stepcast.bridge.cli;

import io.lettuce.core.RedisURI;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.RedisLayout;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The baseline of {@code bench}: {@code redis-benchmark} calling the bridge's publish script with
 * {@code EVALSHA} directly (standalone Redis only), with the same keys, arguments and event body the
 * bridge would send, so the ratio bridge/redis-benchmark is the bridge's own cost.
 *
 * <p>Each {@link #eventsPerSecond} call runs one {@code redis-benchmark} process to the end (at most
 * ten minutes) on the calling thread. Expected outcomes are return values: null when the executable
 * is missing or failed, with the reason on {@code err}.
 *
 * @param executable the {@code redis-benchmark} command
 * @param rawUri the Redis URI of the run (host, port and password are passed on)
 * @param sha the SHA1 of the publish script, loaded beforehand
 */
record RedisBenchmark(
        String executable,
        String rawUri,
        RedisLayout layout,
        BridgeConfig config,
        String sha,
        int clients,
        int pipeline,
        PrintStream err) {

    /**
     * Runs redis-benchmark: {@code calls} EVALSHA calls of the publish script with {@code perCall} events each;
     * returns events/s, or null when redis-benchmark is not installed or failed.
     */
    Double eventsPerSecond(String plan, int calls, int perCall) throws IOException, InterruptedException {
        RedisURI uri = RedisURI.create(rawUri);
        String data = "{\"step_index\":0,\"chunk\":" + jsonString(BenchCommand.CHUNK) + "}";
        List<String> cmd = new ArrayList<>(List.of(
                executable,
                "-h",
                uri.getHost(),
                "-p",
                Integer.toString(uri.getPort()),
                "-n",
                Integer.toString(calls),
                "-c",
                Integer.toString(clients),
                "-P",
                Integer.toString(pipeline),
                "-r",
                "1000000000",
                "--csv"));
        String password = password(rawUri);
        if (password != null) {
            cmd.addAll(List.of("-a", password));
        }
        cmd.addAll(List.of(
                "EVALSHA",
                sha,
                "8",
                layout.metaKey(plan),
                layout.logKey(plan),
                layout.stateKey(plan),
                layout.indexKey(),
                layout.indexSummariesKey(),
                layout.indexMetaKey(),
                layout.indexLogKey(),
                layout.indexIdsKey(),
                plan,
                layout.channel(plan),
                layout.eventIdKeyPrefix(plan),
                "rbepoch00001",
                Long.toString(config.logMaxLen()),
                Long.toString(config.logTtl().toMillis()),
                Long.toString(config.metaTtl().toMillis()),
                Long.toString(config.eventIdTtl().toMillis()),
                Integer.toString(config.outputTailBytes()),
                "",
                layout.indexChannel(),
                "rbindex00001"));
        for (int k = 0; k < perCall; k++) {
            cmd.addAll(List.of("step_output", "rb-__rand_int__-" + k, "2026-01-01T00:00:00.000Z", data));
        }
        Process process;
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            err.println(
                    "bench: " + executable + " not runnable (" + e.getMessage() + "): redis-benchmark not measured");
            return null;
        }
        String last = null;
        List<String> lines = new ArrayList<>();
        try (BufferedReader reader =
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
                if (line.startsWith("\"EVALSHA")) {
                    last = line;
                }
            }
        }
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0 || last == null) {
            err.println("bench: redis-benchmark failed: " + String.join("\n", lines));
            return null;
        }
        // "<title>","rps","avg","min","p50","p95","p99","max": the title may contain commas and quotes
        String[] fields = last.split(",");
        return Double.parseDouble(fields[fields.length - 7].replace("\"", "")) * perCall;
    }

    /** The password of {@code redis://[user:]password@host:port}, or null. */
    private static String password(String uri) {
        String userInfo = URI.create(uri).getUserInfo();
        if (userInfo == null || userInfo.isEmpty()) {
            return null;
        }
        int colon = userInfo.indexOf(':');
        return colon >= 0 ? userInfo.substring(colon + 1) : userInfo;
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
