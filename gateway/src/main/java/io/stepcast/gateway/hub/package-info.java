/**
 * The per-instance hub: one Redis subscription per plan shared by every local subscriber of any
 * transport, reference counted. Each plan is a {@code PlanChannel} (lock, membership, Redis
 * subscription) with its {@code PlanStream} (the live sequence, gap repair and resync) and its
 * {@code Joiners} (subscribers catching up from a snapshot or a cursor). Channels do no I/O under their
 * lock: they return {@code Action}s that {@code DefaultPlanHub} runs. Transports see only
 * {@code PlanHub} and {@code Subscriber}.
 */
package io.stepcast.gateway.hub;
