package io.stepcast.gateway.web;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.stepcast.gateway.auth.ClientPrincipal;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * Per-client connection counts of this instance ({@link ConnectionLimitsConfig}): one count per token
 * subject and one per client address ({@link ClientAddresses}), shared by every long-lived transport
 * (WebSocket from the upgrade until its socket closes, SSE streams, waiting long-polls). A transport
 * asks {@link #admit} before it commits resources and releases the {@link Lease} when the connection
 * ends. Counts at zero are removed, so memory follows the clients connected now.
 *
 * <p>Thread-safe and non-blocking (atomic map updates); called on event loops and timer threads.
 */
@Singleton
public final class ConnectionQuota {

    private final int perSubject;
    private final int perAddress;
    private final ClientAddresses addresses;
    private final Map<String, Integer> bySubject = new ConcurrentHashMap<>();
    private final Map<String, Integer> byAddress = new ConcurrentHashMap<>();

    public ConnectionQuota(ConnectionLimitsConfig config, ClientAddresses addresses) {
        this.perSubject = config.connectionsPerSubject();
        this.perAddress = config.connectionsPerAddress();
        this.addresses = addresses;
    }

    /**
     * Counts a new connection of the request's client: its address, and its token subject when the
     * security filter authenticated one (none with auth off). Refused, nothing is counted.
     */
    public Admission admit(HttpRequest<?> request) {
        String subject = request.getUserPrincipal(Authentication.class)
                .flatMap(ClientPrincipal::from)
                .map(ClientPrincipal::subject)
                .orElse(null);
        return admit(subject, addresses.of(request));
    }

    /** {@link #admit(HttpRequest)} for a known subject (null: none) and client address. */
    public Admission admit(@Nullable String subject, String address) {
        if (!increment(byAddress, address, perAddress)) {
            return new Admission.Refused(ConnectionLimit.ADDRESS);
        }
        if (subject != null && !increment(bySubject, subject, perSubject)) {
            decrement(byAddress, address);
            return new Admission.Refused(ConnectionLimit.SUBJECT);
        }
        return new Admission.Admitted(new Lease(subject, address));
    }

    /** Connections counted for a subject now (0 when none). */
    public int subjectCount(String subject) {
        return bySubject.getOrDefault(subject, 0);
    }

    /** Connections counted for a client address now (0 when none). */
    public int addressCount(String address) {
        return byAddress.getOrDefault(address, 0);
    }

    private static boolean increment(Map<String, Integer> counts, String key, int limit) {
        boolean[] admitted = {true};
        counts.compute(key, (k, n) -> {
            int now = n == null ? 0 : n;
            if (limit > 0 && now >= limit) {
                admitted[0] = false;
                return n;
            }
            return now + 1;
        });
        return admitted[0];
    }

    private static void decrement(Map<String, Integer> counts, String key) {
        counts.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
    }

    /**
     * One admitted connection's share of the counts; {@link #release()} once it ends (idempotent).
     * One per connection, so kept flat (a field updater instead of an atomic object).
     */
    public final class Lease {
        private static final AtomicIntegerFieldUpdater<Lease> RELEASED =
                AtomicIntegerFieldUpdater.newUpdater(Lease.class, "released");

        private final String subject;
        private final String address;
        /** 1 once released; through {@link #RELEASED}. */
        private volatile int released;

        private Lease(@Nullable String subject, String address) {
            this.subject = subject;
            this.address = address;
        }

        /** Gives the connection's counts back; later calls do nothing. */
        public void release() {
            if (RELEASED.compareAndSet(this, 0, 1)) {
                decrement(byAddress, address);
                if (subject != null) {
                    decrement(bySubject, subject);
                }
            }
        }
    }
}
