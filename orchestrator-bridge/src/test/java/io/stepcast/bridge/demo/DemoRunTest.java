package io.stepcast.bridge.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.bridge.event.PlanCancelled;
import io.stepcast.bridge.event.PlanCompleted;
import io.stepcast.bridge.event.PlanEvent;
import io.stepcast.bridge.event.PlanFailed;
import io.stepcast.bridge.event.PlanStarted;
import io.stepcast.bridge.event.StepOutput;
import io.stepcast.bridge.event.StepState;
import io.stepcast.bridge.event.StepStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DemoRunTest {

    @Test
    void aFailedStepSaysWhyInItsOwnTerms() {
        Map<String, String> stepOfReason = new HashMap<>();
        int failures = 0;
        for (long seed = 0; seed < 300; seed++) {
            DemoRun run = new DemoRun("web-frontend", 1, new Random(seed), 1.0);
            List<String> steps = List.of();
            for (PlanEvent event : drain(run)) {
                if (event instanceof PlanStarted started) {
                    steps = started.steps();
                } else if (event instanceof StepStatus s && s.status() == StepState.FAILED) {
                    failures++;
                    String step = steps.get(s.stepIndex());
                    String earlier = stepOfReason.putIfAbsent(s.error(), step);
                    assertTrue(
                            earlier == null || earlier.equals(step),
                            "'" + s.error() + "' is the failure of both " + earlier + " and " + step);
                    if (step.endsWith("tests")) {
                        assertTrue(s.error().contains("test"), step + ": " + s.error());
                    }
                }
            }
        }
        assertEquals(300, failures, "a failure rate of 1 fails every run");
    }

    @Test
    void everyRunIsAWellFormedPlanExecution() {
        int failed = 0;
        int completed = 0;
        for (long seed = 0; seed < 200; seed++) {
            DemoRun run = new DemoRun("web-frontend", 1, new Random(seed), 0.3);
            List<PlanEvent> events = drain(run);
            PlanStarted started = assertInstanceOf(PlanStarted.class, events.get(0));
            List<String> steps = started.steps();
            assertTrue(steps.size() >= 4 && steps.size() <= 8, "4-8 steps: " + steps);
            assertEquals("checkout", steps.get(0));
            Map<Integer, StepState> state = new HashMap<>();
            for (PlanEvent event : events.subList(1, events.size() - 1)) {
                if (event instanceof StepStatus s) {
                    assertEquals(steps.get(s.stepIndex()), s.stepName());
                    StepState before = state.get(s.stepIndex());
                    if (s.status() == StepState.RUNNING) {
                        assertEquals(null, before, "a step runs once");
                    } else if (s.status() != StepState.SKIPPED) {
                        assertEquals(StepState.RUNNING, before, "only a running step finishes");
                    }
                    state.put(s.stepIndex(), s.status());
                } else {
                    StepOutput out = assertInstanceOf(StepOutput.class, event);
                    assertEquals(StepState.RUNNING, state.get(out.stepIndex()), "output only while running");
                    assertTrue(out.chunk().endsWith("\n"));
                }
            }
            PlanEvent last = events.get(events.size() - 1);
            if (last instanceof PlanFailed f) {
                failed++;
                assertEquals(
                        1,
                        state.values().stream()
                                .filter(s -> s == StepState.FAILED)
                                .count());
                assertTrue(f.error().startsWith("step '"));
                assertEquals("failed", run.outcome());
            } else {
                completed++;
                PlanCompleted c = assertInstanceOf(PlanCompleted.class, last);
                assertEquals(steps.size(), c.summary().get("steps").asInt());
                assertTrue(state.values().stream().allMatch(s -> s == StepState.SUCCEEDED));
                assertEquals(steps.size(), state.size());
            }
            assertEquals(steps.size(), state.size(), "every step ends in a terminal state");
            assertTrue(state.values().stream().allMatch(StepState::isTerminal));
        }
        assertTrue(failed > 20 && completed > 100, "about 30 % fail: " + failed + " of 200");
    }

    @Test
    void cancellingMidRunCancelsTheRunningStepAndSkipsTheRest() {
        DemoRun run = new DemoRun("payments-api", 3, new Random(7), 0);
        List<PlanEvent> events = new ArrayList<>();
        while (run.hasNext()
                && !(events.size() > 2
                        && events.get(events.size() - 1) instanceof StepStatus s
                        && s.stepIndex() == 1
                        && s.status() == StepState.RUNNING)) {
            events.add(run.next());
        }
        List<PlanEvent> cancel = run.cancel("stop");
        assertFalse(run.hasNext());
        assertEquals("cancelled", run.outcome());
        StepStatus cancelled = assertInstanceOf(StepStatus.class, cancel.get(0));
        assertEquals(1, cancelled.stepIndex());
        assertEquals(StepState.CANCELLED, cancelled.status());
        for (int i = 1; i < cancel.size() - 1; i++) {
            assertEquals(
                    StepState.SKIPPED,
                    assertInstanceOf(StepStatus.class, cancel.get(i)).status());
        }
        assertEquals(run.steps().size() - 2, cancel.size() - 2, "every later step skipped");
        assertEquals(
                "stop",
                assertInstanceOf(PlanCancelled.class, cancel.get(cancel.size() - 1))
                        .reason());
    }

    @Test
    void cancellingBeforeTheRunStartedEmitsNothing() {
        DemoRun run = new DemoRun("docs-site", 1, new Random(1), 0);
        assertEquals(List.of(), run.cancel("early"));
        assertFalse(run.hasNext());
    }

    @Test
    void theSameSeedGivesTheSameRun() {
        List<String> a = drain(new DemoRun("x", 1, new Random(42), 0.5)).stream()
                .map(e -> e.event() + e.data())
                .toList();
        List<String> b = drain(new DemoRun("x", 1, new Random(42), 0.5)).stream()
                .map(e -> e.event() + e.data())
                .toList();
        assertEquals(a.size(), b.size());
        assertEquals(a.get(0), b.get(0));
    }

    private static List<PlanEvent> drain(DemoRun run) {
        List<PlanEvent> events = new ArrayList<>();
        while (run.hasNext()) {
            events.add(run.next());
        }
        return events;
    }
}
