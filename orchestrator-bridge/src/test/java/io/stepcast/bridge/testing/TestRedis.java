package io.stepcast.bridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Real Redis for tests, never a mock.
 *
 * <p>{@link #shared()} is one Redis per JVM, started on first use and stopped at JVM exit. Its source
 * is chosen in this order and logged once:
 * <ol>
 *   <li>{@code REDIS_URI} (environment variable or system property) — an external Redis;</li>
 *   <li>Testcontainers ({@code com.redis:testcontainers-redis}) when a Docker engine answers;</li>
 *   <li>{@code redis-server} on {@code PATH}, as a process of its own (free port, temp dir);</li>
 *   <li>the Redis 6.2 binary bundled in {@code com.github.codemonstur:embedded-redis}.</li>
 * </ol>
 * The system property {@value #FORCE_PROPERTY} (or env {@code STEPCAST_TEST_REDIS}) forces one
 * source: {@code uri}, {@code testcontainers}, {@code server}, {@code embedded} ({@code auto} =
 * default). Forcing {@code embedded} also makes {@link #startThrowaway} use the embedded binary, so a
 * whole suite can be run as on a fresh machine without redis-server.
 *
 * <p>Tests sharing the JVM-wide Redis must use their own plan ids (keys) rather than
 * {@link #flushAll()} when other tests may run concurrently.
 */
public final class TestRedis implements AutoCloseable {

    /** System property that forces the source. */
    public static final String FORCE_PROPERTY = "stepcast.test.redis";

    /** Where a test Redis comes from. */
    public enum Source {
        URI,
        TESTCONTAINERS,
        REDIS_SERVER,
        EMBEDDED
    }

    private static final Logger LOG = LoggerFactory.getLogger(TestRedis.class);
    private static TestRedis shared;

    private final Source source;
    private final String uri;
    private final AutoCloseable resource;

    private TestRedis(Source source, String uri, AutoCloseable resource) {
        this.source = source;
        this.uri = uri;
        this.resource = resource;
    }

    /** The JVM-wide Redis (started on first call, stopped at JVM exit). Thread-safe. */
    public static synchronized TestRedis shared() {
        if (shared == null) {
            StringBuilder why = new StringBuilder();
            TestRedis redis = startFirstAvailable(why);
            Runtime.getRuntime().addShutdownHook(new Thread(redis::closeQuietly, "stepcast-test-redis-stop"));
            LOG.info("Test Redis: {} at {} ({})", redis.source, redis.uri, why);
            shared = redis;
        }
        return shared;
    }

    /**
     * Starts a new, separate Redis of the given source (the caller closes it). Used to prove each
     * fallback works; {@link Source#URI} and {@link Source#TESTCONTAINERS} throw
     * {@link IllegalStateException} when unavailable.
     */
    public static TestRedis start(Source source) {
        switch (source) {
            case URI: {
                String uri = setting("REDIS_URI", "REDIS_URI");
                if (uri == null) {
                    throw new IllegalStateException("REDIS_URI is not set");
                }
                return new TestRedis(Source.URI, uri, () -> {});
            }
            case TESTCONTAINERS:
                return DockerProbe.startContainer()
                        .orElseThrow(() -> new IllegalStateException("no Docker engine answers"));
            case REDIS_SERVER: {
                Path exe = RedisExecutables.onPath()
                        .orElseThrow(() -> new IllegalStateException("no redis-server on PATH"));
                return ofProcess(Source.REDIS_SERVER, exe);
            }
            case EMBEDDED:
                return ofProcess(Source.EMBEDDED, RedisExecutables.embeddedBinary());
            default:
                throw new AssertionError(source);
        }
    }

    /** A throwaway Redis process with default options (no persistence), already started. */
    public static RedisProcess startThrowaway() {
        return startThrowaway(RedisProcess.Options.defaults());
    }

    /** A throwaway Redis process the caller owns (close it), already started. */
    public static RedisProcess startThrowaway(RedisProcess.Options options) {
        Path exe = options.executable() != null ? options.executable() : throwawayExecutable();
        return new RedisProcess(options, exe).start();
    }

    /** {@code redis-server} on PATH, else the embedded binary; forced {@code embedded} → embedded. */
    public static Path throwawayExecutable() {
        if ("embedded".equals(forced())) {
            return RedisExecutables.embeddedBinary();
        }
        return RedisExecutables.onPath().orElseGet(RedisExecutables::embeddedBinary);
    }

    /** {@code redis://host:port} of this Redis. */
    public String uri() {
        return uri;
    }

    public Source source() {
        return source;
    }

    /** {@code FLUSHALL}: only safe when no other test uses this Redis at the same time. */
    public void flushAll() {
        try {
            Resp.call(uri, "FLUSHALL");
        } catch (IOException e) {
            throw new UncheckedIOException("FLUSHALL on " + uri, e);
        }
    }

    /** Stops a Redis obtained from {@link #start(Source)}; the shared one is stopped at JVM exit. */
    @Override
    public void close() {
        if (this == shared) {
            throw new IllegalStateException("the shared test Redis is stopped at JVM exit");
        }
        closeQuietly();
    }

    private void closeQuietly() {
        try {
            resource.close();
        } catch (Exception e) {
            LOG.warn("stopping test Redis {} failed", uri, e);
        }
    }

    static TestRedis ofContainer(String uri, AutoCloseable container) {
        return new TestRedis(Source.TESTCONTAINERS, uri, container);
    }

    private static TestRedis ofProcess(Source source, Path exe) {
        RedisProcess p = new RedisProcess(RedisProcess.Options.defaults(), exe);
        try {
            p.start();
        } catch (RuntimeException e) {
            p.close();
            throw e;
        }
        return new TestRedis(source, p.uri(), p::close);
    }

    private static TestRedis startFirstAvailable(StringBuilder why) {
        String force = forced();
        if (force != null) {
            why.append("forced by ").append(FORCE_PROPERTY).append('=').append(force);
            return start(parseSource(force));
        }
        if (setting("REDIS_URI", "REDIS_URI") != null) {
            why.append("REDIS_URI is set");
            return start(Source.URI);
        }
        Optional<TestRedis> container = DockerProbe.startContainer(why);
        if (container.isPresent()) {
            return container.get();
        }
        Optional<Path> onPath = RedisExecutables.onPath();
        if (onPath.isPresent()) {
            why.append("; redis-server on PATH: ").append(onPath.get());
            return ofProcess(Source.REDIS_SERVER, onPath.get());
        }
        why.append("; no redis-server on PATH: embedded-redis binary");
        return start(Source.EMBEDDED);
    }

    static Source parseSource(String value) {
        switch (value) {
            case "uri":
                return Source.URI;
            case "testcontainers":
                return Source.TESTCONTAINERS;
            case "server":
                return Source.REDIS_SERVER;
            case "embedded":
                return Source.EMBEDDED;
            default:
                throw new IllegalArgumentException(
                        FORCE_PROPERTY + " must be one of auto, uri, testcontainers, server, embedded: " + value);
        }
    }

    /** The forced source name, or null for automatic choice. */
    static String forced() {
        String v = setting(FORCE_PROPERTY, "STEPCAST_TEST_REDIS");
        if (v == null || v.isBlank() || v.equalsIgnoreCase("auto")) {
            return null;
        }
        return v.trim().toLowerCase(Locale.ROOT);
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }
}
