package io.stepcast.deploy.loadtest.scenario;

import io.stepcast.deploy.loadtest.client.Conn;
import io.stepcast.deploy.loadtest.client.FleetStats;
import io.stepcast.deploy.loadtest.client.PublishedPlan;
import io.stepcast.deploy.loadtest.proc.ProcStats;
import io.stepcast.deploy.loadtest.proc.ThreadCpu;
import io.stepcast.deploy.loadtest.publish.EventSource;
import io.stepcast.deploy.loadtest.publish.Pacer;
import io.stepcast.deploy.loadtest.report.Latency;
import io.stepcast.deploy.loadtest.report.ProfileWindows;
import io.stepcast.deploy.loadtest.report.RateStep;
import io.stepcast.deploy.loadtest.sut.SystemUnderTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One step at a fixed offered rate: warm-up, measured window, drain; then loss and duplicates by
 * seq over the whole step and latency of the events published in the window.
 */
final class RateRunner {

    private RateRunner() {}

    static RateStep step(
            String label,
            RunContext ctx,
            SystemUnderTest sut,
            SystemUnderTest.Running running,
            EventSource src,
            List<PublishedPlan> plans,
            List<Conn> conns,
            FleetStats stats,
            double rate,
            Duration warmup,
            Duration measure)
            throws InterruptedException {
        ctx.quiesce(conns, Duration.ofSeconds(30));
        List<Conn> active = new ArrayList<>();
        for (Conn c : conns) {
            c.startPeriod(c.plan().issued());
            if (c.subscribed()) {
                active.add(c);
            }
        }
        int subscribers = active.size();
        long closedBefore = stats.closed.sum();
        long failuresBefore = src.failures();
        Pacer.run(src, plans, rate, warmup, ctx.timeBase());
        for (PublishedPlan p : plans) {
            p.measure(p.issued() + 1, Long.MAX_VALUE);
        }
        stats.takeLatency(); // drop the warm-up's
        double foreign0 = ctx.foreignCpuSeconds(running.process().pid());
        ProcStats server0 = running.process().stats();
        var threads0 = ThreadCpu.read(running.process().pid());
        ProcStats self0 = ProcStats.self();
        long delivered0 = stats.delivered.sum();
        long t0 = System.nanoTime();
        Instant wall0 = Instant.now();
        long published = Pacer.run(src, plans, rate, measure, ctx.timeBase());
        long t1 = System.nanoTime();
        ProfileWindows.mark(sut.name() + "-" + label, wall0, Instant.now());
        long delivered1 = stats.delivered.sum();
        ProcStats server1 = running.process().stats();
        double foreign =
                100 * (ctx.foreignCpuSeconds(running.process().pid()) - foreign0) / ((System.nanoTime() - t0) / 1e9);
        var threads1 = ThreadCpu.read(running.process().pid());
        ProfileWindows.threads(sut.name() + "-" + label, ThreadCpu.percent(threads0, threads1, (t1 - t0) / 1e9));
        ProcStats self1 = ProcStats.self();
        for (PublishedPlan p : plans) {
            p.measure(Long.MIN_VALUE, Long.MIN_VALUE); // freeze: nothing after the window is published anyway
        }
        src.awaitPublished(Duration.ofSeconds(30));
        boolean drained = ctx.drain(conns, stats, ctx.opts().drain(), Duration.ofSeconds(120));
        Latency latency = Latency.ofMicros(stats.takeLatency());
        long lost = 0;
        long dup = 0;
        long expected = 0;
        for (Conn c : active) {
            expected += c.expectedInPeriod();
            lost += c.lost() + c.missingAtEnd();
            dup += c.dup();
        }
        double secs = (t1 - t0) / 1e9;
        double cpu = 100 * (server1.cpuSeconds() - server0.cpuSeconds()) / secs;
        double selfCpu = 100 * (self1.cpuSeconds() - self0.cpuSeconds()) / secs;
        boolean saturated = !drained || (expected > 0 && lost > expected / 100) || latency.p99Ms() > 5000;
        RateStep step = new RateStep(
                sut.name(),
                rate,
                subscribers,
                published,
                secs,
                (delivered1 - delivered0) / secs,
                expected,
                lost,
                dup,
                stats.closed.sum() - closedBefore,
                latency,
                cpu,
                server1.rssBytes(),
                selfCpu,
                RunContext.load(),
                saturated,
                src.failures() - failuresBefore,
                100 * (server1.sysSeconds() - server0.sysSeconds()) / secs,
                100 * (self1.sysSeconds() - self0.sysSeconds()) / secs,
                foreign);
        RunContext.log(
                "%s @ %.0f ev/s × %d: delivered %.0f/s, p50 %.2f ms, p99 %.2f ms, max %.1f ms, lost %d, dup %d,"
                        + " closed %d, server CPU %.0f%% (sys %.0f%%), RSS %d MB, loadgen CPU %.0f%% (sys %.0f%%), load %s, foreign CPU %.0f%%%s",
                sut.name(),
                rate,
                subscribers,
                step.deliveredPerSec(),
                latency.p50Ms(),
                latency.p99Ms(),
                latency.maxMs(),
                lost,
                dup,
                step.closed(),
                cpu,
                step.serverSysPercent(),
                server1.rssBytes() >> 20,
                selfCpu,
                step.loadgenSysPercent(),
                step.load(),
                foreign,
                saturated ? " — SATURATED" : "");
        return step;
    }
}
