package io.stepcast.deploy.loadtest.scenario;

import io.stepcast.deploy.loadtest.LoadOptions;
import io.stepcast.deploy.loadtest.client.Conn;
import io.stepcast.deploy.loadtest.client.FleetStats;
import io.stepcast.deploy.loadtest.client.PublishedPlan;
import io.stepcast.deploy.loadtest.proc.ProcStats;
import io.stepcast.deploy.loadtest.publish.EventSource;
import io.stepcast.deploy.loadtest.publish.Pacer;
import io.stepcast.deploy.loadtest.report.Latency;
import io.stepcast.deploy.loadtest.report.ProfileWindows;
import io.stepcast.deploy.loadtest.report.ResumeResult;
import io.stepcast.deploy.loadtest.sut.SystemUnderTest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Resume storm (Stepcast only: the peers have no resume): every client drops its TCP connection,
 * the publisher moves each plan {@code behind} events ahead, then all clients reconnect at once and
 * subscribe with {@code since}/{@code epoch} while live events keep coming. Each must get
 * {@code recovered:true}, no snapshot, and every event exactly once in order.
 */
public final class ResumeStormScenario {

    private ResumeStormScenario() {}

    public static ResumeResult run(RunContext ctx, SystemUnderTest sut) throws Exception {
        LoadOptions o = ctx.opts();
        try (SystemUnderTest.Running running = sut.start(ctx.redisUri(), ctx.runDir(), "resume");
                EventSource src = sut.events(ctx.redisUri())) {
            List<PublishedPlan> plans = new ArrayList<>();
            for (int i = 0; i < o.resumePlans(); i++) {
                plans.add(new PublishedPlan("storm-" + i));
            }
            src.prepare(plans, Duration.ofSeconds(60));
            FleetStats stats = new FleetStats(ctx.timeBase());
            List<Conn> conns = ctx.conns(o.resumeClients(), plans, stats);
            ctx.connect(running, sut, conns, o.connectInFlight());
            publishEach(src, plans, 10, ctx);
            ctx.quiesce(conns, Duration.ofSeconds(30));

            long closed0 = stats.closed.sum();
            RunContext.closeAll(conns); // the clients vanish (TCP close, no WebSocket close frame)
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (stats.closed.sum() - closed0 < conns.size() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            publishEach(src, plans, o.resumeBehind(), ctx);
            for (Conn c : conns) {
                c.prepareResume(c.plan().issued());
            }
            ProcStats cpu0 = running.process().stats();
            Thread live = new Thread(
                    () -> Pacer.run(src, plans, o.resumeLiveRate(), Duration.ofSeconds(5), ctx.timeBase()),
                    "resume-live");
            long t0 = System.nanoTime();
            Instant wall0 = Instant.now();
            live.start();
            int reconnected = ctx.connect(running, sut, conns, conns.size());
            deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && !conns.stream().allMatch(c -> c.reachedTargetNanos() != 0)) {
                Thread.sleep(10);
            }
            long allAt =
                    conns.stream().mapToLong(Conn::reachedTargetNanos).max().orElse(0);
            boolean all = conns.stream().allMatch(c -> c.reachedTargetNanos() != 0);
            ProfileWindows.mark(sut.name() + "-resume", wall0, Instant.now());
            live.join();
            src.awaitPublished(Duration.ofSeconds(30));
            ctx.quiesce(conns, Duration.ofSeconds(30));
            ProcStats cpu1 = running.process().stats();

            Histogram h = new Histogram(3);
            int recovered = 0;
            int resets = 0;
            long gaps = 0;
            long dups = 0;
            long missing = 0;
            for (Conn c : conns) {
                if (Boolean.TRUE.equals(c.recovered()) && c.snapshots() == 0) {
                    recovered++;
                }
                if (c.snapshots() > 0 || Boolean.FALSE.equals(c.recovered())) {
                    resets++;
                }
                gaps += c.lost();
                dups += c.dup();
                missing += c.missingAtEnd();
                if (c.reachedTargetNanos() != 0) {
                    h.recordValue(Math.max(0, (c.reachedTargetNanos() - t0) / 1000));
                }
            }
            ResumeResult r = new ResumeResult(
                    conns.size(),
                    plans.size(),
                    o.resumeBehind(),
                    o.resumeLiveRate(),
                    reconnected,
                    recovered,
                    resets,
                    gaps,
                    dups,
                    missing,
                    all ? (allAt - t0) / 1e6 : Double.NaN,
                    Latency.ofMicros(h),
                    cpu1.cpuSeconds() - cpu0.cpuSeconds(),
                    RunContext.load());
            RunContext.log(
                    "resume storm: %d/%d reconnected, %d recovered, %d resets, gaps %d, dups %d, missing %d,"
                            + " all caught up in %.0f ms (p50 %.0f ms, p99 %.0f ms), server CPU %.2f s, load %s",
                    reconnected,
                    conns.size(),
                    recovered,
                    resets,
                    gaps,
                    dups,
                    missing,
                    r.allRecoveredMs(),
                    r.recoveryTime().p50Ms(),
                    r.recoveryTime().p99Ms(),
                    r.serverCpuSeconds(),
                    r.load());
            RunContext.closeAll(conns);
            return r;
        }
    }

    private static void publishEach(EventSource src, List<PublishedPlan> plans, int perPlan, RunContext ctx)
            throws InterruptedException {
        for (int i = 0; i < perPlan; i++) {
            for (PublishedPlan p : plans) {
                src.publish(p, System.nanoTime() - ctx.timeBase());
            }
        }
        if (!src.awaitPublished(Duration.ofSeconds(60))) {
            throw new IllegalStateException("publishes did not complete");
        }
    }
}
