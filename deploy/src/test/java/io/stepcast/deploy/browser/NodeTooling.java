package io.stepcast.deploy.browser;

import io.stepcast.bridge.testing.MissingTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the browser tests need outside the JVM: node (20+), Debian's Chromium, and playwright-core
 * installed from the npm registry into {@code deploy/browser/node_modules} (git-ignored). Each missing
 * piece skips the tests with a message saying how to get it; none fails them.
 */
final class NodeTooling {

    /** Chromium binary: {@code CHROMIUM} environment variable, else Debian's path. */
    static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));

    private NodeTooling() {}

    /** Skips the calling test, saying why on the console (in strict mode: fails it); see {@link MissingTool}. */
    static RuntimeException skip(String tool, String why) {
        throw MissingTool.skip(tool, why);
    }

    static void requireNode() {
        Exec.Result r = Exec.runQuietly(List.of("node", "--version"), null, Duration.ofSeconds(30));
        Matcher m = Pattern.compile("v(\\d+)\\.").matcher(r.output());
        if (r.exitCode() != 0 || !m.find()) {
            skip("node", "browser tests need node on PATH (install Node.js 20+)");
        }
        if (Integer.parseInt(m.group(1)) < 20) {
            skip("node 20+", "node " + r.output().trim() + " is too old for playwright-core (needs 20+)");
        }
    }

    static void requireChromium() {
        if (!Files.isExecutable(CHROMIUM)) {
            skip(
                    "chromium",
                    "no Chromium at " + CHROMIUM + " (apt-get install chromium, or set CHROMIUM=/path/to/chromium)");
        }
    }

    /** npm ci into deploy/browser when playwright-core is missing; skips the tests if npm cannot. */
    static void installPlaywright(Path browserDir) throws IOException {
        Path installed = browserDir.resolve("node_modules/playwright-core/package.json");
        if (Files.exists(installed) && wantedVersionInstalled(browserDir, installed)) {
            return;
        }
        Exec.Result r = Exec.runQuietly(
                List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), browserDir, Duration.ofMinutes(5));
        if (r.exitCode() != 0 || !Files.exists(installed)) {
            skip(
                    "playwright-core",
                    "`npm ci` in deploy/browser failed (is the npm registry reachable?):\n" + r.tail(2000));
        }
    }

    private static boolean wantedVersionInstalled(Path browserDir, Path installed) throws IOException {
        Matcher wanted = Pattern.compile("\"playwright-core\"\\s*:\\s*\"([^\"]+)\"")
                .matcher(Files.readString(browserDir.resolve("package.json")));
        Matcher have = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"").matcher(Files.readString(installed));
        return wanted.find() && have.find() && wanted.group(1).equals(have.group(1));
    }

    /** Runs short helper commands. */
    static final class Exec {
        record Result(int exitCode, String output) {
            String tail(int chars) {
                return output.length() <= chars ? output : output.substring(output.length() - chars);
            }
        }

        static Result runQuietly(List<String> cmd, Path cwd, Duration timeout) {
            try {
                ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
                if (cwd != null) {
                    pb.directory(cwd.toFile());
                }
                Process p = pb.start();
                p.getOutputStream().close();
                byte[][] out = new byte[1][];
                Thread reader = new Thread(() -> {
                    try {
                        out[0] = p.getInputStream().readAllBytes();
                    } catch (IOException e) {
                        out[0] = new byte[0];
                    }
                });
                reader.start();
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    reader.join(5000);
                    return new Result(-1, "timed out after " + timeout + ": " + String.join(" ", cmd));
                }
                reader.join(5000);
                return new Result(p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
            } catch (IOException e) {
                return new Result(-1, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Result(-1, e.toString());
            }
        }
    }
}
