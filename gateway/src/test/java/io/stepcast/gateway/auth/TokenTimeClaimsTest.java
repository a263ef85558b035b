package io.stepcast.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.JWTClaimsSet;
import io.micronaut.context.ApplicationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code nbf} is honoured and {@code exp}/{@code nbf} get the {@code stepcast.auth.clock-skew} leeway. */
class TokenTimeClaimsTest {

    private static ApplicationContext ctx;

    @BeforeAll
    static void start() {
        ctx = ApplicationContext.run(Map.of(
                "stepcast.redis.uri",
                TestTokens.NO_REDIS,
                "stepcast.auth.enabled",
                "true",
                "stepcast.auth.hs256-secret",
                TestTokens.SECRET,
                "stepcast.auth.clock-skew",
                "30s"));
    }

    @AfterAll
    static void stop() {
        ctx.close();
    }

    private static AuthResult verify(JWTClaimsSet claims) throws Exception {
        return ctx.getBean(ClientAuthenticator.class)
                .verify(TestTokens.hs256Claims(claims))
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
    }

    private static JWTClaimsSet.Builder valid() {
        return TestTokens.claims("alice", List.of("p-1"));
    }

    @Test
    void aTokenNotValidBeforeAMinuteFromNowIsRejected() throws Exception {
        JWTClaimsSet claims =
                valid().notBeforeTime(Date.from(Instant.now().plusSeconds(60))).build();
        assertEquals(
                AuthFailure.INVALID_TOKEN,
                assertInstanceOf(AuthResult.Denied.class, verify(claims)).failure());
    }

    @Test
    void aTokenWhoseNbfIsWithinTheLeewayIsAccepted() throws Exception {
        JWTClaimsSet claims =
                valid().notBeforeTime(Date.from(Instant.now().plusSeconds(10))).build();
        assertInstanceOf(AuthResult.Granted.class, verify(claims));
    }

    @Test
    void aTokenWhoseNbfHasPassedIsAccepted() throws Exception {
        JWTClaimsSet claims =
                valid().notBeforeTime(Date.from(Instant.now().minusSeconds(60))).build();
        assertInstanceOf(AuthResult.Granted.class, verify(claims));
    }

    @Test
    void aNonNumericNbfIsRejected() throws Exception {
        JWTClaimsSet claims = valid().claim("nbf", "soon").build();
        assertInstanceOf(AuthResult.Denied.class, verify(claims));
    }

    @Test
    void aTokenExpiredWithinTheLeewayIsAcceptedAndItsSessionEndsAtExpPlusLeeway() throws Exception {
        Instant exp = Instant.now().minusSeconds(10);
        JWTClaimsSet claims = valid().expirationTime(Date.from(exp)).build();
        ClientPrincipal principal =
                assertInstanceOf(AuthResult.Granted.class, verify(claims)).principal();
        assertEquals(exp.getEpochSecond() + 30, principal.expiresAt().getEpochSecond());
    }

    @Test
    void aTokenExpiredBeyondTheLeewayIsReportedExpired() throws Exception {
        JWTClaimsSet claims = valid().expirationTime(Date.from(Instant.now().minusSeconds(45)))
                .build();
        assertEquals(
                AuthFailure.TOKEN_EXPIRED,
                assertInstanceOf(AuthResult.Denied.class, verify(claims)).failure());
    }

    @Test
    void theLeewayIsBoundedAndDefaultsToTenSeconds() {
        assertEquals(Duration.ofSeconds(10), AuthConfig.disabled().clockSkew());
        assertEquals(Duration.ofSeconds(30), ctx.getBean(AuthConfig.class).clockSkew());
        AuthConfig tooLoose = new AuthConfig(true, TestTokens.SECRET, null, null, null, null, Duration.ofHours(1));
        assertTrue(
                tooLoose.problems().stream().anyMatch(p -> p.contains("clock-skew")),
                tooLoose.problems().toString());
        AuthConfig negative = new AuthConfig(true, TestTokens.SECRET, null, null, null, null, Duration.ofSeconds(-1));
        assertTrue(
                negative.problems().stream().anyMatch(p -> p.contains("clock-skew")),
                negative.problems().toString());
    }
}
