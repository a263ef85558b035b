package io.stepcast.bridge.demo;

import io.lettuce.core.RedisClient;
import io.stepcast.bridge.EventPublisher;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.command.CommandError;
import io.stepcast.bridge.command.CommandHandler;
import io.stepcast.bridge.command.CommandListener;
import io.stepcast.bridge.command.CommandListenerOptions;
import io.stepcast.bridge.command.CommandOutcome;
import io.stepcast.bridge.command.CommandReplies;
import io.stepcast.bridge.command.ReceivedCommand;
import io.stepcast.bridge.event.PlanEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A simulated orchestrator: runs CI/CD-like plans ({@code demo-1..demo-N}) over and over and publishes
 * their events through an {@link EventPublisher} at a steady total rate. Each run is
 * {@code plan_started} (4-8 named steps), per step {@code running} → log chunks → {@code succeeded},
 * sometimes a failed step and {@code plan_failed}, else {@code plan_completed} with a summary; after
 * {@link DemoOptions#pause()} the plan starts again (a new run in the same epoch).
 *
 * <p>Commands (when {@link #listenForCommands} is called, or {@link #commandHandler()} is wired into
 * your own {@link CommandListener}): {@code cancel {reason?}} ends a running run ({@code plan_cancelled});
 * {@code retry} starts an idle plan's next run now; {@code status} returns the plan's current run.
 *
 * <p>Threading: one scheduler thread owns all simulation state; command handlers hand their work to it.
 * Buffering: at most {@value #MAX_IN_FLIGHT} publishes are unacknowledged at once; while the publisher
 * lags (or Redis is down) the demo emits nothing rather than queueing, and does not catch up later.
 * The publisher stays the caller's: {@link #close()} does not close it.
 */
public final class DemoOrchestrator implements AutoCloseable {

    /** Most publishes awaiting Redis at once. */
    public static final int MAX_IN_FLIGHT = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(DemoOrchestrator.class);
    private static final long TICK_MILLIS = 10;

    private final EventPublisher publisher;
    private final DemoOptions options;
    private final ScheduledExecutorService scheduler;
    private final Random random;
    /** Scheduler thread only. */
    private final List<SimulatedPlan> plans = new ArrayList<>();

    private final Map<String, SimulatedPlan> byId = new LinkedHashMap<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final long startNanos = System.nanoTime();
    /** Events emitted by the rate schedule (scheduler thread only); may be moved forward to drop a backlog. */
    private double emitted;

    private int cursor;
    private CommandListener listener;
    private CommandReplies replies;

    private DemoOrchestrator(EventPublisher publisher, DemoOptions options) {
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.options = Objects.requireNonNull(options, "options");
        this.random = new Random(options.seed());
        long stagger = Math.min(options.pause().toNanos(), TimeUnit.SECONDS.toNanos(1)) / options.plans();
        for (int i = 1; i <= options.plans(); i++) {
            SimulatedPlan plan =
                    new SimulatedPlan(options.planId(i), DemoRun.PROJECTS.get((i - 1) % DemoRun.PROJECTS.size()));
            plan.nextRunAt = startNanos + (i - 1) * stagger;
            plans.add(plan);
            byId.put(plan.planId, plan);
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stepcast-demo");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts simulating now. */
    public static DemoOrchestrator start(EventPublisher publisher, DemoOptions options) {
        DemoOrchestrator demo = new DemoOrchestrator(publisher, options);
        demo.scheduler.scheduleAtFixedRate(demo::tickSafely, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info(
                "Demo orchestrator: {} plan(s) {}1..{} at {} events/s",
                options.plans(),
                options.planPrefix(),
                options.plans(),
                options.eventsPerSecond());
        return demo;
    }

    /** The simulated plan ids, in order. */
    public List<String> planIds() {
        return List.copyOf(byId.keySet());
    }

    /** Events Redis acknowledged. */
    public long publishedCount() {
        return published.get();
    }

    /** Publishes that failed (logged). */
    public long failedCount() {
        return failed.get();
    }

    /**
     * Answers commands for the demo plans: starts a {@link CommandListener} (consumer group
     * {@code orchestrator}) and a {@link CommandReplies} on {@code client}, both closed by {@link #close()}.
     */
    public synchronized DemoOrchestrator listenForCommands(RedisClient client, RedisLayout layout) {
        if (listener != null) {
            throw new IllegalStateException("already listening for commands");
        }
        replies = CommandReplies.connect(client, layout);
        listener = CommandListener.start(
                client, layout, planIds(), commandHandler(), replies, CommandListenerOptions.defaults());
        return this;
    }

    /** The demo's command handler, for wiring into a {@link CommandListener} of your own. */
    public CommandHandler commandHandler() {
        return this::handle;
    }

    private CommandOutcome handle(ReceivedCommand command) throws InterruptedException {
        try {
            return scheduler.submit(() -> handleOnScheduler(command)).get(10, TimeUnit.SECONDS);
        } catch (RejectedExecutionException | TimeoutException e) {
            return CommandOutcome.fail(CommandError.CONFLICT, "the demo is shutting down");
        } catch (ExecutionException e) {
            throw new IllegalStateException("demo command failed", e.getCause());
        }
    }

    private CommandOutcome handleOnScheduler(ReceivedCommand command) {
        SimulatedPlan plan = byId.get(command.planId());
        if (plan == null) {
            return CommandOutcome.fail(CommandError.INVALID_ARGS, "not a demo plan: " + command.planId());
        }
        DemoRun run = plan.run;
        boolean running = run != null && run.started();
        switch (command.name()) {
            case "cancel": {
                if (!running) {
                    return CommandOutcome.fail(CommandError.CONFLICT, "plan " + plan.planId + " is not running");
                }
                String who = command.command().sub() != null
                        ? command.command().sub()
                        : "session " + command.command().session();
                String reason = command.command().argsNode().path("reason").asText("cancelled by " + who);
                for (PlanEvent event : run.cancel(reason)) {
                    emit(plan.planId, event);
                }
                endRun(plan);
                return CommandOutcome.ok(Map.of("plan_id", plan.planId, "run", run.run(), "cancelled", true));
            }
            case "retry": {
                if (running) {
                    return CommandOutcome.fail(
                            CommandError.CONFLICT, "plan " + plan.planId + " is running (run " + run.run() + ")");
                }
                plan.nextRunAt = System.nanoTime();
                return CommandOutcome.ok(Map.of("plan_id", plan.planId, "run", plan.runs + 1, "scheduled", true));
            }
            case "status": {
                Map<String, Object> status = new LinkedHashMap<>();
                status.put("plan_id", plan.planId);
                status.put("run", plan.runs);
                status.put("state", running ? "running" : "idle");
                if (running && run.currentStep() >= 0) {
                    status.put("step", run.steps().get(run.currentStep()));
                }
                return CommandOutcome.ok(status);
            }
            default:
                return CommandOutcome.fail(
                        CommandError.UNKNOWN_COMMAND, "the demo knows cancel, retry and status, not " + command.name());
        }
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.error("Demo tick failed", e);
        }
    }

    private void tick() {
        long now = System.nanoTime();
        double due = (now - startNanos) / 1e9 * options.eventsPerSecond();
        double maxBurst = Math.max(1, options.eventsPerSecond() * 0.2);
        if (due - emitted > maxBurst) {
            emitted = due - maxBurst; // fell behind (stall, back-pressure): drop the backlog instead of bursting
        }
        while (due - emitted >= 1 && inFlight.get() < MAX_IN_FLIGHT) {
            if (!emitNext(now)) {
                emitted = due; // every plan is idle: nothing owed
                return;
            }
            emitted++;
        }
    }

    /** Emits one event of the next plan that has one; false when all plans are idle. */
    private boolean emitNext(long now) {
        for (int i = 0; i < plans.size(); i++) {
            SimulatedPlan plan = plans.get(cursor);
            cursor = (cursor + 1) % plans.size();
            if (plan.run == null && now - plan.nextRunAt >= 0) {
                plan.runs++;
                plan.run = new DemoRun(plan.project, plan.runs, random, options.failureRate());
            }
            if (plan.run != null) {
                emit(plan.planId, plan.run.next());
                if (!plan.run.hasNext()) {
                    endRun(plan);
                }
                return true;
            }
        }
        return false;
    }

    private void endRun(SimulatedPlan plan) {
        plan.run = null;
        plan.nextRunAt = System.nanoTime() + options.pause().toNanos();
    }

    private void emit(String planId, PlanEvent event) {
        inFlight.incrementAndGet();
        try {
            publisher.publish(planId, event).whenComplete((result, error) -> {
                inFlight.decrementAndGet();
                if (error == null) {
                    published.incrementAndGet();
                } else {
                    publishFailed(planId, error);
                }
            });
        } catch (RuntimeException e) {
            inFlight.decrementAndGet();
            publishFailed(planId, e);
        }
    }

    private void publishFailed(String planId, Throwable error) {
        long n = failed.incrementAndGet();
        if (n == 1 || n % 1000 == 0) {
            LOG.warn("Demo publish to {} failed ({} failure(s) so far): {}", planId, n, error.toString());
        }
    }

    /** Stops simulating and the command listener (if any); the publisher stays open. */
    @Override
    public void close() {
        synchronized (this) {
            if (listener != null) {
                listener.close();
                replies.close();
            }
        }
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One simulated plan; scheduler thread only. */
    private static final class SimulatedPlan {
        final String planId;
        final String project;
        int runs;
        DemoRun run;
        long nextRunAt;

        SimulatedPlan(String planId, String project) {
            this.planId = planId;
            this.project = project;
        }
    }
}
