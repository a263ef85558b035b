package io.stepcast.bridge.token;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class ClientTokensTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef-stepcast";
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ClientTokens tokens = ClientTokens.withSecret(SECRET).withClock(Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void issuedTokenIsAStandardHs256JwtWithTheDocumentedClaims() throws Exception {
        String token = tokens.issue("user-7", List.of("p-42", "team-a:*"), Duration.ofMinutes(15), true);

        String[] parts = token.split("\\.");
        assertEquals(3, parts.length);
        JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
        assertEquals("HS256", header.get("alg").asText());
        assertEquals("JWT", header.get("typ").asText());
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals("user-7", claims.get("sub").asText());
        assertEquals(
                List.of("p-42", "team-a:*"),
                List.of(
                        claims.get("plans").get(0).asText(),
                        claims.get("plans").get(1).asText()));
        assertTrue(claims.get("cmd").isBoolean());
        assertTrue(claims.get("cmd").asBoolean());
        assertEquals(NOW.getEpochSecond(), claims.get("iat").asLong());
        assertEquals(NOW.getEpochSecond() + 900, claims.get("exp").asLong());
        assertFalse(claims.has("iss"));
        assertFalse(token.contains("="), "base64url without padding");

        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] expected = mac.doFinal((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(expected, Base64.getUrlDecoder().decode(parts[2]));
    }

    @Test
    void issuerIsWrittenWhenConfigured() throws Exception {
        String token = tokens.withIssuer("orchestrator-1").issue("u", List.of("*"), Duration.ofSeconds(1), false);
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        assertEquals("orchestrator-1", claims.get("iss").asText());
        assertFalse(claims.get("cmd").asBoolean());
    }

    @Test
    void subSecondTtlRemaindersRoundUpToWholeSeconds() {
        String token = tokens.issue("u", List.of("p"), Duration.ofMillis(1500), false);
        ClientTokenClaims claims = ((TokenVerification.Valid) tokens.verify(token)).claims();
        assertEquals(NOW.plusSeconds(2), claims.expiresAt());
    }

    @Test
    void verifyAcceptsOwnTokensAndReturnsTheClaims() {
        String token =
                tokens.withIssuer("orch").issue("user-7", List.of("p-42", "team-a:*"), Duration.ofMinutes(1), true);
        TokenVerification result = tokens.withIssuer("orch").verify(token);
        ClientTokenClaims claims =
                assertInstanceOf(TokenVerification.Valid.class, result).claims();
        assertEquals("user-7", claims.subject());
        assertEquals("orch", claims.issuer());
        assertTrue(claims.allowsPlan("p-42"));
        assertTrue(claims.allowsPlan("team-a:build-9"));
        assertFalse(claims.allowsPlan("p-43"));
        assertFalse(claims.allowsPlan("team-b:x"));
        assertTrue(claims.allowsCommand("p-42"));
    }

    @Test
    void verifyRejectsTamperedWrongSecretExpiredAndMalformedTokens() {
        String token = tokens.issue("user-7", List.of("p-42"), Duration.ofSeconds(60), false);
        String[] parts = token.split("\\.");
        String forgedClaims = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"sub\":\"user-7\",\"plans\":[\"*\"],\"cmd\":true,\"iat\":0,\"exp\":9999999999}"
                        .getBytes(StandardCharsets.UTF_8));

        assertReason(
                TokenVerification.Reason.BAD_SIGNATURE, tokens.verify(parts[0] + "." + forgedClaims + "." + parts[2]));
        assertReason(
                TokenVerification.Reason.BAD_SIGNATURE,
                ClientTokens.withSecret(SECRET + "x")
                        .withClock(Clock.fixed(NOW, ZoneOffset.UTC))
                        .verify(token));
        assertReason(
                TokenVerification.Reason.EXPIRED,
                tokens.withClock(Clock.fixed(NOW.plusSeconds(60), ZoneOffset.UTC))
                        .verify(token));
        assertReason(TokenVerification.Reason.MALFORMED, tokens.verify("abc.def"));
        assertReason(TokenVerification.Reason.MALFORMED, tokens.verify("!!.??.**"));
        assertReason(TokenVerification.Reason.MALFORMED, tokens.verify(null));
        String none = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));
        assertReason(TokenVerification.Reason.UNSUPPORTED_ALGORITHM, tokens.verify(none + "." + parts[1] + "."));
        assertReason(
                TokenVerification.Reason.BAD_CLAIMS, tokens.withIssuer("orch").verify(token));
    }

    /** RFC 7515 Appendix A.1: proves the signature is plain HMAC-SHA256 over "header.payload". */
    @Test
    void verifyChecksSignaturesExactlyAsRfc7515AppendixA1() {
        byte[] key = Base64.getUrlDecoder()
                .decode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
        String jws = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
                + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
                + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        // the signature is valid; the claims are not Stepcast's (no sub/plans): rejected past the signature check
        assertReason(TokenVerification.Reason.BAD_CLAIMS, new ClientTokens(key).verify(jws));
        assertReason(
                TokenVerification.Reason.BAD_SIGNATURE,
                new ClientTokens(key).verify(jws.substring(0, jws.length() - 2) + "Ak"));
    }

    @Test
    void shortSecretsAreRefused() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ClientTokens.withSecret("too-short-secret"));
        assertTrue(e.getMessage().contains("at least 32 bytes"), e.getMessage());
        new ClientTokens(new byte[32]);
    }

    @Test
    void invalidArgumentsAreRefusedNamingTheArgument() {
        assertMessage("subject", () -> tokens.issue(" ", List.of("p"), Duration.ofMinutes(1), false));
        assertMessage("plans", () -> tokens.issue("u", List.of(), Duration.ofMinutes(1), false));
        assertMessage("plans entry", () -> tokens.issue("u", List.of("a{b}"), Duration.ofMinutes(1), false));
        assertMessage("plans entry", () -> tokens.issue("u", List.of("a*b*"), Duration.ofMinutes(1), false));
        assertMessage("ttl", () -> tokens.issue("u", List.of("p"), Duration.ofMillis(999), false));
    }

    @Test
    void planPatternsMatchExactIdsAndPrefixes() {
        assertTrue(PlanPatterns.matches("*", "anything"));
        assertTrue(PlanPatterns.matches("demo-*", "demo-1"));
        assertTrue(PlanPatterns.matches("demo-*", "demo-"));
        assertFalse(PlanPatterns.matches("demo-*", "demo"));
        assertFalse(PlanPatterns.matches("demo-1", "demo-10"));
        assertTrue(PlanPatterns.isValid("demo-*"));
        assertFalse(PlanPatterns.isValid("-demo*"));
        assertFalse(PlanPatterns.isValid(""));
    }

    private static void assertReason(TokenVerification.Reason reason, TokenVerification result) {
        assertEquals(
                reason,
                assertInstanceOf(TokenVerification.Invalid.class, result).reason(),
                result.toString());
    }

    private static void assertMessage(String fragment, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }
}
