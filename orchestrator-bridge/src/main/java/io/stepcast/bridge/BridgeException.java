package io.stepcast.bridge;

/**
 * Unchecked root of every exception the orchestrator bridge throws or completes a future with.
 */
public class BridgeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BridgeException(String message) {
        super(message);
    }

    public BridgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
