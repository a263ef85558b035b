package io.stepcast.bridge.testing;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import redis.embedded.core.ExecutableProvider;

/**
 * Finds redis-server executables for test processes: the one on {@code PATH}, or the binary bundled
 * in {@code com.github.codemonstur:embedded-redis} (Redis 6.2, extracted once per JVM).
 */
public final class RedisExecutables {

    private static volatile Path embedded;

    private RedisExecutables() {}

    /** {@code redis-server} found on {@code PATH}, if any (executable regular file). */
    public static Optional<Path> onPath() {
        String path = System.getenv("PATH");
        if (path == null || path.isBlank()) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) {
                continue;
            }
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The embedded-redis bundled binary for this OS/architecture, extracted to a temp file on first
     * use.
     *
     * @throws UncheckedIOException when the binary cannot be extracted (unsupported platform)
     */
    public static Path embeddedBinary() {
        Path p = embedded;
        if (p != null) {
            return p;
        }
        synchronized (RedisExecutables.class) {
            if (embedded == null) {
                try {
                    File file = ExecutableProvider.newJarResourceProvider().get();
                    if (!file.canExecute() && !file.setExecutable(true)) {
                        throw new IOException("cannot make " + file + " executable");
                    }
                    embedded = file.toPath();
                } catch (IOException e) {
                    throw new UncheckedIOException("embedded-redis binary unavailable", e);
                }
            }
            return embedded;
        }
    }
}
