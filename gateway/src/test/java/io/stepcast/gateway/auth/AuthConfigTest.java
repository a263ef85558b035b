package io.stepcast.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthConfigTest {

    static final String SECRET = "0123456789abcdef0123456789abcdef";

    @Test
    void bindsTheStepcastAuthBlock() {
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                "stepcast.redis.uri",
                TestTokens.NO_REDIS,
                "stepcast.auth.enabled",
                "true",
                "stepcast.auth.hs256-secret",
                SECRET,
                "stepcast.auth.jwks-url",
                "https://idp.example/.well-known/jwks.json",
                "stepcast.auth.issuer",
                "https://idp.example",
                "stepcast.auth.allowed-origins",
                "https://a.example,https://b.example",
                "stepcast.auth.publisher-keys",
                List.of("k".repeat(24), "q".repeat(30))))) {
            AuthConfig config = ctx.getBean(AuthConfig.class);
            assertTrue(config.enabled());
            assertEquals(SECRET, config.hs256Secret());
            assertEquals("https://idp.example/.well-known/jwks.json", config.jwksUrl());
            assertEquals("https://idp.example", config.issuer());
            assertEquals(List.of("https://a.example", "https://b.example"), config.allowedOrigins());
            assertEquals(2, config.publisherKeys().size());
            assertEquals(List.of(), config.problems());
        }
    }

    @Test
    void toStringNeverShowsSecrets() {
        AuthConfig config = new AuthConfig(true, SECRET, null, null, null, List.of("k".repeat(24)), null);
        assertFalse(config.toString().contains(SECRET));
        assertFalse(config.toString().contains("k".repeat(24)));
    }

    @Test
    void enabledWithoutKeysIsAProblemNamingTheSettings() {
        List<String> problems = new AuthConfig(true, null, null, null, null, null, null).problems();
        assertEquals(1, problems.size());
        assertTrue(problems.get(0).contains("STEPCAST_AUTH_HS256_SECRET"));
        assertTrue(problems.get(0).contains("stepcast.auth.enabled=false"));
    }

    @Test
    void weakOrMalformedSettingsAreProblems() {
        assertFalse(new AuthConfig(true, "short", null, null, null, null, null)
                .problems()
                .isEmpty());
        assertFalse(new AuthConfig(true, null, "file:///etc/passwd", null, null, null, null)
                .problems()
                .isEmpty());
        assertFalse(new AuthConfig(true, SECRET, null, null, null, List.of("short"), null)
                .problems()
                .isEmpty());
        assertFalse(new AuthConfig(true, SECRET, null, null, List.of("https://a.example/path"), null, null)
                .problems()
                .isEmpty());
        assertEquals(List.of(), new AuthConfig(true, SECRET, null, null, List.of("*", "null"), null, null).problems());
    }

    @Test
    void disabledNeedsNoKeys() {
        assertEquals(List.of(), AuthConfig.disabled().problems());
        assertEquals(List.of(), new AuthConfig(false, "short", null, null, null, null, null).problems());
    }
}
