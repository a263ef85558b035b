package io.stepcast.gateway.web;

/** The outcome of asking {@link ConnectionQuota} for a connection. */
public sealed interface Admission {

    /** Admitted: the connection holds {@code lease} until it ends. */
    record Admitted(ConnectionQuota.Lease lease) implements Admission {}

    /** Refused by {@code limit}: answer like the instance cap (503, {@code unavailable}). */
    record Refused(ConnectionLimit limit) implements Admission {}
}
