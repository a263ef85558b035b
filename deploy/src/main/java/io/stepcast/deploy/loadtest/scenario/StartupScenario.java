package io.stepcast.deploy.loadtest.scenario;

import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import io.stepcast.deploy.loadtest.LoadOptions;
import io.stepcast.deploy.loadtest.client.ColdStartClient;
import io.stepcast.deploy.loadtest.client.Conn;
import io.stepcast.deploy.loadtest.client.FleetStats;
import io.stepcast.deploy.loadtest.client.PublishedPlan;
import io.stepcast.deploy.loadtest.proc.ManagedProcess;
import io.stepcast.deploy.loadtest.publish.BridgeSource;
import io.stepcast.deploy.loadtest.report.StartupResult;
import io.stepcast.deploy.loadtest.report.StartupResult.StartupRun;
import io.stepcast.deploy.loadtest.sut.NettyCeiling;
import io.stepcast.deploy.loadtest.sut.StepcastGateway;
import io.stepcast.deploy.loadtest.sut.SystemUnderTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Start-up (serverless cold path), each variant started {@code --startup-runs} times, the variants
 * interleaved run by run so a busy machine weighs on all alike: (a) process start → readiness UP;
 * (b) process start → first event at a WebSocket client that was already retrying to connect and
 * resumes with {@code since}/{@code epoch} (the events it missed were published while no gateway
 * ran); (c) RSS 2 s after the first client was served, and with 1,000 idle subscribed connections
 * (after the last run). The raw Netty ceiling is the floor of a JVM WebSocket server on the machine:
 * (a) is when its port accepts, (b) its {@code subscribed} frame (it has no log to resume from).
 */
public final class StartupScenario {

    private static final int EVENTS = 10;
    private static final int SINCE = 4;

    private StartupScenario() {}

    /**
     * One way of starting: a JVM, its flags, whether it is the raw ceiling, and the gateway jar (null:
     * the benchmark's production jar).
     */
    record Variant(String name, Path java, List<String> flags, boolean netty, Path jar) {}

    public static Map<String, StartupResult> run(RunContext ctx, StepcastGateway gateway, NettyCeiling ceiling)
            throws Exception {
        LoadOptions o = ctx.opts();
        Map<String, StartupResult> results = new LinkedHashMap<>();
        List<Variant> variants = new ArrayList<>();
        for (String name : o.startupVariants()) {
            String why = StartupVariants.unavailable(name, o, gateway.jar());
            if (why != null) {
                RunContext.log("startup: %s skipped: %s", name, why);
                results.put(name, StartupResult.skipped(name, why));
            } else {
                variants.add(StartupVariants.of(name, o, gateway.jar()));
            }
        }
        Map<String, List<StartupRun>> runs = new LinkedHashMap<>();
        Map<String, double[]> idle = new LinkedHashMap<>();
        try (LettuceEventPublisher publisher = LettuceEventPublisher.create(ctx.redisUri())) {
            for (int i = 1; i <= o.startupRuns(); i++) {
                for (Variant v : variants) {
                    boolean last = i == o.startupRuns();
                    RunContext.log("startup: %s run %d/%d (load %s)", v.name(), i, o.startupRuns(), RunContext.load());
                    double[] idleOut = new double[2];
                    StartupRun r = once(ctx, v, i, gateway, ceiling, publisher, last ? idleOut : null);
                    RunContext.log(
                            "startup: %s run %d: ready %.0f ms, first event %.0f ms, CPU at ready %.2f s, "
                                    + "RSS %.0f MB, resumed %d/%d gap-free %s, %d attempts",
                            v.name(),
                            i,
                            r.readyMs(),
                            r.firstEventMs(),
                            r.cpuAtReadyS(),
                            r.rssStartMb(),
                            r.resumedEvents(),
                            r.expectedEvents(),
                            r.gapFree(),
                            r.attempts());
                    runs.computeIfAbsent(v.name(), k -> new ArrayList<>()).add(r);
                    if (last) {
                        idle.put(v.name(), idleOut);
                    }
                    Thread.sleep(1000); // let the previous process's sockets and CPU settle
                }
            }
        }
        for (Variant v : variants) {
            List<StartupRun> rs = runs.getOrDefault(v.name(), List.of());
            double[] id = idle.getOrDefault(v.name(), new double[] {0, Double.NaN});
            results.put(
                    v.name(),
                    new StartupResult(
                            v.name(),
                            StartupVariants.javaVersion(v.java()),
                            String.join(" ", v.flags()),
                            rs,
                            med(rs, StartupRun::readyMs),
                            med(rs, StartupRun::firstEventMs),
                            med(rs, StartupRun::cpuAtReadyS),
                            med(rs, StartupRun::rssStartMb),
                            (int) id[0],
                            id[1],
                            null));
        }
        return results;
    }

    private static double med(List<StartupRun> runs, Function<StartupRun, Double> f) {
        return StartupResult.median(runs.stream().map(f).toList());
    }

