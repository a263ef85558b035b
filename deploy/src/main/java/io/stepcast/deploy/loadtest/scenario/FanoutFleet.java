package io.stepcast.deploy.loadtest.scenario;

import io.stepcast.deploy.loadtest.client.Conn;
import io.stepcast.deploy.loadtest.client.FleetStats;
import io.stepcast.deploy.loadtest.client.PublishedPlan;
import io.stepcast.deploy.loadtest.publish.EventSource;
import io.stepcast.deploy.loadtest.report.RateStep;
import io.stepcast.deploy.loadtest.sut.SystemUnderTest;
import java.time.Duration;
import java.util.List;

/**
 * The fan-out set-up that {@link FanoutScenario} and {@link SaturationScenario} share: the system
 * started, one prepared plan, {@code --fanout-subscribers} connections to it, and rate steps run
 * against them. Closing closes the connections, the event source and the server, in that order.
 * Used by one scenario thread.
 */
final class FanoutFleet implements AutoCloseable {

    private final RunContext ctx;
    private final SystemUnderTest sut;
    private final SystemUnderTest.Running running;
    private final EventSource src;
    private final PublishedPlan plan;
    private final List<Conn> conns;
    private final FleetStats stats;

    private FanoutFleet(
            RunContext ctx,
            SystemUnderTest sut,
            SystemUnderTest.Running running,
            EventSource src,
            PublishedPlan plan,
            List<Conn> conns,
            FleetStats stats) {
        this.ctx = ctx;
        this.sut = sut;
        this.running = running;
        this.src = src;
        this.plan = plan;
        this.conns = conns;
        this.stats = stats;
    }

    /**
     * Starts {@code sut} (its run labelled {@code label}), prepares the plan {@code planPrefix-<sut>} and
     * connects the subscribers; what was started is stopped again when a step of that fails.
     */
    static FanoutFleet open(RunContext ctx, SystemUnderTest sut, String label, String planPrefix) throws Exception {
        SystemUnderTest.Running running = sut.start(ctx.redisUri(), ctx.runDir(), label);
        try {
            EventSource src = sut.events(ctx.redisUri());
            try {
                PublishedPlan plan = new PublishedPlan(planPrefix + "-" + sut.name());
                src.prepare(List.of(plan), Duration.ofSeconds(30));
                FleetStats stats = new FleetStats(ctx.timeBase());
                List<Conn> conns = ctx.conns(ctx.opts().fanoutSubscribers(), List.of(plan), stats);
                ctx.connect(running, sut, conns, ctx.opts().connectInFlight());
                return new FanoutFleet(ctx, sut, running, src, plan, conns, stats);
            } catch (Exception | Error e) {
                src.close();
                throw e;
            }
        } catch (Exception | Error e) {
            running.close();
            throw e;
        }
    }

    /** One step labelled {@code kind@rate}: the configured warm-up, then {@code measure} at {@code rate}. */
    RateStep step(String kind, double rate, Duration measure) throws InterruptedException {
        return RateRunner.step(
                String.format("%s@%.0f", kind, rate),
                ctx,
                sut,
                running,
                src,
                List.of(plan),
                conns,
                stats,
                rate,
                ctx.opts().warmup(),
                measure);
    }

    /** The server's process is still running. */
    boolean serverAlive() {
        return running.process().alive();
    }

    @Override
    public void close() {
        try {
            RunContext.closeAll(conns);
        } finally {
            try {
                src.close();
            } finally {
                running.close();
            }
        }
    }
}
