package io.stepcast.bridge.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

class MissingToolTest {

    @TempDir
    Path target;

    @Test
    void aMissingToolSkipsTheTestAndIsRecordedForTheConsoleReport() throws Exception {
        Path file = MissingToolReport.recordFile(target);
        MissingTool tools = new MissingTool(false, file);

        RuntimeException e = tools.abort("GatewayClusterIT", "nginx", "install it");

        TestAbortedException aborted = assertInstanceOf(TestAbortedException.class, e);
        assertTrue(aborted.getMessage().contains("nginx missing"), aborted.getMessage());
        assertEquals(
                "SKIPPED GatewayClusterIT: nginx missing: install it",
                Files.readAllLines(file).get(0));
    }

    @Test
    void strictModeFailsTheTestInsteadOfSkippingIt() {
        Path file = MissingToolReport.recordFile(target);
        MissingTool tools = new MissingTool(true, file);

        AssertionError e = assertThrows(AssertionError.class, () -> tools.abort("RedisRestartIT", "redis-server", "x"));

        assertTrue(e.getMessage().contains("strict mode"), e.getMessage());
        assertTrue(e.getMessage().contains("redis-server missing"), e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void aCheckLeftOutIsRecordedAndFailsInStrictMode() throws Exception {
        Path file = MissingToolReport.recordFile(target);
        new MissingTool(false, file).leftOut("ManifestOperationsDriftTest.nginx", "nginx", "nginx -t of the config");

        assertEquals(
                "CHECK LEFT OUT ManifestOperationsDriftTest.nginx: nginx missing: nginx -t of the config",
                Files.readAllLines(file).get(0));
        assertThrows(AssertionError.class, () -> new MissingTool(true, file).leftOut("T.m", "nginx", "x"));
    }

    @Test
    void strictModeIsOnWithTheEnvironmentVariableOrTheProperty() {
        assertTrue(MissingTool.isStrict(Map.of("STEPCAST_STRICT", "1"), null));
        assertTrue(MissingTool.isStrict(Map.of("STEPCAST_STRICT", "true"), null));
        assertTrue(MissingTool.isStrict(Map.of(), "true"));
        assertFalse(MissingTool.isStrict(Map.of(), null));
        assertFalse(MissingTool.isStrict(Map.of("STEPCAST_STRICT", "0"), "false"));
    }

    @Test
    void theReportPrintsEachDistinctSkipOnceWithItsCount() throws Exception {
        Path file = MissingToolReport.recordFile(target);
        MissingTool tools = new MissingTool(false, file);
        tools.abort("BrowserSseIT.sse", "node", "install Node.js 20+");
        tools.abort("BrowserSseIT.sse", "node", "install Node.js 20+");
        tools.abort("GatewayClusterIT", "nginx", "install it");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        int distinct = MissingToolReport.report(file, "deploy", new PrintStream(bytes, true, StandardCharsets.UTF_8));

        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(2, distinct);
        assertTrue(out.contains("deploy: 2 test(s)"), out);
        assertTrue(out.contains("SKIPPED BrowserSseIT.sse: node missing: install Node.js 20+ (2 times)"), out);
        assertTrue(out.contains("SKIPPED GatewayClusterIT: nginx missing: install it"), out);
    }

    @Test
    void aSkipIsNamedAfterTheTestMethodNotTheHelperThatNoticedIt() throws Exception {
        Path file = MissingToolReport.recordFile(target);
        MissingTool tools = new MissingTool(false, file);

        helperOfThisTest(tools);

        assertEquals(
                "SKIPPED MissingToolTest.aSkipIsNamedAfterTheTestMethodNotTheHelperThatNoticedIt: node missing: x",
                Files.readAllLines(file).get(0));
    }

    private static void helperOfThisTest(MissingTool tools) {
        tools.abort(MissingTool.callerName(), "node", "x");
    }

    @Test
    void nothingRecordedPrintsNothing() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(
                0,
                MissingToolReport.report(
                        MissingToolReport.recordFile(target),
                        "gateway",
                        new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
    }
}
