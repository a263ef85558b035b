package io.stepcast.bridge;

/** Bytes that should be an event frame (PROTOCOL.md §2) are not. */
public class MalformedFrameException extends BridgeException {

    private static final long serialVersionUID = 1L;

    public MalformedFrameException(String message) {
        super(message);
    }
}
