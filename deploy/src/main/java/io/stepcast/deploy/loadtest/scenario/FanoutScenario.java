package io.stepcast.deploy.loadtest.scenario;

import io.stepcast.deploy.loadtest.LoadOptions;
import io.stepcast.deploy.loadtest.report.Goals;
import io.stepcast.deploy.loadtest.report.RateStep;
import io.stepcast.deploy.loadtest.sut.SystemUnderTest;
import java.util.ArrayList;
import java.util.List;

/** Fan-out: one plan, many subscribers, offered rates stepped up until the system saturates. */
public final class FanoutScenario {

    private FanoutScenario() {}

    public static List<RateStep> run(RunContext ctx, SystemUnderTest sut) throws Exception {
        LoadOptions o = ctx.opts();
        List<RateStep> steps = new ArrayList<>();
        try (FanoutFleet fleet = FanoutFleet.open(ctx, sut, "fanout", "fan")) {
            for (double rate : o.fanoutRates()) {
                RateStep step = fleet.step("fanout", rate, o.measure());
                steps.add(step);
                // the goal rate is always measured, saturated or not; beyond it a saturated system stops
                if (step.saturated() && rate >= Goals.FANOUT_RATE) {
                    RunContext.log("%s saturated at %.0f ev/s: higher rates skipped", sut.name(), rate);
                    break;
                }
            }
        }
        return steps;
    }
}
