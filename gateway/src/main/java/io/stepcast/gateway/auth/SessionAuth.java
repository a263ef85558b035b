package io.stepcast.gateway.auth;

import java.util.Objects;

/**
 * The authentication state of one WebSocket session: who the client is, what its current token
 * grants, and its place in the event loop's {@link ExpiryTimer}, which closes the session when that
 * token expires (unless a {@code refresh} replaced it first).
 *
 * <p>Memory: one per connection, so the timer's links live here (no timer object per session).
 *
 * <p>Threading: confined to the session's event loop (every method is called there, and the expiry
 * callback runs there), so no field needs synchronization.
 */
public final class SessionAuth {

    private ClientPrincipal principal;
    /** The loop's timer once {@link #scheduleExpiry} ran, else null. */
    private ExpiryTimer timer;
    /** Runs on the loop when the current token expires. */
    private Runnable onExpire;
    /** Owned by {@link ExpiryTimer}: the session's neighbours in its expiry bucket and the bucket's instant. */
    SessionAuth prevExpiry;

    SessionAuth nextExpiry;
    long expiryAt;

    public SessionAuth(ClientPrincipal principal) {
        this.principal = Objects.requireNonNull(principal, "principal");
    }

    /** The principal of the session's current token. */
    public ClientPrincipal principal() {
        return principal;
    }

    /** True when the current token grants reading {@code planId}. */
    public boolean canRead(String planId) {
        return principal.access().canRead(planId);
    }

    /** True when the current token grants commands to {@code planId}. */
    public boolean canCommand(String planId) {
        return principal.access().canCommand(planId);
    }

    /**
     * Runs {@code onExpire} on the timer's loop when the current token expires (at the timer's next
     * run if it already has), and again for each refreshed token ({@link #replace}). Nothing is filed
     * for a principal without expiry (auth off).
     */
    public void scheduleExpiry(ExpiryTimer timer, Runnable onExpire) {
        cancel();
        this.timer = timer;
        this.onExpire = onExpire;
        arm();
    }

    /**
     * Replaces the token after a successful refresh (same subject, checked by
     * {@link ClientAuthenticator#refresh}) and re-files its expiry.
     */
    public void replace(ClientPrincipal refreshed) {
        if (!refreshed.subject().equals(principal.subject())) {
            throw new IllegalArgumentException("refresh must keep the subject");
        }
        this.principal = refreshed;
        if (timer != null) {
            timer.remove(this);
            arm();
        }
    }

    /** Stops watching the expiry (the session closed). */
    public void cancel() {
        if (timer != null) {
            timer.remove(this);
        }
    }

    private void arm() {
        if (principal.expiresAt() != null) {
            timer.add(this, principal.expiresAt().toEpochMilli());
        }
    }

    /** Called by the timer once the token has expired. */
    void expired() {
        onExpire.run();
    }
}
