package io.stepcast.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.bridge.token.ClientTokenClaims;
import io.stepcast.bridge.token.ClientTokens;
import io.stepcast.bridge.token.TokenVerification;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenCommandTest {

    private static final String SECRET = "a-demo-secret-of-at-least-32-bytes!!";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int cli(Map<String, String> env, String... args) {
        return BridgeCli.run(
                args,
                env,
                new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void printsAVerifiableToken() {
        assertEquals(
                0,
                cli(
                        Map.of("STEPCAST_TOKEN_SECRET", SECRET),
                        "token",
                        "--sub",
                        "alice",
                        "--plans",
                        "p-1,team-*",
                        "--ttl",
                        "2h",
                        "--cmd",
                        "--iss",
                        "orch"));
        String token = out.toString(StandardCharsets.UTF_8).trim();
        ClientTokenClaims claims = assertInstanceOf(
                        TokenVerification.Valid.class,
                        ClientTokens.withSecret(SECRET).withIssuer("orch").verify(token))
                .claims();
        assertEquals("alice", claims.subject());
        assertEquals(List.of("p-1", "team-*"), claims.plans());
        assertTrue(claims.cmd());
        assertEquals(Duration.ofHours(2), Duration.between(claims.issuedAt(), claims.expiresAt()));
        assertTrue(claims.expiresAt().isAfter(Instant.now()));
    }

    @Test
    void missingOrShortSecretsAndBadPlansAreUsageErrors() {
        assertEquals(2, cli(Map.of(), "token", "--sub", "a", "--plans", "p"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("STEPCAST_TOKEN_SECRET"));
        assertEquals(2, cli(Map.of(), "token", "--secret", "short", "--sub", "a", "--plans", "p"));
        assertEquals(2, cli(Map.of(), "token", "--secret", SECRET, "--sub", "a", "--plans", "p{1}"));
        assertEquals(2, cli(Map.of(), "token", "--secret", SECRET, "--plans", "p"));
        assertEquals(2, cli(Map.of(), "frobnicate"));
        assertEquals(2, cli(Map.of()));
        assertEquals(0, cli(Map.of(), "--help"));
    }
}
