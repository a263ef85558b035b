package io.stepcast.deploy.loadtest.scenario;

import io.stepcast.deploy.loadtest.LoadOptions;
import io.stepcast.deploy.loadtest.client.Conn;
import io.stepcast.deploy.loadtest.client.FleetStats;
import io.stepcast.deploy.loadtest.client.PublishedPlan;
import io.stepcast.deploy.loadtest.proc.ProcStats;
import io.stepcast.deploy.loadtest.proc.ThreadCpu;
import io.stepcast.deploy.loadtest.publish.EventSource;
import io.stepcast.deploy.loadtest.report.IdleResult;
import io.stepcast.deploy.loadtest.report.ProfileWindows;
import io.stepcast.deploy.loadtest.sut.SystemUnderTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Idle: the server's RSS before and after many subscribed connections that receive nothing. The
 * "before" reading follows a warm-up round ({@code --idle-warmup}, by default a tenth of the
 * connections, connected and closed), so first-use costs are not charged to the connections: class
 * loading, JIT code, pooled buffers and — for the JVM servers — heap pages that the garbage
 * collector first touches while a connection storm allocates (a JVM's resident heap grows towards
 * its committed size with any allocation, whoever holds the memory afterwards). What remains is what
 * the open connections hold. {@code --idle-warmup 1} warms up with as many connections as measured.
 */
public final class IdleScenario {

    private IdleScenario() {}

