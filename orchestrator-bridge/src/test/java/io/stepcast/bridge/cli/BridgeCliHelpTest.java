package io.stepcast.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BridgeCliHelpTest {

    @ParameterizedTest
    @CsvSource({
        "pipe,--help",
        "pipe,-h",
        "demo,--help",
        "demo,-h",
        "token,--help",
        "token,-h",
        "bench,--help",
        "bench,-h"
    })
    void everySubcommandExplainsItselfOnHelpWithoutDoingAnything(String subcommand, String flag) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = BridgeCli.run(
                new String[] {subcommand, "--redis", "redis://127.0.0.1:1", flag},
                Map.of(),
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        String help = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, () -> err.toString(StandardCharsets.UTF_8));
        assertTrue(help.startsWith("usage: java -jar orchestrator-bridge-cli.jar " + subcommand + " "), help);
        assertTrue(help.contains("--redis <uri>"), help);
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource({"pipe", "demo", "token", "bench"})
    void aUsageErrorShowsThatSubcommandsUsageOnly(String subcommand) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = BridgeCli.run(
                new String[] {subcommand, "--no-such-option"},
                Map.of(),
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, text);
        assertTrue(
                text.startsWith("error: unknown option --no-such-option\nusage: java -jar orchestrator-bridge-cli.jar "
                        + subcommand + " "),
                text);
    }

    @ParameterizedTest
    @CsvSource({
        "events",
        "plans",
        "window",
        "warmup",
        "status-every",
        "rb-clients",
        "rb-pipeline",
        "rb-batch",
        "wait-replicas"
    })
    void everyNumericOptionTheBenchUsageNamesIsParsed(String option) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = BridgeCli.run(
                new String[] {"bench", "--redis", "redis://127.0.0.1:1", "--" + option, "nope"},
                Map.of(),
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, text);
        assertTrue(text.startsWith("error: --" + option + " must be an integer, got nope\n"), text);
    }
}
