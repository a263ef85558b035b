package io.stepcast.bridge.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.bridge.EventValidationException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventLinesTest {

    @Test
    void everyCoreEventParsesIntoItsRecord() {
        PlanStarted started = assertInstanceOf(
                PlanStarted.class,
                EventLines.parse(
                                "{\"plan_id\":\"p-1\",\"event\":\"plan_started\",\"data\":{\"name\":\"n\",\"steps\":[\"a\",\"b\"]},"
                                        + "\"event_id\":\"e-1\",\"ts\":\"2026-11-23T17:00:00.123Z\"}")
                        .event());
        assertEquals(List.of("a", "b"), started.steps());
        assertEquals("e-1", started.eventId());
        assertEquals(Instant.parse("2026-11-23T17:00:00.123Z"), started.ts());

        StepStatus status = assertInstanceOf(
                StepStatus.class,
                line(
                        "step_status",
                        "{\"step_index\":2,\"step_name\":\"deploy\",\"status\":\"failed\",\"error\":\"boom\"}"));
        assertEquals(2, status.stepIndex());
        assertEquals(StepState.FAILED, status.status());
        assertEquals("boom", status.error());

        assertEquals(
                "hi\n",
                assertInstanceOf(StepOutput.class, line("step_output", "{\"step_index\":0,\"chunk\":\"hi\\n\"}"))
                        .chunk());
        assertEquals(
                3,
                assertInstanceOf(PlanCompleted.class, line("plan_completed", "{\"summary\":{\"ok\":3}}"))
                        .summary()
                        .get("ok")
                        .asInt());
        assertNull(assertInstanceOf(PlanCompleted.class, line("plan_completed", null))
                .summary());
        assertEquals(
                "x",
                assertInstanceOf(PlanFailed.class, line("plan_failed", "{\"error\":\"x\"}"))
                        .error());
        assertNull(assertInstanceOf(PlanCancelled.class, line("plan_cancelled", "{}"))
                .reason());
        CustomEvent custom = assertInstanceOf(CustomEvent.class, line("batch:start", "{\"size\":10}"));
        assertEquals(10, custom.data().get("size").asInt());
        assertEquals(
                "p-1", EventLines.parse("{\"plan_id\":\"p-1\",\"event\":\"x\"}").planId());
    }

    @Test
    void errorsNameTheField() {
        assertField("line", "not json");
        assertField("line", "[1]");
        assertField("line", "{\"plan_id\":\"p\",\"event\":\"x\"} trailing");
        assertField("plan_id", "{\"event\":\"x\"}");
        assertField("plan_id", "{\"plan_id\":\"a b\",\"event\":\"x\"}");
        assertField("event", "{\"plan_id\":\"p\"}");
        assertField("event", "{\"plan_id\":\"p\",\"event\":\"Bad Name\"}");
        assertField("evnt", "{\"plan_id\":\"p\",\"evnt\":\"x\"}");
        assertField("data", "{\"plan_id\":\"p\",\"event\":\"x\",\"data\":[1]}");
        assertField("ts", "{\"plan_id\":\"p\",\"event\":\"x\",\"ts\":\"yesterday\"}");
        assertField("event_id", "{\"plan_id\":\"p\",\"event\":\"x\",\"event_id\":\"has space\"}");
        assertField(
                "step_index",
                "{\"plan_id\":\"p\",\"event\":\"step_output\",\"data\":{\"step_index\":\"1\",\"chunk\":\"c\"}}");
        assertField(
                "step_index",
                "{\"plan_id\":\"p\",\"event\":\"step_output\",\"data\":{\"step_index\":1.5,\"chunk\":\"c\"}}");
        assertField("chunk", "{\"plan_id\":\"p\",\"event\":\"step_output\",\"data\":{\"step_index\":1}}");
        assertField(
                "status",
                "{\"plan_id\":\"p\",\"event\":\"step_status\",\"data\":{\"step_index\":1,\"status\":\"done\"}}");
        assertField("steps", "{\"plan_id\":\"p\",\"event\":\"plan_started\",\"data\":{\"name\":\"n\",\"steps\":[1]}}");
        assertField(
                "data.colour", "{\"plan_id\":\"p\",\"event\":\"plan_failed\",\"data\":{\"error\":\"e\",\"colour\":1}}");
    }

    private static Object line(String event, String data) {
        return EventLines.parse("{\"plan_id\":\"p-1\",\"event\":\"" + event + "\""
                        + (data == null ? "" : ",\"data\":" + data) + "}")
                .event();
    }

    private static void assertField(String field, String line) {
        EventValidationException e = assertThrows(EventValidationException.class, () -> EventLines.parse(line));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
    }
}
