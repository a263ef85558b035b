package io.stepcast.gateway.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.security.token.jwt.signature.ReactiveSignatureConfiguration;
import io.micronaut.security.token.jwt.signature.SignatureConfiguration;
import io.micronaut.security.token.jwt.signature.secret.SecretSignature;
import io.micronaut.security.token.jwt.signature.secret.SecretSignatureConfiguration;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;

/**
 * The keys that verify client tokens, as micronaut-security-jwt signature configurations built from
 * {@link AuthConfig} (so that an unset secret or URL simply creates no bean):
 * <ul>
 *   <li>{@code stepcast.auth.hs256-secret} → an HMAC signature (HS256; the same secret the bridge's
 *       {@code ClientTokens} signs with);</li>
 *   <li>{@code stepcast.auth.jwks-url} → {@link JwksSignature}: RSA (RS256…) and EC (ES256…) public
 *       keys fetched from the URL by {@link JwksKeys} (the JDK's HTTP client, so the production jar
 *       needs no Micronaut HTTP client), each key only for its own algorithm.</li>
 * </ul>
 * Both may be configured; a token is accepted when either verifies it. Unsigned tokens
 * ({@code alg: none}) are rejected whenever at least one signature is configured, which
 * {@code AuthGuard} guarantees for a gateway with auth enabled.
 */
@Factory
@Requires(property = "stepcast.auth.enabled", notEquals = "false")
public class TokenKeysFactory {

    /** Bean name of the HS256 signature. */
    public static final String HS256 = "stepcast-hs256";
    /** Bean name of the JWKS signature. */
    public static final String JWKS = "stepcast-jwks";

    @Singleton
    @Named(HS256)
    @Bean(typed = SignatureConfiguration.class)
    @Requires(property = "stepcast.auth.hs256-secret", pattern = ".*\\S.*")
    SignatureConfiguration hs256(AuthConfig config) {
        SecretSignatureConfiguration secret = new SecretSignatureConfiguration(HS256);
        secret.setSecret(config.hs256Secret());
        secret.setJwsAlgorithm(JWSAlgorithm.HS256);
        return new SecretSignature(secret);
    }

    /** The key set of {@code stepcast.auth.jwks-url}, its first fetch started at once (not awaited). */
    @Singleton
    @Requires(property = "stepcast.auth.jwks-url", pattern = ".*\\S.*")
    JwksKeys jwksKeys(AuthConfig config, JwksConfig jwks) {
        JwksKeys keys = new JwksKeys(config.jwksUrl(), jwks, Clock.systemUTC());
        keys.prefetch();
        return keys;
    }

    @Singleton
    @Named(JWKS)
    @Bean(typed = ReactiveSignatureConfiguration.class)
    @Requires(property = "stepcast.auth.jwks-url", pattern = ".*\\S.*")
    ReactiveSignatureConfiguration<SignedJWT> jwks(JwksKeys keys) {
        return new JwksSignature(keys);
    }
}
