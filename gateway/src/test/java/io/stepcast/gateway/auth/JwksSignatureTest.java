package io.stepcast.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetSequenceKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JwksSignatureTest {

    @Test
    void aKeyWithADeclaredAlgorithmVerifiesOnlyThatAlgorithm() throws Exception {
        RSAKey rs256 = new RSAKeyGenerator(2048).algorithm(JWSAlgorithm.RS256).generate();
        assertTrue(JwksSignature.meantFor(rs256, JWSAlgorithm.RS256));
        assertFalse(JwksSignature.meantFor(rs256, JWSAlgorithm.RS512));
        assertFalse(JwksSignature.meantFor(rs256, JWSAlgorithm.PS256));
        assertFalse(JwksSignature.meantFor(rs256, JWSAlgorithm.HS256));
    }

    @Test
    void keysWithoutADeclaredAlgorithmVerifyTheirFamilyOnly() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        assertTrue(JwksSignature.meantFor(rsa, JWSAlgorithm.RS384));
        assertFalse(JwksSignature.meantFor(rsa, JWSAlgorithm.PS256));
        ECKey p256 = new ECKeyGenerator(Curve.P_256).generate();
        assertTrue(JwksSignature.meantFor(p256, JWSAlgorithm.ES256));
        assertFalse(JwksSignature.meantFor(p256, JWSAlgorithm.ES384));
        OctetSequenceKey secret = new OctetSequenceKeyGenerator(256)
                .algorithm(JWSAlgorithm.HS256)
                .keyUse(KeyUse.SIGNATURE)
                .generate();
        assertFalse(JwksSignature.meantFor(secret, JWSAlgorithm.HS256), "a symmetric key from a JWKS never verifies");
    }

    @Test
    void jwksSettingsBindAndAreValidated() {
        try (ApplicationContext ctx = ApplicationContext.run(Map.of(
                "stepcast.redis.uri",
                TestTokens.NO_REDIS,
                "stepcast.auth.enabled",
                "false",
                "stepcast.auth.jwks.refresh",
                "2m",
                "stepcast.auth.jwks.min-refetch-interval",
                "10s",
                "stepcast.auth.jwks.fetch-timeout",
                "3s",
                "stepcast.auth.jwks.grace",
                "30m"))) {
            JwksConfig config = ctx.getBean(JwksConfig.class);
            assertEquals(
                    new JwksConfig(
                            Duration.ofMinutes(2),
                            Duration.ofSeconds(10),
                            Duration.ofSeconds(3),
                            Duration.ofMinutes(30)),
                    config);
        }
        assertEquals(Duration.ofMinutes(5), JwksConfig.defaults().refresh());
        assertThrows(ConfigurationException.class, () -> new JwksConfig(Duration.ZERO, null, null, null));
    }
}
