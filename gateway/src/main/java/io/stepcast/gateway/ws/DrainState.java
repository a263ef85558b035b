package io.stepcast.gateway.ws;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether this instance is draining (shutting down). Once set it is never cleared: readiness reports
 * DOWN, new WebSocket upgrades get HTTP 503 and open connections are being moved away.
 */
@Singleton
public final class DrainState {

    private final AtomicBoolean draining = new AtomicBoolean();

    public boolean isDraining() {
        return draining.get();
    }

    /** Marks the instance draining; true for the first caller only. */
    public boolean start() {
        return draining.compareAndSet(false, true);
    }
}
