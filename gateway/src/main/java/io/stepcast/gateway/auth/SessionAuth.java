package io.stepcast.gateway.auth;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The authentication state of one WebSocket session: who the client is, what its current token
 * grants, and the timer that closes the session when that token expires (unless a {@code refresh}
 * replaced it first).
 *
 * <p>Threading: confined to the session's event loop (every method is called there, and the expiry
 * callback runs there), so no field needs synchronization.
 */
public final class SessionAuth {

    private final Clock clock;
    private ClientPrincipal principal;
    private ScheduledFuture<?> expiry;

    public SessionAuth(ClientPrincipal principal) {
        this(principal, Clock.systemUTC());
    }

    SessionAuth(ClientPrincipal principal, Clock clock) {
        this.principal = Objects.requireNonNull(principal, "principal");
        this.clock = clock;
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
     * Runs {@code onExpire} on {@code loop} when the current token expires (at once if it already
     * has); cancels the previous timer. No timer for a principal without expiry (auth off).
     */
    public void scheduleExpiry(ScheduledExecutorService loop, Runnable onExpire) {
        cancel();
        if (principal.expiresAt() == null) {
            return;
        }
        long delayMs = Math.max(
                0, Duration.between(clock.instant(), principal.expiresAt()).toMillis());
        expiry = loop.schedule(onExpire, delayMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Replaces the token after a successful refresh (same subject, checked by
     * {@link ClientAuthenticator#refresh}) and re-arms the expiry timer.
     */
    public void replace(ClientPrincipal refreshed, ScheduledExecutorService loop, Runnable onExpire) {
        if (!refreshed.subject().equals(principal.subject())) {
            throw new IllegalArgumentException("refresh must keep the subject");
        }
        this.principal = refreshed;
        scheduleExpiry(loop, onExpire);
    }

    /** Stops the expiry timer (the session closed). */
    public void cancel() {
        if (expiry != null) {
            expiry.cancel(false);
            expiry = null;
        }
    }
}
