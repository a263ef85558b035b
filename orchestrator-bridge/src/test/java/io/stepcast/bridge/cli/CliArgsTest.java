package io.stepcast.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CliArgsTest {

    @Test
    void valuesFlagsAndEqualsFormAreParsed() {
        CliArgs args = new CliArgs(
                List.of("--redis", "redis://h:1", "--rate=5.5", "--cmd", "--ttl", "15m"),
                Set.of("redis", "rate", "ttl"),
                Set.of("cmd", "other"));
        assertEquals("redis://h:1", args.get("redis", null));
        assertEquals(5.5, args.number("rate", 0));
        assertTrue(args.flag("cmd"));
        assertFalse(args.flag("other"));
        assertEquals(Duration.ofMinutes(15), args.duration("ttl", null));
        assertEquals("x", args.get("missing", "x"));
    }

    @Test
    void durationsAcceptUnitsAndPlainSeconds() {
        assertEquals(Duration.ofMillis(500), CliArgs.parseDuration("d", "500ms"));
        assertEquals(Duration.ofSeconds(30), CliArgs.parseDuration("d", "30s"));
        assertEquals(Duration.ofHours(2), CliArgs.parseDuration("d", "2h"));
        assertEquals(Duration.ofDays(7), CliArgs.parseDuration("d", "7d"));
        assertEquals(Duration.ofSeconds(90), CliArgs.parseDuration("d", "90"));
        assertThrows(CliArgs.UsageException.class, () -> CliArgs.parseDuration("d", "soon"));
        assertThrows(CliArgs.UsageException.class, () -> CliArgs.parseDuration("d", "5w"));
    }

    @Test
    void unknownOptionsMissingValuesAndStrayArgumentsAreUsageErrors() {
        assertThrows(CliArgs.UsageException.class, () -> new CliArgs(List.of("--nope"), Set.of(), Set.of()));
        assertThrows(CliArgs.UsageException.class, () -> new CliArgs(List.of("--redis"), Set.of("redis"), Set.of()));
        assertThrows(CliArgs.UsageException.class, () -> new CliArgs(List.of("stray"), Set.of(), Set.of()));
        CliArgs args = new CliArgs(List.of("--plans", "x"), Set.of("plans"), Set.of());
        assertThrows(CliArgs.UsageException.class, () -> args.integer("plans", 1, 1, 10));
        assertThrows(CliArgs.UsageException.class, () -> args.required("sub"));
        assertEquals(List.of("a", "b*"), CliArgs.list(" a, ,b* "));
    }
}
