package io.stepcast.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.ApplicationContext;
import io.stepcast.bridge.token.ClientTokens;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenVerificationTest {

    private static ApplicationContext hs256Context;
    private static ApplicationContext jwksContext;
    private static TestTokens.Jwks jwks;

    @BeforeAll
    static void start() throws Exception {
        hs256Context = ApplicationContext.run(Map.of(
                "stepcast.redis.uri",
                TestTokens.NO_REDIS,
                "stepcast.auth.enabled",
                "true",
                "stepcast.auth.hs256-secret",
                TestTokens.SECRET));
        jwks = new TestTokens.Jwks();
        jwksContext = ApplicationContext.run(Map.of(
                "stepcast.redis.uri",
                TestTokens.NO_REDIS,
                "stepcast.auth.enabled",
                "true",
                "stepcast.auth.jwks-url",
                jwks.url()));
    }

    @AfterAll
    static void stop() {
        hs256Context.close();
        jwksContext.close();
        jwks.close();
    }

    private static AuthResult verify(ApplicationContext ctx, String token) throws Exception {
        return ctx.getBean(ClientAuthenticator.class)
                .verify(token)
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    private static AuthFailure denied(ApplicationContext ctx, String token) throws Exception {
        return assertInstanceOf(AuthResult.Denied.class, verify(ctx, token)).failure();
    }

    @Test
    void tokensMintedByTheBridgeVerify() throws Exception {
        String token = TestTokens.hs256("alice", List.of("p-1", "team-a:*"), true);
        ClientPrincipal principal = assertInstanceOf(AuthResult.Granted.class, verify(hs256Context, token))
                .principal();
        assertEquals("alice", principal.subject());
        assertTrue(principal.access().canRead("p-1"));
        assertTrue(principal.access().canCommand("team-a:7"));
        assertFalse(principal.access().canRead("p-2"));
        assertTrue(principal.expiresAt().isAfter(Instant.now()));
        assertFalse(principal.isExpiredAt(Instant.now()));
    }

    @Test
    void cmdDefaultsToFalse() throws Exception {
        String token = TestTokens.hs256("bob", List.of("p-1"), false);
        ClientPrincipal principal = assertInstanceOf(AuthResult.Granted.class, verify(hs256Context, token))
                .principal();
        assertFalse(principal.access().canCommand("p-1"));
    }

    @Test
    void unsignedTokensAreRejected() throws Exception {
        assertEquals(AuthFailure.INVALID_TOKEN, denied(hs256Context, TestTokens.algNone("eve", List.of("*"))));
        assertEquals(AuthFailure.INVALID_TOKEN, denied(jwksContext, TestTokens.algNone("eve", List.of("*"))));
    }

    @Test
    void expiredTokensAreRejectedAsExpired() throws Exception {
        assertEquals(AuthFailure.TOKEN_EXPIRED, denied(hs256Context, TestTokens.expired("alice", List.of("p-1"))));
    }

    @Test
    void tokensSignedWithAnotherKeyAreRejected() throws Exception {
        assertEquals(AuthFailure.INVALID_TOKEN, denied(hs256Context, TestTokens.wrongKey("eve", List.of("*"))));
        assertEquals(AuthFailure.INVALID_TOKEN, denied(jwksContext, TestTokens.hs256("eve", List.of("*"), false)));
    }

    @Test
    void malformedTokensAreRejected() throws Exception {
        for (String bad : List.of(
                "abc",
                "a.b.c",
                "a.b",
                "...",
                "eyJhbGciOiJIUzI1NiJ9.e30.",
                "x".repeat(9000),
                "\u0000.\u0001.\u0002",
                TestTokens.hs256("alice", List.of("p-1"), false) + "x")) {
            assertEquals(
                    AuthFailure.INVALID_TOKEN,
                    denied(hs256Context, bad),
                    bad.length() > 40 ? bad.substring(0, 40) : bad);
        }
        assertEquals(AuthFailure.MISSING_TOKEN, denied(hs256Context, "  "));
    }

    @Test
    void requiredClaimsMustBePresentWithTheRightTypes() throws Exception {
        assertEquals(
                AuthFailure.INVALID_TOKEN,
                denied(
                        hs256Context,
                        TestTokens.hs256Claims(TestTokens.claims("alice", List.of("p-1"))
                                .expirationTime(null)
                                .build())));
        assertEquals(
                AuthFailure.INVALID_TOKEN,
                denied(
                        hs256Context,
                        TestTokens.hs256Claims(TestTokens.claims("alice", List.of("p-1"))
                                .claim("plans", "p-1")
                                .build())));
        assertEquals(
                AuthFailure.INVALID_TOKEN,
                denied(
                        hs256Context,
                        TestTokens.hs256Claims(TestTokens.claims("alice", List.of("p-1"))
                                .claim("cmd", "yes")
                                .build())));
        assertEquals(
                AuthFailure.INVALID_TOKEN,
                denied(
                        hs256Context,
                        TestTokens.hs256Claims(
                                TestTokens.claims(null, List.of("p-1")).build())));
        assertEquals(
                AuthFailure.INVALID_TOKEN,
                denied(
                        hs256Context,
                        TestTokens.hs256Claims(TestTokens.claims("alice", List.of("p-1"))
                                .claim("plans", List.of(1, 2))
                                .build())));
    }

    @Test
    void rs256TokensVerifyAgainstTheJwks() throws Exception {
        String token = jwks.rs256(TestTokens.claims("carol", List.of("p-9")).build());
        ClientPrincipal principal = assertInstanceOf(AuthResult.Granted.class, verify(jwksContext, token))
                .principal();
        assertEquals("carol", principal.subject());
        assertTrue(principal.access().canRead("p-9"));
    }

    @Test
    void rs256TokensFromAnotherKeyOrConfusedAlgorithmsAreRejected() throws Exception {
        var foreign = new RSAKeyGenerator(2048).keyID("k1").generate();
        assertEquals(
                AuthFailure.INVALID_TOKEN,
                denied(
                        jwksContext,
                        TestTokens.Jwks.sign(
                                foreign, TestTokens.claims("eve", List.of("*")).build())));
        // HS256 "signed" with the public key's bytes (classic RS256/HS256 confusion)
        SignedJWT confused = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").build(),
                TestTokens.claims("eve", List.of("*")).build());
        confused.sign(new MACSigner(jwks.key.toPublicJWK().toJSONString().getBytes()));
        assertEquals(AuthFailure.INVALID_TOKEN, denied(jwksContext, confused.serialize()));
        // RS256 tokens are not accepted by an HS256-only gateway
        assertEquals(
                AuthFailure.INVALID_TOKEN,
                denied(
                        hs256Context,
                        jwks.rs256(TestTokens.claims("carol", List.of("p-9")).build())));
    }

    @Test
    void refreshKeepsTheSubject() throws Exception {
        ClientAuthenticator auth = hs256Context.getBean(ClientAuthenticator.class);
        ClientPrincipal alice = assertInstanceOf(
                        AuthResult.Granted.class,
                        verify(hs256Context, TestTokens.hs256("alice", List.of("p-1"), Duration.ofSeconds(30))))
                .principal();
        AuthResult same = auth.refresh(alice, TestTokens.hs256("alice", List.of("p-1", "p-2"), false))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertTrue(assertInstanceOf(AuthResult.Granted.class, same)
                .principal()
                .access()
                .canRead("p-2"));
        AuthResult other = auth.refresh(alice, TestTokens.hs256("mallory", List.of("*"), false))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        assertEquals(
                AuthFailure.SUBJECT_MISMATCH,
                assertInstanceOf(AuthResult.Denied.class, other).failure());
    }

    @Test
    void issuerIsEnforcedWhenConfigured() throws Exception {
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                "stepcast.redis.uri",
                TestTokens.NO_REDIS,
                "stepcast.auth.enabled",
                "true",
                "stepcast.auth.hs256-secret",
                TestTokens.SECRET,
                "stepcast.auth.issuer",
                "https://backend.example"))) {
            assertEquals(AuthFailure.INVALID_TOKEN, denied(ctx, TestTokens.hs256("alice", List.of("p-1"), false)));
            String withIssuer = ClientTokens.withSecret(TestTokens.SECRET)
                    .withIssuer("https://backend.example")
                    .issue("alice", List.of("p-1"), Duration.ofMinutes(1), false);
            assertInstanceOf(AuthResult.Granted.class, verify(ctx, withIssuer));
        }
    }
}
