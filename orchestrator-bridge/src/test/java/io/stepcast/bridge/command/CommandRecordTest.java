package io.stepcast.bridge.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class CommandRecordTest {

    private static final Instant TS = Instant.parse("2026-11-23T17:00:00.123Z");

    @Test
    void fieldsRoundTripInDocumentedOrder() {
        CommandRecord record = new CommandRecord("c-1", "s.42", "retry", "{ \"step\" : 2 }", "user-7", TS);
        Map<String, String> fields = record.toFields();
        assertEquals(List.of("id", "session", "command", "args", "sub", "ts"), List.copyOf(fields.keySet()));
        assertEquals("{\"step\":2}", fields.get("args"), "args are stored as compact JSON");
        assertEquals("2026-11-23T17:00:00.123Z", fields.get("ts"));
        assertEquals(record, CommandRecord.fromFields(fields));
        assertEquals(2, record.argsNode().get("step").asInt());
    }

    @Test
    void subIsOmittedWhenAbsentAndArgsDefaultToEmptyObject() {
        Map<String, String> fields =
                new HashMap<>(Map.of("id", "c-1", "session", "s1", "command", "cancel", "ts", TS.toString()));
        CommandRecord record = CommandRecord.fromFields(fields);
        assertNull(record.sub());
        assertEquals("{}", record.args());
        assertTrue(!record.toFields().containsKey("sub"));
    }

    @Test
    void ofSerializesArgumentObjects() {
        CommandRecord record = CommandRecord.of("c-2", "s1", "approve", Map.of("step", 3), null);
        assertEquals("{\"step\":3}", record.args());
    }

    @Test
    void invalidFieldsAreNamed() {
        assertField("id", () -> new CommandRecord("", "s1", "x", "{}", null, TS));
        assertField("id", () -> new CommandRecord("has space", "s1", "x", "{}", null, TS));
        assertField("session", () -> new CommandRecord("c", "s{1}", "x", "{}", null, TS));
        assertField("command", () -> new CommandRecord("c", "s1", "Retry!", "{}", null, TS));
        assertField("args", () -> new CommandRecord("c", "s1", "x", "[1,2]", null, TS));
        assertField("args", () -> new CommandRecord("c", "s1", "x", "{not json", null, TS));
        assertField(
                "args", () -> new CommandRecord("c", "s1", "x", "{\"a\":\"" + "x".repeat(70_000) + "\"}", null, TS));
        assertField("sub", () -> new CommandRecord("c", "s1", "x", "{}", "", TS));
        assertField("ts", () -> CommandRecord.fromFields(Map.of("id", "c", "session", "s1", "command", "x")));
        assertField(
                "ts",
                () -> CommandRecord.fromFields(Map.of("id", "c", "session", "s1", "command", "x", "ts", "yesterday")));
    }

    private static void assertField(String field, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains("'" + field + "'"), e.getMessage());
    }
}