    private static StartupRun once(
            RunContext ctx,
            Variant v,
            int run,
            StepcastGateway gateway,
            NettyCeiling ceiling,
            LettuceEventPublisher publisher,
            double[] idleOut)
            throws Exception {
        if (v.jar() != null) {
            gateway = gateway.withJar(v.jar());
        }
        String plan = "startup-" + v.name().replace('_', '-') + "-" + run + "-" + System.currentTimeMillis() % 100000;
        PublishResult started = publisher
                .publish(plan, new PlanStarted("startup " + plan, List.of("output")))
                .get();
        PublishResult lastPublished = started;
        for (int i = 1; i < EVENTS; i++) {
            lastPublished = publisher
                    .publish(plan, new StepOutput(0, "missed while scaled to zero " + i + "\n"))
                    .get();
        }
        long since = started.seq() + SINCE - 1;
        int expected = (int) (lastPublished.seq() - since);
        int port = ManagedProcess.freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(v.java().toString());
        cmd.addAll(v.flags());
        cmd.addAll(v.netty() ? ceiling.arguments(port, ctx.redisUri()) : gateway.arguments(port, ctx.redisUri()));
        String load = RunContext.load();
        try (ColdStartClient client = (v.netty()
                        ? ColdStartClient.raw(port, plan)
                        : ColdStartClient.stepcast(port, plan, since, started.epoch(), gateway.token(plan)))
                .start()) {
            Thread.sleep(100); // the client is retrying before the process exists
            long t0 = System.nanoTime();
            ManagedProcess p = ManagedProcess.start(
                    "startup " + v.name(),
                    cmd,
                    Map.of(),
                    ctx.runDir().resolve("logs/startup-" + v.name() + "-" + run + ".log"));
            try {
                long ready = v.netty() ? awaitPort(p, port) : awaitReady(p, port);
                double cpu = p.stats().cpuSeconds();
                if (!client.awaitFirst(Duration.ofSeconds(60))) {
                    throw new IOException(v.name() + ": no first event within 60 s:\n" + p.tail());
                }
                long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (!v.netty() && client.seqs().size() < expected && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                List<Long> seqs = client.seqs();
                boolean gapFree = v.netty() || gapFree(seqs, since, lastPublished.seq());
                Thread.sleep(2000);
                double rss = p.stats().rssBytes() / 1048576.0;
                if (idleOut != null) {
                    idleOut[0] = ctx.opts().startupIdleConnections();
                    idleOut[1] = idleRss(ctx, v.netty() ? ceiling : gateway, new SystemUnderTest.Running(p, port), v);
                }
                return new StartupRun(
                        (ready - t0) / 1e6,
                        (client.firstAtNanos() - t0) / 1e6,
                        cpu,
                        rss,
                        v.netty() ? 0 : seqs.size(),
                        v.netty() ? 0 : expected,
                        gapFree,
                        client.attempts(),
                        load);
            } finally {
                p.close();
            }
        }
    }

    static boolean gapFree(List<Long> seqs, long since, long last) {
        if (seqs.size() != last - since) {
            return false;
        }
        for (int i = 0; i < seqs.size(); i++) {
            if (seqs.get(i) != since + 1 + i) {
                return false;
            }
        }
        return true;
    }

    private static long awaitReady(ManagedProcess p, int port) throws Exception {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/readiness"))
                .timeout(Duration.ofSeconds(2))
                .build();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.alive()) {
                throw new IOException(p.name() + " exited:\n" + p.tail());
            }
            try {
                if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return System.nanoTime();
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(10);
        }
        throw new IOException(p.name() + " not ready within 120 s:\n" + p.tail());
    }

    private static long awaitPort(ManagedProcess p, int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.alive()) {
                throw new IOException(p.name() + " exited:\n" + p.tail());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return System.nanoTime();
            } catch (IOException notYet) {
                Thread.sleep(10);
            }
        }
        throw new IOException(p.name() + " did not listen within 120 s:\n" + p.tail());
    }

    /** Opens the idle connections (10 plans), waits for them to settle, returns the RSS in MB. */
    private static double idleRss(RunContext ctx, SystemUnderTest sut, SystemUnderTest.Running running, Variant v)
            throws Exception {
        int n = ctx.opts().startupIdleConnections();
        if (n <= 0) {
            return Double.NaN;
        }
        List<PublishedPlan> plans = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            plans.add(new PublishedPlan("startup-idle-" + v.name() + "-" + i));
        }
        try (BridgeSource src = new BridgeSource(ctx.redisUri())) {
            src.prepare(plans, Duration.ofSeconds(60));
        }
        List<Conn> conns = ctx.conns(n, plans, new FleetStats(ctx.timeBase()));
        try {
            int open = ctx.connect(running, sut, conns, ctx.opts().connectInFlight());
            Thread.sleep(5000);
            double rss = running.process().stats().rssBytes() / 1048576.0;
            RunContext.log("startup: %s with %d/%d idle connections: RSS %.0f MB", v.name(), open, n, rss);
            return rss;
        } finally {
            RunContext.closeAll(conns);
        }
    }
}
