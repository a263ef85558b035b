package io.stepcast.bridge.token;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints (and verifies) Stepcast client tokens: compact JWS (RFC 7515) JSON Web Tokens (RFC 7519)
 * signed with HMAC-SHA256 ({@code alg: HS256}) over a shared secret that the gateways also hold.
 *
 * <p>Claims: {@code sub} (subject), {@code plans} (array of exact plan ids and {@code prefix*}
 * patterns, see {@link PlanPatterns}), {@code cmd} (boolean: may send commands), {@code iat} and
 * {@code exp} (NumericDate, seconds), and {@code iss} when an issuer is configured. Header:
 * {@code {"alg":"HS256","typ":"JWT"}}. Any standard JWT library verifies these tokens (the gateway
 * uses micronaut-security-jwt with the same secret).
 *
 * <p>The secret is used as raw bytes and must be at least {@value #MIN_SECRET_BYTES} bytes long (the
 * HS256 key-size floor of RFC 7518 §3.2, also enforced by Nimbus JOSE, which gateways use).
 *
 * <p>Instances are immutable and thread-safe; a fresh {@link Mac} is used per call.
 */
public final class ClientTokens {

    /** Minimum secret length in bytes (256 bits). */
    public static final int MIN_SECRET_BYTES = 32;
    /** Longest accepted subject. */
    public static final int MAX_SUBJECT_LENGTH = 256;
    /** Most entries in the {@code plans} claim. */
    public static final int MAX_PLANS = 256;

