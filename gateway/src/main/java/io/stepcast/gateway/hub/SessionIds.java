package io.stepcast.gateway.hub;

import jakarta.inject.Singleton;
import java.security.SecureRandom;

/**
 * Mints this instance's client session ids: {@code <instanceId>.<random>}, e.g.
 * {@code k3v9x0q2mz.Qm4tX0aZ9rB2c7LwYp1s}. The instance id (10 characters {@code [a-z0-9]}) is chosen
 * at random when the gateway starts; the session part has 20 characters {@code [A-Za-z0-9]} (~119
 * bits) from a {@link SecureRandom}, so session ids are unguessable and never collide across
 * instances. The prefix lets one PSUBSCRIBE ({@code <prefix>:session:<instanceId>.*}) receive the
 * direct messages of every local session.
 *
 * <p>Ids match the bridge's session id pattern {@code [A-Za-z0-9._-]{1,64}}. Thread-safe.
 */
@Singleton
public final class SessionIds {

    private static final char[] LOWER = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
    private static final char[] ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final SecureRandom random = new SecureRandom();
    private final String instanceId;

    public SessionIds() {
        this.instanceId = randomString(LOWER, 10);
    }

    /** This instance's id (the prefix of every session id it mints). */
    public String instanceId() {
        return instanceId;
    }

    /** A new session id of this instance. */
    public String mint() {
        return instanceId + "." + randomString(ALNUM, 20);
    }

    /** True when {@code sessionId} was minted by this instance. */
    public boolean isLocal(String sessionId) {
        return sessionId != null
                && sessionId.length() > instanceId.length() + 1
                && sessionId.startsWith(instanceId)
                && sessionId.charAt(instanceId.length()) == '.';
    }

    private String randomString(char[] alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return new String(out);
    }
}
