package io.stepcast.gateway.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.security.token.jwt.signature.ReactiveSignatureConfiguration;
import java.util.List;
import java.util.Set;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * Verifies client tokens signed with a key of {@code stepcast.auth.jwks-url} ({@link JwksKeys}).
 *
 * <p>A key verifies a token only for the algorithm it is meant for: its declared {@code alg} when it
 * has one (an RS256 key never verifies RS512 or PS256); otherwise RS256/RS384/RS512 for an RSA key and
 * the curve's own ES256/ES384/ES512 for an EC key. Keys whose {@code use} is not {@code sig}, and
 * symmetric keys, never verify. The token's {@code kid}, when present, selects the key. Non-blocking:
 * at worst it waits for the one JWKS fetch in flight.
 */
public final class JwksSignature implements ReactiveSignatureConfiguration<SignedJWT> {

    private static final Set<JWSAlgorithm> RSA_DEFAULT =
            Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384, JWSAlgorithm.RS512);

    private final JwksKeys keys;

    public JwksSignature(JwksKeys keys) {
        this.keys = keys;
    }

    @Override
    public Publisher<Boolean> verify(SignedJWT token) {
        String kid = token.getHeader().getKeyID();
        return Mono.fromCompletionStage(keys.keysFor(kid)).map(candidates -> verifies(token, kid, candidates));
    }

    static boolean verifies(SignedJWT token, String kid, List<JWK> candidates) {
        JWSAlgorithm alg = token.getHeader().getAlgorithm();
        for (JWK key : candidates) {
            if (kid != null && !kid.equals(key.getKeyID())) {
                continue;
            }
            if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
                continue;
            }
            if (!meantFor(key, alg)) {
                continue;
            }
            try {
                JWSVerifier verifier =
                        key instanceof RSAKey rsa ? new RSASSAVerifier(rsa) : new ECDSAVerifier((ECKey) key);
                if (token.verify(verifier)) {
                    return true;
                }
            } catch (JOSEException | IllegalStateException e) {
                // a key that cannot verify this token (wrong size, curve): try the next one
            }
        }
        return false;
    }

    /** True when {@code key} may verify a signature made with {@code alg}. */
    static boolean meantFor(JWK key, JWSAlgorithm alg) {
        if (alg == null) {
            return false;
        }
        if (key.getAlgorithm() != null) {
            return key.getAlgorithm().getName().equals(alg.getName())
                    && (key instanceof RSAKey || key instanceof ECKey);
        }
        if (key instanceof RSAKey) {
            return RSA_DEFAULT.contains(alg);
        }
        if (key instanceof ECKey ec) {
            Curve curve = ec.getCurve();
            return (Curve.P_256.equals(curve) && JWSAlgorithm.ES256.equals(alg))
                    || (Curve.P_384.equals(curve) && JWSAlgorithm.ES384.equals(alg))
                    || (Curve.P_521.equals(curve) && JWSAlgorithm.ES512.equals(alg));
        }
        return false;
    }
}
