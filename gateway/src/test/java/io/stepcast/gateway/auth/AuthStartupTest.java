package io.stepcast.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micronaut.context.ApplicationContext;
import io.micronaut.security.filters.SecurityFilter;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthStartupTest {

    private static String rootMessage(Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Test
    void refusesToStartWithAuthOnAndNoKey() {
        Exception e = assertThrows(
                Exception.class,
                () -> ApplicationContext.run(
                                Map.of("stepcast.redis.uri", TestTokens.NO_REDIS, "stepcast.auth.enabled", "true"))
                        .close());
        assertTrue(rootMessage(e).contains("refuses to start"), rootMessage(e));
        assertTrue(rootMessage(e).contains("stepcast.auth.hs256-secret"), rootMessage(e));
    }

    @Test
    void refusesToStartWithAShortSecret() {
        Exception e = assertThrows(
                Exception.class,
                () -> ApplicationContext.run(Map.of(
                                "stepcast.redis.uri",
                                TestTokens.NO_REDIS,
                                "stepcast.auth.enabled",
                                "true",
                                "stepcast.auth.hs256-secret",
                                "too-short"))
                        .close());
        assertTrue(rootMessage(e).contains("at least 32 bytes"), rootMessage(e));
        assertFalse(rootMessage(e).contains("too-short"), "the secret must not be echoed");
    }

    @Test
    void refusesContradictingSecuritySwitches() {
        Exception e = assertThrows(
                Exception.class,
                () -> ApplicationContext.run(Map.of(
                                "stepcast.redis.uri",
                                TestTokens.NO_REDIS,
                                "stepcast.auth.enabled",
                                "false",
                                "micronaut.security.enabled",
                                "true"))
                        .close());
        assertTrue(rootMessage(e).contains("contradicts"), rootMessage(e));
    }

    @Test
    void startsWithAuthExplicitlyOff() {
        try (ApplicationContext ctx = ApplicationContext.run(
                Map.of("stepcast.redis.uri", TestTokens.NO_REDIS, "stepcast.auth.enabled", "false"))) {
            ClientAuthenticator auth = ctx.getBean(ClientAuthenticator.class);
            assertFalse(auth.enabled());
            assertFalse(ctx.containsBean(SecurityFilter.class));
            assertEquals(
                    ClientPrincipal.anonymous(),
                    ((AuthResult.Granted) auth.verify("anything")
                                    .toCompletableFuture()
                                    .join())
                            .principal());
        }
    }

    @Test
    void startsWithAuthOnAndASecret() {
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                "stepcast.redis.uri",
                TestTokens.NO_REDIS,
                "stepcast.auth.enabled",
                "true",
                "stepcast.auth.hs256-secret",
                TestTokens.SECRET))) {
            assertTrue(ctx.getBean(ClientAuthenticator.class).enabled());
            assertTrue(ctx.containsBean(SecurityFilter.class));
        }
    }
}
