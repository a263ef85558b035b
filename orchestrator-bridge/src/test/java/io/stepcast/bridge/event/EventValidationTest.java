package io.stepcast.bridge.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.stepcast.bridge.EventValidationException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class EventValidationTest {

    private static void assertField(String field, Executable construct) {
        EventValidationException e = assertThrows(EventValidationException.class, construct);
        assertEquals(field, e.field());
        assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
    }

    @Test
    void planStartedNeedsNameAndStepNames() {
        assertField("name", () -> new PlanStarted(null, List.of("a")));
        assertField("steps", () -> new PlanStarted("p", null));
        assertField("steps[1]", () -> new PlanStarted("p", Arrays.asList("a", null)));
        assertField("steps", () -> new PlanStarted("p", Collections.nCopies(EventValidator.MAX_STEPS + 1, "s")));
    }

    @Test
    void stepIndexMustBeInRange() {
        assertField("step_index", () -> new StepStatus(-1, "a", StepState.RUNNING));
        assertField("step_index", () -> new StepOutput(EventValidator.MAX_STEPS, "x"));
        assertField("status", () -> new StepStatus(0, "a", null));
        assertField("chunk", () -> new StepOutput(0, null));
    }

    @Test
    void planFailedNeedsAnError() {
        assertField("error", () -> new PlanFailed(null));
    }

    @Test
    void customEventNamesFollowThePatternAndAvoidCoreNames() {
        assertField("event", () -> new CustomEvent("Batch", null));
        assertField("event", () -> new CustomEvent("1abc", null));
        assertField("event", () -> new CustomEvent("a".repeat(65), null));
        assertField("event", () -> new CustomEvent("has space", null));
        assertField("event", () -> new CustomEvent("step_status", null));
        assertEquals("batch:start", new CustomEvent("batch:start", null).event());
        assertEquals("{}", new CustomEvent("x.y-z_1", null).data().toString());
    }

    @Test
    void eventIdsArePrintableAsciiWithoutSpaces() {
        assertField("event_id", () -> new PlanFailed("e", "has space", null));
        assertField("event_id", () -> new PlanFailed("e", "", null));
        assertField("event_id", () -> new PlanFailed("e", "x".repeat(129), null));
        assertField("event_id", () -> new PlanCancelled(null).withEventId("caf\u00e9"));
        assertEquals("id-1:a/b", new PlanCancelled(null).withEventId("id-1:a/b").eventId());
    }

    @Test
    void timestampDefaultsToNowAndMustBeRepresentable() {
        Instant before = Instant.now();
        assertTrue(!new StepOutput(0, "x").ts().isBefore(before));
        assertField("ts", () -> new StepOutput(0, "x").withTs(Instant.ofEpochSecond(-1)));
    }

    @Test
    void dataIsTheWireObject() {
        assertEquals(
                "{\"name\":\"p\",\"steps\":[\"a\",\"b\"]}",
                new PlanStarted("p", List.of("a", "b")).data().toString());
        assertEquals(
                "{\"step_index\":2,\"status\":\"failed\",\"error\":\"boom\"}",
                new StepStatus(2, null, StepState.FAILED, "boom").data().toString());
        assertEquals(
                "{\"step_index\":1,\"chunk\":\"hi\"}",
                new StepOutput(1, "hi").data().toString());
        assertEquals(
                "{}",
                new PlanCompleted(JsonNodeFactory.instance.nullNode()).data().toString());
        assertEquals(
                "{\"summary\":[]}",
                new PlanCompleted(JsonNodeFactory.instance.arrayNode()).data().toString());
        assertEquals("{\"error\":\"x\"}", new PlanFailed("x").data().toString());
        assertEquals("{}", new PlanCancelled(null).data().toString());
    }

    @Test
    void stepStatesUseLowerCaseOnTheWire() {
        assertEquals("cancelled", StepState.CANCELLED.wire());
        assertEquals(StepState.SKIPPED, StepState.fromWire("skipped"));
        assertTrue(StepState.FAILED.isTerminal());
        assertTrue(!StepState.RUNNING.isTerminal());
        assertField("status", () -> StepState.fromWire("RUNNING"));
    }

    @Test
    void planIdsFollowTheLayoutPattern() {
        assertField("plan_id", () -> EventValidator.planId("has{brace}"));
        assertField("plan_id", () -> EventValidator.planId(null));
        assertField("plan_id", () -> EventValidator.planId("-leading-dash"));
        assertEquals("p-42.x:y_z", EventValidator.planId("p-42.x:y_z"));
    }
}
