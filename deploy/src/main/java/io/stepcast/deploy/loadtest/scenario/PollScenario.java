package io.stepcast.deploy.loadtest.scenario;

import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.event.PlanEvent;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.event.StepState;
import io.stepcast.bridge.event.StepStatus;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.deploy.loadtest.LoadOptions;
import io.stepcast.deploy.loadtest.proc.ProcStats;
import io.stepcast.deploy.loadtest.report.PollResult;
import io.stepcast.deploy.loadtest.sut.StepcastGateway;
import io.stepcast.deploy.loadtest.sut.SystemUnderTest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Snapshot polling (Stepcast only): wrk against {@code GET /api/plans/{plan}} of a plan with 20
 * steps, once plain (200 + body) and once with {@code If-None-Match} of the current ETag (304).
 */
public final class PollScenario {

    private PollScenario() {}

    public static List<PollResult> run(RunContext ctx, SystemUnderTest sut) throws Exception {
        LoadOptions o = ctx.opts();
        List<PollResult> out = new ArrayList<>();
        try (SystemUnderTest.Running running = sut.start(ctx.redisUri(), ctx.runDir(), "poll")) {
            String plan = "poll-0";
            seed(ctx.redisUri(), plan);
            String url = "http://127.0.0.1:" + running.port() + "/api/plans/" + plan;
            String token = sut instanceof StepcastGateway g ? g.token(plan) : null;
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> first = http.send(request(url, token).build(), HttpResponse.BodyHandlers.ofString());
            String etag = first.headers().firstValue("ETag").orElse(null);
            out.add(wrk(
                    ctx,
                    running,
                    url,
                    token,
                    null,
                    first.statusCode(),
                    first.body().getBytes(StandardCharsets.UTF_8).length,
                    "200",
                    o));
            if (etag != null) {
                int status = http.send(
                                request(url, token)
                                        .header("If-None-Match", etag)
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode();
                out.add(wrk(ctx, running, url, token, etag, status, 0, "304", o));
            } else {
                RunContext.log("poll: no ETag on %s (status %d): 304 path not measured", url, first.statusCode());
            }
        }
        return out;
    }

    /** A plan with 20 steps, some done with output, one running. */
    private static void seed(String redisUri, String plan) throws Exception {
        try (LettuceEventPublisher p = LettuceEventPublisher.create(redisUri, BridgeConfig.defaults())) {
            List<String> names = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                names.add("step-" + i);
            }
            List<PlanEvent> events = new ArrayList<>();
            events.add(new PlanStarted("poll benchmark", names));
            for (int i = 0; i < 12; i++) {
                events.add(new StepStatus(i, null, StepState.RUNNING));
                events.add(new StepOutput(i, "line of output for step " + i + " ".repeat(40) + "\n"));
                events.add(new StepStatus(i, null, i == 11 ? StepState.RUNNING : StepState.SUCCEEDED));
            }
            p.publishBatch(plan, events).get(30, TimeUnit.SECONDS);
        }
    }

    private static HttpRequest.Builder request(String url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url));
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private static PollResult wrk(
            RunContext ctx,
            SystemUnderTest.Running running,
            String url,
            String token,
            String etag,
            int status,
            int bodyBytes,
            String path,
            LoadOptions o)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                "wrk",
                "-t2",
                "-c" + o.pollConnections(),
                "-d" + Math.max(1, o.pollDuration().toSeconds()) + "s",
                "--latency"));
        if (token != null) {
            cmd.addAll(List.of("-H", "Authorization: Bearer " + token));
        }
        if (etag != null) {
            cmd.addAll(List.of("-H", "If-None-Match: " + etag));
        }
        cmd.add(url);
        ProcStats s0 = running.process().stats();
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        double secs = (System.nanoTime() - t0) / 1e9;
        ProcStats s1 = running.process().stats();
        PollResult r = new PollResult(
                path,
                status,
                bodyBytes,
                o.pollConnections(),
                o.pollDuration().toSeconds(),
                number(text, "Requests/sec:\\s+([0-9.]+)"),
                find(text, "\\s50%\\s+(\\S+)"),
                find(text, "\\s90%\\s+(\\S+)"),
                find(text, "\\s99%\\s+(\\S+)"),
                (long) number(text, "Non-2xx or 3xx responses:\\s+([0-9]+)"),
                find(text, "Socket errors:([^\\n]+)"),
                100 * (s1.cpuSeconds() - s0.cpuSeconds()) / secs,
                RunContext.load());
        RunContext.log(
                "poll %s (probe status %d): %.0f req/s, p50 %s, p99 %s, errors %d, gateway CPU %.0f%%, load %s",
                path, status, r.requestsPerSec(), r.p50(), r.p99(), r.non2xx3xx(), r.serverCpuPercent(), r.load());
        Files.writeString(ctx.runDir().resolve("logs/wrk-" + path + ".txt"), String.join(" ", cmd) + "\n" + text);
        return r;
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? m.group(1).trim() : null;
    }

    private static double number(String text, String regex) {
        String s = find(text, regex);
        return s == null ? 0 : Double.parseDouble(s);
    }
}
