package io.stepcast.gateway.protocol;

/** Outcome of decoding one client message: a valid frame, or the error frame to answer with. */
public sealed interface DecodeResult {

    /** A valid client frame. */
    record Decoded(ClientFrame frame) implements DecodeResult {}

    /** The message is rejected; answer with {@link #toFrame()} and keep the connection open. */
    record Rejected(ErrorCode code, String message, RequestId ref) implements DecodeResult {
        public ServerFrame.Error toFrame() {
            return new ServerFrame.Error(code, message, ref);
        }
    }
}