    private static final String ALGORITHM = "HmacSHA256";
    private static final String HEADER_B64 =
            b64("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    private static final ObjectMapper JSON = new ObjectMapper();

    private final byte[] secret;
    private final String issuer;
    private final Clock clock;

    /**
     * @param secret the shared HS256 secret, at least {@value #MIN_SECRET_BYTES} bytes (copied)
     * @throws IllegalArgumentException when the secret is too short
     */
    public ClientTokens(byte[] secret) {
        this(secret, null, Clock.systemUTC());
    }

    private ClientTokens(byte[] secret, String issuer, Clock clock) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "secret must be at least " + MIN_SECRET_BYTES + " bytes for HS256, got " + secret.length);
        }
        if (issuer != null && issuer.isBlank()) {
            throw new IllegalArgumentException("issuer must not be blank");
        }
        this.secret = secret.clone();
        this.issuer = issuer;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Tokens signed with the UTF-8 bytes of {@code secret} (what micronaut-security-jwt does by default). */
    public static ClientTokens withSecret(String secret) {
        return new ClientTokens(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8));
    }

    /** A copy that writes {@code iss} into every token it issues and requires it when verifying. */
    public ClientTokens withIssuer(String issuer) {
        return new ClientTokens(secret, Objects.requireNonNull(issuer, "issuer"), clock);
    }

    /** A copy that reads the time from {@code clock} (for {@code iat}, {@code exp} and verification). */
    public ClientTokens withClock(Clock clock) {
        return new ClientTokens(secret, issuer, clock);
    }

    /**
     * Issues a token.
     *
     * @param subject the {@code sub} claim: non-blank, at most {@value #MAX_SUBJECT_LENGTH} characters
     * @param plans   exact plan ids and {@code prefix*} patterns (1 to {@value #MAX_PLANS} entries)
     * @param ttl     lifetime, at least one second; {@code exp = iat + ttl} rounded up to whole seconds
     * @param cmd     whether the client may send commands to those plans
     * @return the compact serialization {@code header.payload.signature}
     * @throws IllegalArgumentException naming the offending argument
     */
    public String issue(String subject, Collection<String> plans, Duration ttl, boolean cmd) {
        requireSubject(subject);
        List<String> planList = requirePlans(plans);
        Objects.requireNonNull(ttl, "ttl");
        if (ttl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("ttl must be at least 1 second, got " + ttl);
        }
        long iat = clock.instant().getEpochSecond();
        long ttlSeconds = ttl.getSeconds() + (ttl.getNano() > 0 ? 1 : 0);
        ObjectNode claims = JSON.createObjectNode();
        if (issuer != null) {
            claims.put("iss", issuer);
        }
        claims.put("sub", subject);
        ArrayNode planArray = claims.putArray("plans");
        planList.forEach(planArray::add);
        claims.put("cmd", cmd);
        claims.put("iat", iat);
        claims.put("exp", Math.addExact(iat, ttlSeconds));
        String signingInput = HEADER_B64 + "." + b64(toJson(claims));
        return signingInput + "." + b64(sign(signingInput));
    }

    /**
     * Verifies a token issued with this secret: HS256 header, signature (constant-time comparison),
     * claim types, {@code exp} against the clock, and {@code iss} when an issuer is configured.
     * Never throws for bad input.
     */
    public TokenVerification verify(String token) {
        if (token == null) {
            return invalid(TokenVerification.Reason.MALFORMED, "no token");
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            return invalid(TokenVerification.Reason.MALFORMED, "expected 3 dot-separated parts, got " + parts.length);
        }
        JsonNode header;
        JsonNode claims;
        byte[] signature;
        try {
            header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            signature = Base64.getUrlDecoder().decode(parts[2]);
        } catch (IllegalArgumentException | IOException e) {
            return invalid(TokenVerification.Reason.MALFORMED, "not base64url JSON: " + e.getMessage());
        }
        if (header == null || !header.isObject() || claims == null || !claims.isObject()) {
            return invalid(TokenVerification.Reason.MALFORMED, "header and payload must be JSON objects");
        }
        if (!"HS256".equals(header.path("alg").asText(null))) {
            return invalid(TokenVerification.Reason.UNSUPPORTED_ALGORITHM, "alg must be HS256");
        }
        if (!MessageDigest.isEqual(sign(parts[0] + "." + parts[1]), signature)) {
            return invalid(TokenVerification.Reason.BAD_SIGNATURE, "signature does not match");
        }
        ClientTokenClaims parsed;
        try {
            parsed = parseClaims(claims);
        } catch (IllegalArgumentException e) {
            return invalid(TokenVerification.Reason.BAD_CLAIMS, e.getMessage());
        }
        if (issuer != null && !issuer.equals(parsed.issuer())) {
            return invalid(TokenVerification.Reason.BAD_CLAIMS, "iss must be " + issuer);
        }
        if (parsed.isExpiredAt(clock.instant())) {
            return invalid(TokenVerification.Reason.EXPIRED, "expired at " + parsed.expiresAt());
        }
        return new TokenVerification.Valid(parsed);
    }

    private static ClientTokenClaims parseClaims(JsonNode claims) {
        JsonNode sub = claims.get("sub");
        if (sub == null || !sub.isTextual()) {
            throw new IllegalArgumentException("sub must be a string");
        }
        JsonNode plans = claims.get("plans");
        if (plans == null || !plans.isArray()) {
            throw new IllegalArgumentException("plans must be an array");
        }
        List<String> planList = new ArrayList<>();
        for (JsonNode p : plans) {
            if (!p.isTextual()) {
                throw new IllegalArgumentException("plans must hold strings");
            }
            planList.add(p.asText());
        }
        JsonNode cmd = claims.get("cmd");
        if (cmd != null && !cmd.isBoolean()) {
            throw new IllegalArgumentException("cmd must be a boolean");
        }
        JsonNode iat = claims.get("iat");
        JsonNode exp = claims.get("exp");
        if (exp == null || !exp.isIntegralNumber()) {
            throw new IllegalArgumentException("exp must be an integer");
        }
        if (iat != null && !iat.isIntegralNumber()) {
            throw new IllegalArgumentException("iat must be an integer");
        }
        JsonNode iss = claims.get("iss");
        if (iss != null && !iss.isTextual()) {
            throw new IllegalArgumentException("iss must be a string");
        }
        return new ClientTokenClaims(
                sub.asText(),
                planList,
                cmd != null && cmd.asBoolean(),
                Instant.ofEpochSecond(iat == null ? 0 : iat.asLong()),
                Instant.ofEpochSecond(exp.asLong()),
                iss == null ? null : iss.asText());
    }

    private static void requireSubject(String subject) {
        if (subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("subject must not be blank");
        }
        if (subject.length() > MAX_SUBJECT_LENGTH) {
            throw new IllegalArgumentException("subject must be at most " + MAX_SUBJECT_LENGTH + " characters");
        }
    }

    private static List<String> requirePlans(Collection<String> plans) {
        Objects.requireNonNull(plans, "plans");
        if (plans.isEmpty() || plans.size() > MAX_PLANS) {
            throw new IllegalArgumentException("plans must hold 1 to " + MAX_PLANS + " entries, got " + plans.size());
        }
        List<String> list = new ArrayList<>(plans.size());
        for (String p : plans) {
            if (!PlanPatterns.isValid(p)) {
                throw new IllegalArgumentException(
                        "plans entry must be a plan id or a prefix pattern ending in '*': " + p);
            }
            list.add(p);
        }
        return list;
    }

    private byte[] sign(String signingInput) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return mac.doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable in this JDK", e);
        }
    }

    private static byte[] toJson(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static TokenVerification invalid(TokenVerification.Reason reason, String detail) {
        return new TokenVerification.Invalid(reason, detail);
    }

    @Override
    public String toString() {
        return "ClientTokens[HS256, secret=" + secret.length + " bytes" + (issuer == null ? "" : ", iss=" + issuer)
                + "]";
    }
}
