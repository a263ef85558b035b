package io.stepcast.deploy.loadtest.scenario;

import io.stepcast.deploy.loadtest.LoadOptions;
import io.stepcast.deploy.loadtest.client.Conn;
import io.stepcast.deploy.loadtest.client.FleetStats;
import io.stepcast.deploy.loadtest.client.PublishedPlan;
import io.stepcast.deploy.loadtest.publish.EventSource;
import io.stepcast.deploy.loadtest.report.Goals;
import io.stepcast.deploy.loadtest.report.RateStep;
import io.stepcast.deploy.loadtest.sut.SystemUnderTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Fan-out: one plan, many subscribers, offered rates stepped up until the system saturates. */
public final class FanoutScenario {

    private FanoutScenario() {}

    public static List<RateStep> run(RunContext ctx, SystemUnderTest sut) throws Exception {
        LoadOptions o = ctx.opts();
        List<RateStep> steps = new ArrayList<>();
        try (SystemUnderTest.Running running = sut.start(ctx.redisUri(), ctx.runDir(), "fanout");
                EventSource src = sut.events(ctx.redisUri())) {
            PublishedPlan plan = new PublishedPlan("fan-" + sut.name());
            src.prepare(List.of(plan), Duration.ofSeconds(30));
            FleetStats stats = new FleetStats(ctx.timeBase());
            List<Conn> conns = ctx.conns(o.fanoutSubscribers(), List.of(plan), stats);
            ctx.connect(running, sut, conns, o.connectInFlight());
            try {
                for (double rate : o.fanoutRates()) {
                    RateStep step = RateRunner.step(
                            String.format("fanout@%.0f", rate),
                            ctx,
                            sut,
                            running,
                            src,
                            List.of(plan),
                            conns,
                            stats,
                            rate,
                            o.warmup(),
                            o.measure());
                    steps.add(step);
                    // the goal rate is always measured, saturated or not; beyond it a saturated system stops
                    if (step.saturated() && rate >= Goals.FANOUT_RATE) {
                        RunContext.log("%s saturated at %.0f ev/s: higher rates skipped", sut.name(), rate);
                        break;
                    }
                }
            } finally {
                RunContext.closeAll(conns);
            }
        }
        return steps;
    }
}
