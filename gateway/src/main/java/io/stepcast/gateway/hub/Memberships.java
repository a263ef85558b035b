package io.stepcast.gateway.hub;

import java.util.HashSet;
import java.util.Set;

/** One subscriber's plans in {@link DefaultPlanHub}. Guarded by itself. */
final class Memberships {
    /** Sized for the usual handful of plans (one per subscriber is common; it grows as needed). */
    final Set<String> plans = new HashSet<>(2);

    /** Set once the subscriber left everywhere: a new subscribe starts a fresh record. */
    boolean closed;
}