    /**
     * Live heap by class with every connection open (jcmd GC.class_histogram, after the RSS
     * readings: it forces a full GC): where the per-connection bytes go.
     */
    static long classHistogram(long pid, Path file) {
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), "GC.class_histogram")
                    .redirectErrorStream(true)
                    .redirectOutput(file.toFile())
                    .start();
            p.waitFor(120, TimeUnit.SECONDS);
            return Files.readAllLines(file).stream()
                    .filter(l -> l.startsWith("Total"))
                    .map(l -> Long.parseLong(l.trim().split("\\s+")[2]))
                    .findFirst()
                    .orElse(-1L);
        } catch (IOException | InterruptedException | RuntimeException e) {
            RunContext.log("class histogram of %d failed: %s", pid, e);
            return -1;
        }
    }

    /**
     * Saves {@code jcmd <pid> <command>} output into the run's logs (diagnostics only: heap regions,
     * and native memory by category when the server runs with {@code -XX:NativeMemoryTracking}).
     */
    static void jcmd(long pid, Path file, String... command) {
        try {
            List<String> cmd = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
            cmd.addAll(List.of(command));
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(file.toFile())
                    .start();
            p.waitFor(60, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            RunContext.log("jcmd %s of %d failed: %s", String.join(" ", command), pid, e);
        }
    }

    private static void memoryDiagnostics(long pid, Path logs, String tag) {
        jcmd(pid, logs.resolve("heap-info-" + tag + ".txt"), "GC.heap_info");
        jcmd(pid, logs.resolve("native-memory-" + tag + ".txt"), "VM.native_memory", "summary");
    }

    /**
     * {@code --idle-rounds} rounds, each on a freshly started server (the spread between rounds is
     * the spread a user sees between instances); a failed round is logged and skipped.
     */
    public static List<IdleResult> rounds(RunContext ctx, SystemUnderTest sut) throws Exception {
        List<IdleResult> rounds = new ArrayList<>();
        Exception last = null;
        for (int r = 1; r <= ctx.opts().idleRounds(); r++) {
            try {
                rounds.add(run(ctx, sut, r));
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                RunContext.log("idle round %d of %s failed: %s", r, sut.name(), e);
                last = e;
            }
        }
        if (rounds.isEmpty() && last != null) {
            throw last;
        }
        return rounds;
    }

    static IdleResult run(RunContext ctx, SystemUnderTest sut, int round) throws Exception {
        LoadOptions o = ctx.opts();
        String tag = sut.name() + "-r" + round;
        try (SystemUnderTest.Running running = sut.start(ctx.redisUri(), ctx.runDir(), "idle-r" + round);
                EventSource src = sut.events(ctx.redisUri())) {
            List<PublishedPlan> plans = new ArrayList<>();
            for (int i = 0; i < o.idlePlans(); i++) {
                plans.add(new PublishedPlan("idle-" + tag + "-" + i));
            }
            src.prepare(plans, Duration.ofSeconds(60));
            FleetStats stats = new FleetStats(ctx.timeBase());
            List<Conn> warm =
                    ctx.conns(Math.max(1, (int) Math.round(o.idleConnections() * o.idleWarmup())), plans, stats);
            ctx.connect(running, sut, warm, o.connectInFlight());
            RunContext.closeAll(warm);
            Thread.sleep(o.idleSettle().toMillis());
            ProcStats before = running.process().stats();
            boolean jvm = !sut.name().equals("socketio");
            if (jvm) {
                memoryDiagnostics(running.process().pid(), ctx.runDir().resolve("logs"), tag + "-before");
            }
            long heap0 = jvm
                    ? classHistogram(
                            running.process().pid(), ctx.runDir().resolve("logs/histogram-" + tag + "-before.txt"))
                    : -1;
            List<Conn> conns = ctx.conns(o.idleConnections(), plans, new FleetStats(ctx.timeBase()));
            // in two halves: the second half's growth is the marginal cost of a connection once the
            // server holds many (heap sizing and first-touch effects are paid by the first half)
            int half = conns.size() / 2;
            int n1 = ctx.connect(running, sut, conns.subList(0, half), o.connectInFlight());
            try {
                Thread.sleep(o.idleSettle().toMillis());
                ProcStats halfway = running.process().stats();
                int n2 = ctx.connect(running, sut, conns.subList(half, conns.size()), o.connectInFlight());
                int n = n1 + n2;
                Thread.sleep(o.idleSettle().toMillis());
                ProcStats mid = running.process().stats();
                var threads0 = ThreadCpu.read(running.process().pid());
                Instant wall0 = Instant.now();
                Thread.sleep(o.idleSettle().toMillis());
                ProcStats after = running.process().stats();
                if (jvm) {
                    memoryDiagnostics(running.process().pid(), ctx.runDir().resolve("logs"), tag + "-after");
                }
                ProfileWindows.mark(tag + "-idle", wall0, Instant.now());
                ProfileWindows.threads(
                        tag + "-idle",
                        ThreadCpu.percent(
                                threads0,
                                ThreadCpu.read(running.process().pid()),
                                o.idleSettle().toMillis() / 1000.0));
                long heap1 = jvm
                        ? classHistogram(
                                running.process().pid(), ctx.runDir().resolve("logs/histogram-" + tag + ".txt"))
                        : -1;
                double idleCpu = 100
                        * (after.cpuSeconds() - mid.cpuSeconds())
                        / (o.idleSettle().toMillis() / 1000.0);
                IdleResult r = new IdleResult(
                        sut.name(),
                        round,
                        n,
                        o.idlePlans(),
                        before.rssBytes(),
                        after.rssBytes(),
                        n == 0 ? Double.NaN : (double) (after.rssBytes() - before.rssBytes()) / n,
                        halfway.rssBytes(),
                        n2 == 0 ? Double.NaN : (double) (after.rssBytes() - halfway.rssBytes()) / n2,
                        idleCpu,
                        RunContext.load(),
                        heap0,
                        heap1,
                        jvm && n > 0 ? (double) (heap1 - heap0) / n : -1);
                RunContext.log(
                        "%s idle round %d: %d connections, RSS %d → %d → %d MB, %.0f bytes/connection (second half %.0f,"
                                + " live heap %.0f), idle CPU %.1f%%, load %s",
                        sut.name(),
                        round,
                        n,
                        before.rssBytes() >> 20,
                        halfway.rssBytes() >> 20,
                        after.rssBytes() >> 20,
                        r.rssPerConnBytes(),
                        r.marginalRssPerConnBytes(),
                        r.liveHeapPerConnBytes(),
                        idleCpu,
                        r.load());
                return r;
            } finally {
                RunContext.closeAll(conns);
            }
        }
    }
}
