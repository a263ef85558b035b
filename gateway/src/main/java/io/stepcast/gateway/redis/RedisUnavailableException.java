package io.stepcast.gateway.redis;

/**
 * Redis could not serve a request: not connected (yet), timed out, or answered with an error. Futures
 * of {@link PlanStore} and {@link PlanBus} complete exceptionally with it; nothing throws it
 * synchronously.
 */
public class RedisUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RedisUnavailableException(String message) {
        super(message);
    }

    public RedisUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
