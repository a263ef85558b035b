package io.stepcast.deploy;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.bridge.testing.MissingTool;
import io.stepcast.bridge.testing.TestRedis;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The JDK 25 AOT cache path, on the packaged jars: the demo module's training workload writes a cache
 * next to a copy of the production gateway jar, and that jar starts with it under
 * {@code -XX:AOTMode=on} (the JVM refuses to start when it cannot use the cache) and serves clients;
 * a cache that does not fit the jar (another path, a newer time stamp) is ignored and the gateway
 * starts all the same.
 * Skipped, saying why, where no JDK 25 is installed.
 */
class AotCacheIT {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static Path java25;
    private static Path dir;
    private static Path jar;
    private static Path cache;

    @BeforeAll
    static void trainOnce() throws Exception {
        java25 = jdk25();
        if (java25 == null) {
            throw MissingTool.skipClass(
                    "AotCacheIT",
                    "JDK 25",
                    "the AOT cache needs JDK 25 (set JAVA25_HOME or"
                            + " install Temurin 25 at /usr/lib/jvm/temurin-25-jdk-amd64)");
        }
        Path repo = SystemTools.repoRoot();
        dir = Files.createDirectories(repo.resolve("deploy/target/aot-cache-it"));
        jar = Files.copy(SystemTools.gatewayJar(), dir.resolve("gateway.jar"), StandardCopyOption.REPLACE_EXISTING);
        cache = dir.resolve("gateway.aot");
        Files.deleteIfExists(cache);
        Path demoJar = demoJar(repo);
        List<String> cmd = List.of(
                java25.toString(),
                "-cp",
                demoJar.toString(),
                "io.stepcast.demo.AotTraining",
                "--java",
                java25.toString(),
                "--jar",
                jar.toString(),
                "--seconds",
                "3",
                "--jvm-opts",
                String.join(" ", imageFlags(repo)));
        Process training = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("training.log").toFile())
                .start();
        assertTrue(training.waitFor(5, TimeUnit.MINUTES), "training finished within 5 minutes");
        assertEquals(0, training.exitValue(), () -> "training failed:\n" + read(dir.resolve("training.log")));
        assertTrue(Files.size(cache) > 1_000_000, "a cache was written next to the jar");
    }

    @Test
    void packagedGatewayStartsWithItsTrainedCacheAndServes() throws Exception {
        Process gateway = start(List.of("-XX:AOTCache=" + cache, "-XX:AOTMode=on"), "with-cache.log");
        try {
            int port = portOf(gateway);
            awaitReady(gateway, port, "with-cache.log");
            HttpResponse<String> info = HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/info"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, info.statusCode());
            assertTrue(info.body().contains("stepcast.v1"), info.body());
        } finally {
            stop(gateway);
        }
    }

    @Test
    void aCacheThatDoesNotFitTheJarIsIgnoredAndTheGatewayStartsAllTheSame() throws Exception {
        Path stale = Files.copy(jar, dir.resolve("gateway-stale.jar"), StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(stale, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Process gateway = start(stale, List.of("-XX:AOTCache=" + cache), "stale-cache.log");
        try {
            awaitReady(gateway, portOf(gateway), "stale-cache.log");
        } finally {
            stop(gateway);
        }
    }

    private static final Map<Process, Integer> PORTS = new ConcurrentHashMap<>();

    private static Process start(List<String> aotFlags, String log) throws IOException {
        return start(jar, aotFlags, log);
    }

    private static Process start(Path gatewayJar, List<String> aotFlags, String log) throws IOException {
        int port = freePort();
        List<String> cmd = new ArrayList<>(List.of(java25.toString()));
        cmd.addAll(imageFlags(SystemTools.repoRoot()));
        cmd.addAll(aotFlags);
        cmd.addAll(List.of(
                "-jar",
                gatewayJar.toString(),
                "--micronaut.server.host=127.0.0.1",
                "--micronaut.server.port=" + port,
                "--stepcast.redis.uri=" + TestRedis.shared().uri(),
                "--stepcast.auth.enabled=false"));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile())
                .start();
        PORTS.put(p, port);
        return p;
    }

    private static int portOf(Process p) {
        return PORTS.get(p);
    }

    private static void awaitReady(Process gateway, int port, String log) {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/readiness"))
                .timeout(Duration.ofSeconds(2))
                .build();
        await().atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    assertTrue(gateway.isAlive(), () -> "the gateway exited:\n" + read(dir.resolve(log)));
                    try {
                        return HTTP.send(ready, HttpResponse.BodyHandlers.discarding())
                                        .statusCode()
                                == 200;
                    } catch (IOException notYet) {
                        return false;
                    }
                });
    }

    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }

    /** The JDK 25 java binary ($JAVA25_HOME, else Temurin 25's usual place), or null. */
    static Path jdk25() {
        for (String home : new String[] {System.getenv("JAVA25_HOME"), "/usr/lib/jvm/temurin-25-jdk-amd64"}) {
            if (home != null && Files.isExecutable(Path.of(home, "bin", "java"))) {
                return Path.of(home, "bin", "java");
            }
        }
        return null;
    }

    static List<String> imageFlags(Path repo) throws IOException {
        return Files.readAllLines(repo.resolve("deploy/aot/jvm.flags")).stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
    }

    private static Path demoJar(Path repo) throws IOException {
        try (var files = Files.list(repo.resolve("deploy/demo/target"))) {
            return files.filter(p -> p.getFileName().toString().matches("demo-.*\\.jar")
                            && !p.getFileName().toString().matches(".*-(sources|javadoc|tests)\\.jar"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no demo jar in deploy/demo/target: build "
                            + "the reactor first (./mvnw verify, or ./mvnw -pl deploy -am verify)"));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
