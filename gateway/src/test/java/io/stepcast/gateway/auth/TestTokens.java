package io.stepcast.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.stepcast.bridge.token.ClientTokens;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;

/** Tokens good and bad for auth tests, and a JWKS endpoint on loopback. */
final class TestTokens {

    /** Nothing listens there: the gateway context starts and its Redis connections retry quietly. */
    static final String NO_REDIS = "redis://127.0.0.1:1";

    static final String SECRET = "test-secret-0123456789abcdef-0123456789";
    static final String OTHER_SECRET = "other-secret-0123456789abcdef-012345678";

    private TestTokens() {}

    /** A token minted by the bridge's ClientTokens (what orchestrator backends use). */
    static String hs256(String sub, List<String> plans, boolean cmd) {
        return ClientTokens.withSecret(SECRET).issue(sub, plans, Duration.ofMinutes(10), cmd);
    }

    static String hs256(String sub, List<String> plans, Duration ttl) {
        return ClientTokens.withSecret(SECRET).issue(sub, plans, ttl, false);
    }

    static String wrongKey(String sub, List<String> plans) {
        return ClientTokens.withSecret(OTHER_SECRET).issue(sub, plans, Duration.ofMinutes(10), false);
    }

    static String expired(String sub, List<String> plans) {
        Clock past = Clock.fixed(Instant.now().minus(Duration.ofHours(1)), ZoneOffset.UTC);
        return ClientTokens.withSecret(SECRET).withClock(past).issue(sub, plans, Duration.ofMinutes(1), false);
    }

    /** {"alg":"none"} with otherwise valid claims and an empty signature. */
    static String algNone(String sub, List<String> plans) {
        String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        long exp = Instant.now().plusSeconds(600).getEpochSecond();
        String payload = b64("{\"sub\":\"" + sub + "\",\"plans\":[\"" + String.join("\",\"", plans)
                + "\"],\"cmd\":true,\"exp\":" + exp + "}");
        return header + "." + payload + ".";
    }

    /** HS256 over arbitrary claims (e.g. without exp, or with wrong types). */
    static String hs256Claims(JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static JWTClaimsSet.Builder claims(String sub, List<String> plans) {
        return new JWTClaimsSet.Builder()
                .subject(sub)
                .claim("plans", plans)
                .expirationTime(Date.from(Instant.now().plusSeconds(600)));
    }

    static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    /** An RSA key pair whose public half is served as a JWKS on loopback. */
    static final class Jwks implements AutoCloseable {
        final RSAKey key;
        private final HttpServer server;

        Jwks() throws JOSEException, IOException {
            key = new RSAKeyGenerator(2048).keyID("k1").generate();
            byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/jwks.json", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
        }

        String rs256(JWTClaimsSet claims) throws JOSEException {
            return sign(key, claims);
        }

        static String sign(RSAKey rsa, JWTClaimsSet claims) throws JOSEException {
            SignedJWT jwt = new SignedJWT(
                    new JWSHeader.Builder(JWSAlgorithm.RS256)
                            .keyID(rsa.getKeyID())
                            .build(),
                    claims);
            jwt.sign(new RSASSASigner(rsa));
            return jwt.serialize();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
