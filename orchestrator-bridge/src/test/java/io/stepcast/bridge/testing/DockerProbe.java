package io.stepcast.bridge.testing;

import com.redis.testcontainers.RedisContainer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;

/**
 * Decides whether Testcontainers can be used, quickly and quietly: Testcontainers is only asked
 * ({@code isDockerAvailable()}, bounded by a timeout) when there is a hint of a Docker engine
 * ({@code DOCKER_HOST}, a docker socket, {@code ~/.testcontainers.properties}); without a hint it is
 * never touched, so machines without Docker see no probe errors in the log. Any failure, including
 * Testcontainers missing from the classpath, means "no".
 */
final class DockerProbe {

    private static final long PROBE_TIMEOUT_SECONDS = 15;

    private DockerProbe() {}

    static Optional<TestRedis> startContainer() {
        return startContainer(new StringBuilder());
    }

    static Optional<TestRedis> startContainer(StringBuilder why) {
        List<String> hints = hints();
        if (hints.isEmpty()) {
            why.append("no Docker engine hint (DOCKER_HOST, docker.sock)");
            return Optional.empty();
        }
        try {
            CompletableFuture<Boolean> probe = CompletableFuture.supplyAsync(Tc::available);
            if (!probe.get(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                why.append("Docker hint ").append(hints).append(" but no engine answers");
                return Optional.empty();
            }
            TestRedis redis = Tc.start();
            why.append("Docker engine answers");
            return Optional.of(redis);
        } catch (Throwable t) {
            why.append("Testcontainers unusable (")
                    .append(t.getClass().getSimpleName())
                    .append(')');
            return Optional.empty();
        }
    }

    static List<String> hints() {
        List<String> hints = new ArrayList<>();
        String dockerHost = System.getenv("DOCKER_HOST");
        if (dockerHost != null && !dockerHost.isBlank()) {
            hints.add("DOCKER_HOST");
        }
        String home = System.getProperty("user.home", "");
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        List<Path> candidates = new ArrayList<>(List.of(
                Path.of("/var/run/docker.sock"),
                Path.of(home, ".docker", "run", "docker.sock"),
                Path.of(home, ".docker", "desktop", "docker.sock"),
                Path.of(home, ".testcontainers.properties")));
        if (runtime != null && !runtime.isBlank()) {
            candidates.add(Path.of(runtime, "docker.sock"));
        }
        for (Path p : candidates) {
            if (Files.exists(p)) {
                hints.add(p.toString());
            }
        }
        return hints;
    }

    /** Holds every Testcontainers reference, so the classes load only after a positive hint. */
    private static final class Tc {
        static boolean available() {
            return DockerClientFactory.instance().isDockerAvailable();
        }

        static TestRedis start() {
            RedisContainer container =
                    new RedisContainer(RedisContainer.DEFAULT_IMAGE_NAME.withTag(RedisContainer.DEFAULT_TAG));
            container.start();
            String uri = "redis://" + container.getRedisHost() + ":" + container.getRedisPort();
            return TestRedis.ofContainer(uri, container::stop);
        }
    }
}
