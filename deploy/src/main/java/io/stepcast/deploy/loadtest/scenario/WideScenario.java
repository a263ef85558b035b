package io.stepcast.deploy.loadtest.scenario;

import io.stepcast.deploy.loadtest.LoadOptions;
import io.stepcast.deploy.loadtest.client.Conn;
import io.stepcast.deploy.loadtest.client.FleetStats;
import io.stepcast.deploy.loadtest.client.PublishedPlan;
import io.stepcast.deploy.loadtest.publish.EventSource;
import io.stepcast.deploy.loadtest.report.RateStep;
import io.stepcast.deploy.loadtest.sut.SystemUnderTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Wide: many connections, one plan each, a fixed total event rate spread round robin over the plans. */
public final class WideScenario {

    private WideScenario() {}

    public static RateStep run(RunContext ctx, SystemUnderTest sut) throws Exception {
        LoadOptions o = ctx.opts();
        try (SystemUnderTest.Running running = sut.start(ctx.redisUri(), ctx.runDir(), "wide");
                EventSource src = sut.events(ctx.redisUri())) {
            List<PublishedPlan> plans = new ArrayList<>();
            for (int i = 0; i < o.wideConnections(); i++) {
                plans.add(new PublishedPlan("wide-" + sut.name() + "-" + i));
            }
            src.prepare(plans, Duration.ofSeconds(120));
            FleetStats stats = new FleetStats(ctx.timeBase());
            List<Conn> conns = ctx.conns(o.wideConnections(), plans, stats);
            ctx.connect(running, sut, conns, o.connectInFlight());
            try {
                return RateRunner.step(
                        "wide", ctx, sut, running, src, plans, conns, stats, o.wideRate(), o.warmup(), o.wideMeasure());
            } finally {
                RunContext.closeAll(conns);
            }
        }
    }
}
