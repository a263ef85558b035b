package io.stepcast.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.env.PropertySource;
import io.micronaut.context.env.PropertySourcePropertyResolver;
import io.micronaut.core.value.PropertyResolver;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RequiredSettingsTest {

    private static PropertyResolver properties(Map<String, Object> values) {
        return new PropertySourcePropertyResolver(PropertySource.of("test", values));
    }

    @Test
    void anUnconfiguredGatewayMissesItsRedisAndItsTokenKeyAtOnce() {
        List<String> problems = RequiredSettings.problems(properties(Map.of()));

        assertEquals(2, problems.size(), problems::toString);
        assertTrue(problems.get(0).contains("stepcast.redis.uri (env STEPCAST_REDIS_URI)"), problems::toString);
        assertTrue(problems.get(1).contains("stepcast.auth.hs256-secret"), problems::toString);
        assertTrue(problems.get(1).contains("stepcast.auth.jwks-url"), problems::toString);
    }

    @Test
    void redisAndASecretOrAuthSwitchedOffAreEnough() {
        assertEquals(
                List.of(),
                RequiredSettings.problems(properties(Map.of(
                        "stepcast.redis.uri", "redis://redis:6379",
                        "stepcast.auth.hs256-secret", "0123456789abcdef0123456789abcdef"))));
        assertEquals(
                List.of(),
                RequiredSettings.problems(properties(Map.of(
                        "stepcast.redis.uri", "redis://redis:6379",
                        "stepcast.auth.enabled", "false"))));
    }

    @Test
    void aTooShortSecretIsReportedWithTheMissingRedis() {
        List<String> problems = RequiredSettings.problems(properties(Map.of("stepcast.auth.hs256-secret", "short")));

        assertEquals(2, problems.size(), problems::toString);
        assertTrue(problems.get(1).contains("at least 32 bytes"), problems::toString);
    }

    @Test
    void theParagraphNumbersEveryProblemAndPointsToTheDemo() {
        String paragraph = RequiredSettings.paragraph(List.of("no Redis: set x", "no key: set y"));

        assertTrue(
                paragraph.startsWith("Stepcast gateway cannot start: 2 settings are missing or invalid."), paragraph);
        assertTrue(paragraph.contains("(1) no Redis: set x. (2) no key: set y."), paragraph);
        assertTrue(paragraph.contains("--demo"), paragraph);
        assertTrue(paragraph.contains("docs/configuration.md"), paragraph);
        assertEquals(-1, paragraph.indexOf('\n'), paragraph);
    }
}
