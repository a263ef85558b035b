package io.stepcast.deploy.loadtest.scenario;

import io.stepcast.deploy.loadtest.LoadOptions;
import io.stepcast.deploy.loadtest.report.RateStep;
import io.stepcast.deploy.loadtest.report.SaturationResult;
import io.stepcast.deploy.loadtest.sut.SystemUnderTest;
import java.util.ArrayList;
import java.util.List;

/**
 * Saturation search: the fan-out plan and subscribers of {@link FanoutScenario}, the offered rate
 * raised by {@code --saturation-factor} from {@code --saturation-start} until a step misses the p99
 * limit (twice in a row: a miss is run once more) or loses, duplicates or closes anything; then
 * {@code --saturation-refine} bisection steps between the last rate that held (or 0) and the first
 * that did not. The highest rate that held gives the system's sustained deliveries/s at that p99.
 * A server that exits during a step, or closes subscribers (sheds them past saturation), ends the
 * search: no step runs against a dead server or a depleted fleet.
 */
public final class SaturationScenario {

    private SaturationScenario() {}

    public static SaturationResult run(RunContext ctx, SystemUnderTest sut) throws Exception {
        LoadOptions o = ctx.opts();
        double limit = o.saturationP99Ms();
        List<RateStep> steps = new ArrayList<>();
        RateStep best = null;
        try (FanoutFleet fleet = FanoutFleet.open(ctx, sut, "saturation", "sat")) {
            double rate = o.saturationStart();
            double failed = Double.NaN;
            for (int i = 0; i < o.saturationSteps(); i++) {
                RateStep step = holding(ctx, sut, fleet, rate, steps);
                if (step == null) {
                    failed = rate;
                    break;
                }
                best = step;
                rate = Math.round(rate * o.saturationFactor());
            }
            double held = best == null ? 0 : best.offeredRate();
            for (int i = 0; i < o.saturationRefine() && !Double.isNaN(failed) && fleet.serverAlive(); i++) {
                if (!fullFleet(sut.name(), steps, o.fanoutSubscribers())) {
                    break;
                }
                double mid = Math.round((held + failed) / 2);
                if (mid <= held || mid >= failed) {
                    break;
                }
                RateStep step = holding(ctx, sut, fleet, mid, steps);
                if (step != null) {
                    best = step;
                    held = mid;
                } else {
                    failed = mid;
                }
            }
        }
        RunContext.log(
                "%s sustained %s deliveries/s at p99 ≤ %.0f ms (%s ev/s)",
                sut.name(),
                best == null ? "none" : String.format("%.0f", best.deliveredPerSec()),
                limit,
                best == null ? "no rate held" : String.format("%.0f", best.offeredRate()));
        return new SaturationResult(
                sut.name(),
                limit,
                steps,
                best == null ? Double.NaN : best.offeredRate(),
                best == null ? Double.NaN : best.deliveredPerSec());
    }

    /**
     * False (and logged) when the last step ended with fewer subscribers than the fleet has: the
     * server shed or closed some (an output budget past saturation does), and a step with fewer
     * subscribers would measure another load. Shed clients of the harness do not reconnect.
     */
    static boolean fullFleet(String system, List<RateStep> steps, int subscribers) {
        RateStep last = steps.get(steps.size() - 1);
        if (last.closed() == 0 && last.subscribers() >= subscribers) {
            return true;
        }
        RunContext.log(
                "%s closed %d of %d subscribers at %.0f ev/s: the search ends here (later steps would have fewer)",
                system, last.closed(), subscribers, last.offeredRate());
        return false;
    }

    /**
     * The step at {@code rate} when it holds; a step that misses runs once more before it counts,
     * so one disturbance (another program's burst on a shared machine) does not end the search.
     * Both runs are recorded in {@code steps}.
     *
     * @return the step that held, or null
     */
    private static RateStep holding(
            RunContext ctx, SystemUnderTest sut, FanoutFleet fleet, double rate, List<RateStep> steps)
            throws InterruptedException {
        for (int attempt = 0; attempt < 2; attempt++) {
            RateStep step = fleet.step("saturation", rate, ctx.opts().saturationMeasure());
            steps.add(step);
            if (SaturationResult.holds(step, ctx.opts().saturationP99Ms())) {
                return step;
            }
            if (!fleet.serverAlive()) {
                // the server died (e.g. out of memory): later steps would measure nothing
                RunContext.log("%s exited during saturation@%.0f: the search ends here", sut.name(), rate);
                return null;
            }
            if (step.lost() > 0 || step.duplicated() > 0 || step.closed() > 0) {
                return null; // a loss is no disturbance
            }
        }
        return null;
    }
}
