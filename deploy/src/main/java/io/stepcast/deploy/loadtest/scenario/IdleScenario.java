package io.stepcast.deploy.loadtest.scenario;

import io.stepcast.deploy.loadtest.LoadOptions;
import io.stepcast.deploy.loadtest.client.Conn;
import io.stepcast.deploy.loadtest.client.FleetStats;
import io.stepcast.deploy.loadtest.client.PlanTrack;
import io.stepcast.deploy.loadtest.proc.ProcStats;
import io.stepcast.deploy.loadtest.publish.EventSource;
import io.stepcast.deploy.loadtest.report.IdleResult;
import io.stepcast.deploy.loadtest.sut.SystemUnderTest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Idle: the server's RSS before and after many subscribed connections that receive nothing. The
 * "before" reading follows a warm-up round (a tenth of the connections, connected and closed), so
 * class loading and first-use buffers are not charged to the connections.
 */
public final class IdleScenario {

    private IdleScenario() {
    }

    public static IdleResult run(RunContext ctx, SystemUnderTest sut) throws Exception {
        LoadOptions o = ctx.opts();
        try (SystemUnderTest.Running running = sut.start(ctx.redisUri(), ctx.runDir(), "idle");
             EventSource src = sut.events(ctx.redisUri())) {
            List<PlanTrack> plans = new ArrayList<>();
            for (int i = 0; i < o.idlePlans(); i++) {
                plans.add(new PlanTrack("idle-" + sut.name() + "-" + i));
            }
            src.prepare(plans, Duration.ofSeconds(60));
            FleetStats stats = new FleetStats(ctx.timeBase());
            List<Conn> warm = ctx.conns(Math.max(1, o.idleConnections() / 10), plans, stats);
            ctx.connect(running, sut, warm, o.connectInFlight());
            RunContext.closeAll(warm);
            Thread.sleep(o.idleSettle().toMillis());
            ProcStats before = running.process().stats();
            List<Conn> conns = ctx.conns(o.idleConnections(), plans, new FleetStats(ctx.timeBase()));
            int n = ctx.connect(running, sut, conns, o.connectInFlight());
            try {
                Thread.sleep(o.idleSettle().toMillis());
                ProcStats mid = running.process().stats();
                Thread.sleep(o.idleSettle().toMillis());
                ProcStats after = running.process().stats();
                double idleCpu = 100 * (after.cpuSeconds() - mid.cpuSeconds()) / (o.idleSettle().toMillis() / 1000.0);
                IdleResult r = new IdleResult(sut.name(), n, o.idlePlans(), before.rssBytes(), after.rssBytes(),
                        n == 0 ? Double.NaN : (double) (after.rssBytes() - before.rssBytes()) / n, idleCpu,
                        RunContext.load());
                RunContext.log("%s idle: %d connections, RSS %d → %d MB, %.0f bytes/connection, idle CPU %.1f%%, load %s",
                        sut.name(), n, before.rssBytes() >> 20, after.rssBytes() >> 20, r.rssPerConnBytes(), idleCpu,
                        r.load());
                return r;
            } finally {
                RunContext.closeAll(conns);
            }
        }
    }
}
