package io.stepcast.bridge.demo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepcast.bridge.event.PlanCancelled;
import io.stepcast.bridge.event.PlanCompleted;
import io.stepcast.bridge.event.PlanEvent;
import io.stepcast.bridge.event.PlanFailed;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.event.StepState;
import io.stepcast.bridge.event.StepStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * The events of one simulated run of a CI/CD-style plan: {@code plan_started} with 4-8 steps, then
 * per step {@code running}, a few {@code step_output} log chunks and {@code succeeded}; sometimes one
 * step fails (the rest are skipped, then {@code plan_failed}); otherwise {@code plan_completed} with a
 * summary. Events are built when taken ({@link #next()}), so their timestamps are the emission times.
 *
 * <p>Not thread-safe: one run belongs to one thread.
 */
final class DemoRun {

    /** The step catalogue, in pipeline order; a run uses an ordered subset that starts with checkout. */
    static final List<String> STEPS = List.of(
            "checkout",
            "install",
            "lint",
            "build",
            "unit-tests",
            "integration-tests",
            "security-scan",
            "package",
            "deploy-staging",
            "smoke-test",
            "deploy-production",
            "notify");

    static final List<String> PROJECTS = List.of(
            "web-frontend",
            "payments-api",
            "search-indexer",
            "mobile-app",
            "data-pipeline",
            "auth-service",
            "billing-worker",
            "docs-site");

    private final Random random;
    private final List<String> steps;
    private final Deque<Supplier<PlanEvent>> pending = new ArrayDeque<>();
    private final long startedAtMillis = System.currentTimeMillis();
    private final int run;
    private int currentStep = -1;
    private boolean currentStepTerminal = true;
    private String outcome = "running";
    private boolean started;

    DemoRun(String project, int run, Random random, double failureRate) {
        this.random = random;
        this.run = run;
        this.steps = pickSteps(random);
        int failAt = random.nextDouble() < failureRate ? 1 + random.nextInt(steps.size() - 1) : -1;
        String name = project + " pipeline #" + run;
        pending.add(() -> new PlanStarted(name, steps));
        for (int i = 0; i < steps.size(); i++) {
            int index = i;
            String step = steps.get(i);
            pending.add(() -> status(index, StepState.RUNNING, null));
            int chunks = 2 + random.nextInt(5);
            for (int c = 0; c < chunks; c++) {
                int n = c;
                pending.add(() -> new StepOutput(index, DemoLogLines.line(step, n, random)));
            }
            if (index == failAt) {
                String error = DemoLogLines.failure(step, random);
                pending.add(() -> new StepOutput(index, "ERROR " + error + "\n"));
                pending.add(() -> status(index, StepState.FAILED, error));
                for (int s = index + 1; s < steps.size(); s++) {
                    int skipped = s;
                    pending.add(() -> status(skipped, StepState.SKIPPED, null));
                }
                pending.add(() -> finish("failed", new PlanFailed("step '" + step + "' failed: " + error)));
                return;
            }
            pending.add(() -> status(index, StepState.SUCCEEDED, null));
        }
        pending.add(() -> finish("completed", new PlanCompleted(summary())));
    }

    private static List<String> pickSteps(Random random) {
        int count = 4 + random.nextInt(5);
        List<String> picked = new ArrayList<>(List.of(STEPS.get(0)));
        List<String> rest = new ArrayList<>(STEPS.subList(1, STEPS.size()));
        while (picked.size() < count) {
            picked.add(rest.remove(random.nextInt(rest.size())));
        }
        picked.sort((a, b) -> Integer.compare(STEPS.indexOf(a), STEPS.indexOf(b)));
        return List.copyOf(picked);
    }

    boolean hasNext() {
        return !pending.isEmpty();
    }

    PlanEvent next() {
        started = true;
        return pending.removeFirst().get();
    }

    /** True once the first event ({@code plan_started}) was taken. */
    boolean started() {
        return started;
    }

    /**
     * Ends the run now: the running step becomes cancelled, later steps skipped, then
     * {@code plan_cancelled}; nothing at all when the run had not started yet.
     */
    List<PlanEvent> cancel(String reason) {
        pending.clear();
        if (!started) {
            outcome = "cancelled";
            return List.of();
        }
        List<PlanEvent> events = new ArrayList<>();
        if (currentStep >= 0 && !currentStepTerminal) {
            events.add(status(currentStep, StepState.CANCELLED, null));
        }
        for (int s = currentStep + 1; s < steps.size(); s++) {
            events.add(status(s, StepState.SKIPPED, null));
        }
        events.add(finish("cancelled", new PlanCancelled(reason)));
        return events;
    }

    int run() {
        return run;
    }

    List<String> steps() {
        return steps;
    }

    /** Index of the step that ran last ({@code -1} before the first). */
    int currentStep() {
        return currentStep;
    }

    /** {@code running}, {@code completed}, {@code failed} or {@code cancelled}. */
    String outcome() {
        return outcome;
    }

    private StepStatus status(int index, StepState state, String error) {
        currentStep = Math.max(currentStep, index);
        currentStepTerminal = index == currentStep ? state.isTerminal() : currentStepTerminal;
        return new StepStatus(index, steps.get(index), state, error);
    }

    private PlanEvent finish(String result, PlanEvent event) {
        outcome = result;
        return event;
    }

    private ObjectNode summary() {
        ObjectNode summary = JsonNodeFactory.instance.objectNode();
        summary.put("run", run);
        summary.put("steps", steps.size());
        summary.put("duration_ms", System.currentTimeMillis() - startedAtMillis);
        summary.put("tests_passed", 120 + random.nextInt(400));
        summary.put("artifact", "build-" + Integer.toHexString(random.nextInt(0xfffff) + 0x100000) + ".tar.gz");
        return summary;
    }
}
