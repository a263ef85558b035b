package io.stepcast.deploy;

import io.stepcast.bridge.testing.MissingTool;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the system tests need on this machine, and where the repository is.
 *
 * <p>The system tests run real processes: {@code redis-server} and {@code nginx} from the PATH
 * (Debian packages; {@code .ci/run} installs them), the gateway's runnable jar built by the same
 * reactor, and bash for the {@code deploy/local} scripts. Without redis-server or nginx the tests are
 * skipped with a message saying what is missing ({@link MissingTool}; in strict mode they fail).
 */
final class SystemTools {

    private SystemTools() {}

    /**
     * Skips the test class {@code who} (see {@link MissingTool}: said on the console, a failure in
     * strict mode) unless redis-server, nginx and bash are present.
     */
    static void assumeClusterTools(String who) {
        List<String> missing = new ArrayList<>();
        if (onPath("redis-server").isEmpty()) {
            missing.add("redis-server");
        }
        if (onPath("nginx").isEmpty() && !Files.isExecutable(Path.of("/usr/sbin/nginx"))) {
            missing.add("nginx");
        }
        if (onPath("bash").isEmpty()) {
            missing.add("bash");
        }
        if (!missing.isEmpty()) {
            throw MissingTool.skipClass(
                    who,
                    String.join(" and ", missing),
                    "the deploy system tests start a real"
                            + " cluster (redis-server, gateways, nginx); install them (Debian/Ubuntu: apt-get install"
                            + " redis-server nginx; .ci/run does so as root)");
        }
    }

    static Optional<Path> onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, exe);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** The repository root (the deploy module runs its tests with deploy/ as working directory). */
    static Path repoRoot() {
        Path dir = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
                .toAbsolutePath();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("deploy/local/up.sh")) && Files.isRegularFile(p.resolve("mvnw"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the repository root (deploy/local/up.sh) from " + dir);
    }

    /**
     * The gateway's runnable jar from this reactor build ({@code gateway/target}). {@code ./mvnw verify}
     * packages the gateway before deploy's integration tests run; a run of deploy alone needs
     * {@code -am} (or {@code -Dstepcast.gateway.jar=...}).
     */
    static Path gatewayJar() {
        String explicit = System.getProperty("stepcast.gateway.jar");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        Path target = repoRoot().resolve("gateway/target");
        try (var files = Files.list(target)) {
            return files.filter(p -> {
                        String n = p.getFileName().toString();
                        return n.startsWith("gateway-")
                                && n.endsWith(".jar")
                                && !n.endsWith("-sources.jar")
                                && !n.endsWith("-javadoc.jar")
                                && !n.endsWith("-tests.jar");
                    })
                    .max((a, b) ->
                            Long.compare(a.toFile().lastModified(), b.toFile().lastModified()))
                    .orElseThrow();
        } catch (Exception e) {
            throw new IllegalStateException(
                    "no runnable gateway jar in " + target
                            + ": build it first (./mvnw verify builds the reactor in order; for deploy alone use"
                            + " ./mvnw -pl deploy -am verify)",
                    e);
        }
    }
}
