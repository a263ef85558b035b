package io.stepcast.bridge.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedisSourceChoiceTest {

    @Test
    void forcedSourceNamesMapToSources() {
        assertEquals(TestRedis.Source.URI, TestRedis.parseSource("uri"));
        assertEquals(TestRedis.Source.TESTCONTAINERS, TestRedis.parseSource("testcontainers"));
        assertEquals(TestRedis.Source.REDIS_SERVER, TestRedis.parseSource("server"));
        assertEquals(TestRedis.Source.EMBEDDED, TestRedis.parseSource("embedded"));
    }

    @Test
    void unknownForcedSourceIsRejectedNamingTheProperty() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TestRedis.parseSource("docker"));
        assertTrue(e.getMessage().contains(TestRedis.FORCE_PROPERTY), e.getMessage());
    }

    @Test
    void respEncodesCommandsAsBulkStringArrays() {
        assertEquals(
                "*2\r\n$3\r\nGET\r\n$2\r\nk\u00e9\r\n".replace("$2\r\nk\u00e9", "$3\r\nk\u00e9"),
                new String(Resp.encode("GET", "k\u00e9"), StandardCharsets.UTF_8));
    }
}
