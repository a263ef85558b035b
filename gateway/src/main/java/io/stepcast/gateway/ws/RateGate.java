package io.stepcast.gateway.ws;

import io.stepcast.gateway.protocol.CloseCode;
import io.stepcast.gateway.protocol.ErrorCode;

/**
 * The per-connection rate limit's answers (PROTOCOL.md "Limits"): every client message, oversized
 * message and control-frame ping spends a token of the connection's {@link TokenBucket}; without one
 * it is dropped and answered {@code error rate_limited}, and a connection with too many drops in the
 * abuse window is closed with 4029.
 *
 * <p>Threading: stateless apart from the connection's bucket; called on the connection's event loop.
 */
final class RateGate implements InboundGuard.Gate {

    private final RateLimitConfig rateLimit;
    private final int maxFrameBytes;

    RateGate(RateLimitConfig rateLimit, int maxFrameBytes) {
        this.rateLimit = rateLimit;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public boolean admit(WsConnection connection) {
        TokenBucket.Verdict verdict = connection.acquireToken();
        if (verdict == TokenBucket.Verdict.ALLOWED) {
            return true;
        }
        if (verdict == TokenBucket.Verdict.ABUSIVE) {
            connection.close(CloseCode.RATE_LIMITED);
        } else {
            connection.sendError(
                    ErrorCode.RATE_LIMITED,
                    "too many messages: at most " + rateLimit.messagesPerSecond() + "/s (burst " + rateLimit.burst()
                            + "); message dropped",
                    null);
        }
        return false;
    }

    @Override
    public void oversized(WsConnection connection, long bytes) {
        if (admit(connection)) {
            connection.sendError(
                    ErrorCode.FRAME_TOO_LARGE,
                    "message of " + bytes + " bytes exceeds the limit of " + maxFrameBytes + " bytes",
                    null);
        }
    }
}
