package io.stepcast.bridge.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints, on the Maven console, the tests of one module that {@link MissingTool} skipped. The build
 * runs it in the Maven JVM (exec-maven-plugin {@code java} goal, see the root pom):
 * {@code reset <target dir>} before the module's tests and {@code report <target dir> <module>} after
 * them. In strict mode the report fails the build when anything was skipped (the tests themselves
 * already fail then; this also catches a skip recorded by a JVM that was not in strict mode).
 */
public final class MissingToolReport {

    private MissingToolReport() {}

    /** Where {@link MissingTool} records the skips of a module whose build directory is {@code target}. */
    static Path recordFile(Path target) {
        return target.resolve("missing-tools").resolve("skips.txt");
    }

    /**
     * {@code reset <target>} or {@code report <target> <module>}.
     *
     * @throws IllegalStateException in strict mode when the report lists a skip (fails the build)
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: reset <target dir> | report <target dir> [module]");
        }
        Path file = recordFile(Path.of(args[1]));
        switch (args[0]) {
            case "reset" -> Files.deleteIfExists(file);
            case "report" -> {
                boolean strict = MissingTool.isStrict(System.getenv(), System.getProperty(MissingTool.STRICT_PROPERTY));
                int skipped = report(file, args.length > 2 ? args[2] : args[1], System.out);
                if (strict && skipped > 0) {
                    throw new IllegalStateException("strict mode (" + MissingTool.STRICT_ENV + "): " + skipped
                            + " test(s) skipped for a missing tool, listed above");
                }
            }
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    /**
     * Prints the recorded skips of one module, identical lines once with a count.
     *
     * @return the number of distinct skips printed (0 when the file does not exist)
     */
    static int report(Path file, String module, PrintStream out) throws IOException {
        if (!Files.isRegularFile(file)) {
            return 0;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String line : lines) {
            if (!line.isBlank()) {
                counts.merge(line.strip(), 1, Integer::sum);
            }
        }
        if (counts.isEmpty()) {
            return 0;
        }
        out.println("[stepcast] " + module + ": " + counts.size()
                + " test(s) or checks did not run because a tool is missing on this machine"
                + " (set STEPCAST_STRICT=1 to make this fail):");
        counts.forEach((line, n) -> out.println("[stepcast]   " + line + (n > 1 ? " (" + n + " times)" : "")));
        out.flush();
        return counts.size();
    }
}
