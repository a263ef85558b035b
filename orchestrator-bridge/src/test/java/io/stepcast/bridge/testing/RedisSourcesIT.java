package io.stepcast.bridge.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Every local source of test Redis works on its own, so a fresh machine passes too. */
class RedisSourcesIT {

    @Test
    void embeddedFallbackServesCommands() throws IOException {
        try (TestRedis redis = TestRedis.start(TestRedis.Source.EMBEDDED)) {
            assertEquals(TestRedis.Source.EMBEDDED, redis.source());
            assertRoundTrip(redis.uri());
            assertTrue(version(redis.uri()).startsWith("6.2"), version(redis.uri()));
        }
    }

    @Test
    void redisServerOnPathServesCommands() throws IOException {
        MissingTool.assumePresent(
                RedisExecutables.onPath().isPresent(),
                "redis-server",
                () -> "this test starts the redis-server on PATH (Debian/Ubuntu: apt-get install redis-server)");
        try (TestRedis redis = TestRedis.start(TestRedis.Source.REDIS_SERVER)) {
            assertRoundTrip(redis.uri());
        }
    }

    @Test
    void sharedRedisIsOneInstanceThatAnswers() throws IOException {
        TestRedis shared = TestRedis.shared();
        assertEquals(shared, TestRedis.shared());
        assertRoundTrip(shared.uri());
    }

    @Test
    void flushAllEmptiesTheDatabase() throws IOException {
        try (TestRedis redis = TestRedis.start(TestRedis.Source.EMBEDDED)) {
            Resp.call(redis.uri(), "SET", "k", "v");
            redis.flushAll();
            assertEquals(0L, Resp.call(redis.uri(), "DBSIZE"));
        }
    }

    static void assertRoundTrip(String uri) throws IOException {
        String key = "stepcast-test:" + UUID.randomUUID();
        assertEquals("OK", Resp.call(uri, "SET", key, "v\u00e9"));
        assertEquals("v\u00e9", Resp.call(uri, "GET", key));
        Resp.call(uri, "DEL", key);
    }

    static String version(String uri) throws IOException {
        String info = (String) Resp.call(uri, "INFO", "server");
        for (String line : info.split("\r\n")) {
            if (line.startsWith("redis_version:")) {
                return line.substring("redis_version:".length());
            }
        }
        throw new AssertionError("no redis_version in INFO: " + info);
    }
}
