package io.stepcast.bridge.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Test helper: {@code BridgeCli} as a real child process ({@code java -cp <test classpath>}), with its
 * stdout and stderr collected line by line.
 */
final class CliProcess implements AutoCloseable {

    private final Process process;
    private final Writer stdin;
    private final List<String> out = new CopyOnWriteArrayList<>();
    private final List<String> err = new CopyOnWriteArrayList<>();

    CliProcess(String redisUri, String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                classpath(),
                BridgeCli.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(cmd);
        builder.environment().put("REDIS_URI", redisUri);
        builder.environment().remove("STEPCAST_LOG_LEVEL");
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        collect(process.getInputStream(), out, "stdout");
        collect(process.getErrorStream(), err, "stderr");
    }

    /** The test JVM's classpath: target/classes, test classes and every dependency. */
    static String classpath() {
        String cp = System.getProperty("surefire.test.class.path");
        return cp != null && !cp.isBlank() ? cp : System.getProperty("java.class.path");
    }

    private static void collect(InputStream stream, List<String> lines, String name) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader reader =
                            new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                        for (String line; (line = reader.readLine()) != null; ) {
                            lines.add(line);
                        }
                    } catch (IOException ignored) {
                        // process gone
                    }
                },
                "cli-" + name);
        t.setDaemon(true);
        t.start();
    }

    /** Writes lines to the process's stdin and flushes. */
    CliProcess write(String... lines) {
        try {
            for (String line : lines) {
                stdin.write(line);
                stdin.write('\n');
            }
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Closes stdin (end of input) and waits for the exit code. */
    int finish() throws InterruptedException {
        try {
            stdin.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            throw new AssertionError("CLI did not exit; stderr: " + err);
        }
        return process.exitValue();
    }

    List<String> stdout() {
        return out;
    }

    List<String> stderr() {
        return err;
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
