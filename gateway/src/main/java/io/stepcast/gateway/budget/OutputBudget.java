package io.stepcast.gateway.budget;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway-wide budget of pending output ({@code stepcast.output-budget}): every
 * {@code check-interval} it sums what every output of every transport ({@link PendingOutputs}) has
 * pending; when the open outputs pass {@code max-bytes} it sheds the furthest-behind clients as slow
 * consumers until they are under the low-water mark, and, while the total is over budget, cuts the connections of
 * clients shed {@code cut-after} ago that still hold output (see {@link SheddingPlan}). Shed clients
 * reconnect and resume from the plan's log: nothing is lost.
 *
 * <p>Invariant: each output's pending count is exact (its own atomic counter, Netty's own counter of
 * its outbound buffer); the sum is of reads made one after the other, so it can miss what is queued
 * while the check walks the outputs. After each check the open outputs hold at most
 * {@code max-bytes} (the low-water mark right after shedding); until the next check they can grow by
 * what the gateway queues in one interval. Shed outputs queue nothing more, so what they hold only
 * shrinks, and while the total is over {@code max-bytes} none keeps its memory for longer than about
 * {@code cut-after}: the total stays below about twice the budget.
 *
 * <p>Walks: a walk reads every output (10,000 connections: a few ms of cache misses, ten times a
 * second by default). A check skips the walk of a transport that counts what it queues
 * ({@link PendingOutputs#queuedTotal}) while its pending output at its last walk plus everything it
 * queued since stays at or below half the budget: its total cannot be over the budget then. It
 * walks everything when that estimate passes half the budget, while it sheds or cuts, and at least
 * every {@value #MAX_SKIPS_IN_A_ROW} + 1 checks (what Netty is handed outside the transports' queues,
 * such as control replies, is covered by that walk).
 *
 * <p>Hot path: one uncontended add per queued frame (the transport's counter); this class reads the
 * counters from its own thread ({@code stepcast-output-budget}) and never blocks an event loop
 * (shedding only starts a close).
 *
 * <p>Meters: {@code stepcast.output.pending} gauge [stepcast_output_pending_bytes] (the sum at the
 * last walk), {@code stepcast.output.budget} gauge [stepcast_output_budget_bytes],
 * {@code stepcast.output.shed{transport}} counter [stepcast_output_shed_total], and
 * {@code stepcast.output.cut{transport}} counter [stepcast_output_cut_total].
 */
@Context
public final class OutputBudget {

    /**
     * Bytes counted per queued frame on top of its data, as Netty counts each entry of its outbound
     * buffer (a frame's heap cost is its objects, its data is shared between recipients).
     */
    public static final int FRAME_OVERHEAD = 96;

    private static final Logger LOG = LoggerFactory.getLogger(OutputBudget.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Checks in a row that may skip walking the counted transports (1 s at the default interval). */
    static final int MAX_SKIPS_IN_A_ROW = 9;

    private final OutputBudgetConfig config;
    private final List<PendingOutputs<Object>> sources;
    private final Map<String, Counter> sheds = new HashMap<>();
    private final Map<String, Counter> cuts = new HashMap<>();
    private final SheddingPlan plan;
    private final ScheduledExecutorService timer;
    private final ScheduledFuture<?> task;
    /** The sum of the last walk; written by the timer thread, read by the gauge. */
    private volatile long pending;

    private long nextLogNanos = System.nanoTime();
    /** Per source, timer thread only: the pending sum of its last walk and its queued total then. */
    private final long[] walkedPending;

    private final long[] walkedQueued;
    /** Timer thread only: checks since the last full walk (the first check walks); the last was over budget. */
    private int skipped = MAX_SKIPS_IN_A_ROW;

    private boolean overBudget;

    @SuppressWarnings("unchecked")
    OutputBudget(OutputBudgetConfig config, List<PendingOutputs<?>> sources, MeterRegistry meters) {
        this.config = config;
        this.plan = new SheddingPlan(config.cutAfter().toNanos());
        this.sources = new ArrayList<>();
        this.walkedPending = new long[sources.size()];
        this.walkedQueued = new long[sources.size()];
        for (PendingOutputs<?> s : sources) {
            this.sources.add((PendingOutputs<Object>) s);
            sheds.put(
                    s.transport(),
                    counter(
                            meters,
                            "stepcast.output.shed",
                            s.transport(),
                            "Clients shed as slow consumers because the gateway's pending output passed its budget"));
            cuts.put(
                    s.transport(),
                    counter(
                            meters,
                            "stepcast.output.cut",
                            s.transport(),
                            "Shed clients whose connection was dropped because they still held output cut-after later, over budget"));
        }
        Gauge.builder("stepcast.output.pending", this, OutputBudget::pendingBytes)
                .baseUnit("bytes")
                .description(
                        "Output pending for every WebSocket and SSE client at the last walk (at least once a second)")
                .register(meters);
        Gauge.builder("stepcast.output.budget", config, OutputBudgetConfig::maxBytes)
                .baseUnit("bytes")
                .description("The gateway-wide budget of pending output (stepcast.output-budget.max-bytes)")
                .register(meters);
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "stepcast-output-budget");
            t.setDaemon(true);
            return t;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.timer = executor;
        long every = config.checkInterval().toNanos();
        this.task = timer.scheduleWithFixedDelay(this::checkSafely, every, every, TimeUnit.NANOSECONDS);
    }

    private static Counter counter(MeterRegistry meters, String name, String transport, String description) {
        return Counter.builder(name)
                .tag("transport", transport)
                .description(description)
                .register(meters);
    }

    /** The pending output summed at the last walk, in bytes (see the class's invariant and walks). */
    public long pendingBytes() {
        return pending;
    }

    /** The budget in bytes. */
    public long maxBytes() {
        return config.maxBytes();
    }

    @PreDestroy
    void stop() {
        task.cancel(false);
        timer.shutdownNow();
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) { // a fault must not end the periodic check
            LOG.error("output budget check failed; the next check runs as scheduled", e);
        }
    }

    /** Sums the pending output of source {@code i} now; {@code queued}: its counter read before. */
    private void walk(int i, long queued) {
        PendingOutputs<Object> s = sources.get(i);
        long sum = 0;
        for (Object o : s.outputs()) {
            sum += s.pendingBytes(o);
        }
        walkedPending[i] = sum;
        walkedQueued[i] = queued;
    }

    /** One check: sum, and when over budget, shed and cut. Timer thread only. */
    void check() {
        long total = 0;
        long[] queuedNow = new long[sources.size()];
        for (int i = 0; i < sources.size(); i++) {
            queuedNow[i] = sources.get(i).queuedTotal();
            if (queuedNow[i] < 0) { // not counted: walked at every check
                walk(i, queuedNow[i]);
                total += walkedPending[i];
            } else {
                total += walkedPending[i] + Math.max(0, queuedNow[i] - walkedQueued[i]);
            }
        }
        if (!overBudget && skipped < MAX_SKIPS_IN_A_ROW && total <= config.maxBytes() / 2) {
            skipped++;
            return; // the estimate bounds the total: nothing can be over the budget
        }
        skipped = 0;
        total = 0;
        for (int i = 0; i < sources.size(); i++) {
            if (queuedNow[i] >= 0) {
                walk(i, queuedNow[i]);
            }
            total += walkedPending[i];
        }
        pending = total;
        overBudget = total > config.maxBytes();
        if (!overBudget) {
            plan.reset();
            return;
        }
        List<SheddingPlan.Measured> measured = new ArrayList<>();
        for (PendingOutputs<Object> s : sources) {
            for (Object o : s.outputs()) {
                measured.add(new SheddingPlan.Measured(s, o, s.pendingBytes(o), s.isClosing(o)));
            }
        }
        SheddingPlan.Decision d = plan.decide(measured, config.maxBytes(), config.lowWaterBytes(), System.nanoTime());
        int shed = 0;
        for (SheddingPlan.Measured m : d.shed()) {
            if (m.source().shed(m.output())) {
                sheds.get(m.source().transport()).increment();
                shed++;
            }
        }
        for (SheddingPlan.Measured m : d.cut()) {
            m.source().cut(m.output());
            cuts.get(m.source().transport()).increment();
        }
        long now = System.nanoTime();
        if ((shed > 0 || !d.cut().isEmpty()) && now - nextLogNanos >= 0) {
            nextLogNanos = now + LOG_EVERY_NANOS;
            LOG.warn(
                    "output budget: {} bytes pending over the budget of {}: shed {} client(s) as slow consumers,"
                            + " cut {} shed earlier that still held output (at most one such line per second)",
                    total,
                    config.maxBytes(),
                    shed,
                    d.cut().size());
        }
    }
}
