package io.stepcast.bridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.opentest4j.TestAbortedException;

/**
 * The one way a test says it cannot run because this machine lacks a tool (nginx, redis-server,
 * node, Chromium, a JDK, Docker, a jar another module builds): nothing is skipped silently.
 *
 * <p>A skip is printed on the test JVM's output, appended to
 * {@code <module>/target/missing-tools/skips.txt} and then thrown as a JUnit assumption failure. The
 * build prints that file on the Maven console after the module's tests ({@link MissingToolReport}),
 * because surefire sends the test JVM's output to report files.
 *
 * <p><b>Strict mode</b> (environment {@code STEPCAST_STRICT=1}, or {@code -Dstepcast.strict=true}
 * on the Maven command line): a missing tool fails the test instead. CI installs every tool, so a
 * skip there is a broken install step.
 *
 * <p>Thread-safe; appends are small single writes to a file opened for appending.
 */
public final class MissingTool {

    /** Environment variable that turns strict mode on ({@code 1} or {@code true}). */
    public static final String STRICT_ENV = "STEPCAST_STRICT";
    /** System property that turns strict mode on ({@code true}); the build passes it to test JVMs. */
    public static final String STRICT_PROPERTY = "stepcast.strict";

    private static final MissingTool DEFAULT =
            new MissingTool(isStrict(System.getenv(), System.getProperty(STRICT_PROPERTY)), defaultRecordFile());

    private final boolean strict;
    private final Path recordFile;

    MissingTool(boolean strict, Path recordFile) {
        this.strict = strict;
        this.recordFile = recordFile;
    }

    /**
     * Skips the calling test unless {@code present}; in strict mode fails it.
     *
     * @param tool what is missing, e.g. {@code "nginx"}
     * @param why  what the test needs it for and how to install it
     */
    public static void assumePresent(boolean present, String tool, Supplier<String> why) {
        if (!present) {
            throw skip(tool, why.get());
        }
    }

    /**
     * Skips the calling test (or, in strict mode, fails it) because {@code tool} is missing. Declared
     * to return the exception so callers can write {@code throw MissingTool.skip(...)}; it always
     * throws.
     */
    public static RuntimeException skip(String tool, String why) {
        throw DEFAULT.abort(caller(), tool, why);
    }

    /**
     * Like {@link #skip} for a whole test class ({@code who} names it), e.g. from a
     * {@code BeforeAllCallback}.
     */
    public static RuntimeException skipClass(String who, String tool, String why) {
        throw DEFAULT.abort(who, tool, why);
    }

    /**
     * A check inside a test that was left out because {@code tool} is missing (the test itself goes
     * on): printed and recorded like a skip; in strict mode it fails the test.
     */
    public static void checkLeftOut(String tool, String what) {
        DEFAULT.leftOut(caller(), tool, what);
    }

    /** True in strict mode (see the class comment). */
    public static boolean strict() {
        return DEFAULT.strict;
    }

    RuntimeException abort(String who, String tool, String why) {
        String line = who + ": " + tool + " missing: " + why;
        if (strict) {
            throw new AssertionError(strictMessage(line));
        }
        announce("SKIPPED " + line);
        return new TestAbortedException("SKIPPED (" + tool + " missing): " + why);
    }

    void leftOut(String who, String tool, String what) {
        String line = who + ": " + tool + " missing: " + what;
        if (strict) {
            throw new AssertionError(strictMessage(line));
        }
        announce("CHECK LEFT OUT " + line);
    }

    private void announce(String line) {
        System.out.println("[stepcast] " + line);
        System.out.flush();
        try {
            Files.createDirectories(recordFile.getParent());
            Files.writeString(
                    recordFile,
                    line + System.lineSeparator(),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the skip in " + recordFile, e);
        }
    }

    private static String strictMessage(String line) {
        return "[stepcast] strict mode (" + STRICT_ENV + "/" + STRICT_PROPERTY + "): " + line
                + ". A missing tool fails the build here instead of skipping the test: install it.";
    }

    static boolean isStrict(Map<String, String> env, String property) {
        String e = env.getOrDefault(STRICT_ENV, "").trim();
        return e.equals("1") || e.equalsIgnoreCase("true") || "true".equalsIgnoreCase(property);
    }

    /** {@code <basedir>/target/missing-tools/skips.txt}; surefire and failsafe set {@code basedir}. */
    static Path defaultRecordFile() {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        return MissingToolReport.recordFile(base.resolve("target"));
    }

    /**
     * {@code SimpleClassName.method} of the test method on the stack: the outermost frame of a Stepcast
     * test class ({@code *Test}, {@code *IT}), so a helper of the test class does not hide the test.
     */
    static String callerName() {
        return caller();
    }

    private static String caller() {
        Optional<String> test = StackWalker.getInstance()
                .walk(frames -> frames.filter(f -> {
                            String n = f.getClassName();
                            return n.startsWith("io.stepcast.")
                                    && !n.equals(MissingTool.class.getName())
                                    && (n.endsWith("IT") || n.endsWith("Test"));
                        })
                        .map(f -> simpleName(f.getClassName()) + "." + f.getMethodName())
                        .reduce((inner, outer) -> outer));
        return test.orElseGet(() -> StackWalker.getInstance()
                .walk(frames -> frames.filter(f -> !f.getClassName().equals(MissingTool.class.getName()))
                        .map(f -> simpleName(f.getClassName()) + "." + f.getMethodName())
                        .findFirst()
                        .orElse("a test")));
    }

    private static String simpleName(String className) {
        String n = className.substring(className.lastIndexOf('.') + 1);
        int nested = n.indexOf('$');
        return nested < 0 ? n : n.substring(0, nested);
    }
}
