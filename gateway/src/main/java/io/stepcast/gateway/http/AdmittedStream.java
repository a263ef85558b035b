package io.stepcast.gateway.http;

import io.micronaut.http.sse.Event;
import io.stepcast.gateway.protocol.ErrorCode;
import io.stepcast.gateway.protocol.ServerFrame;
import io.stepcast.gateway.protocol.ServerFrameEncoder;
import org.reactivestreams.Publisher;

/**
 * A Server-Sent Events stream opened through {@link SseAdmission} (a plan stream, a plan index
 * stream): what the admission, the token expiry and the graceful drain need of it.
 *
 * <p>Threading: every method may be called from any thread and only queues into the stream's outbox.
 */
interface AdmittedStream {

    /** The {@code error} event that ends a stream whose token expired (a WebSocket's 4001). */
    static Event<byte[]> tokenExpired() {
        return Event.of(ServerFrameEncoder.encode(new ServerFrame.Error(
                        ErrorCode.UNAUTHORIZED, "token expired; reconnect with a fresh token", null)))
                .name("error");
    }

    /** The {@code reconnect} event that ends a drained stream. */
    static Event<byte[]> reconnect(long afterMs) {
        return Event.of(ServerFrameEncoder.encode(new ServerFrame.Reconnect("shutdown", afterMs)))
                .name("reconnect");
    }

    /** What Micronaut subscribes to and writes as {@code text/event-stream}. */
    Publisher<Event<byte[]>> publisher();

    /** The stream's outbox (the output budget measures and sheds it). */
    SseOutbox outbox();

    /** Releases a stream Micronaut never started writing (its client went away first). */
    void closeIfNeverSubscribed();

    /** Ends the stream after what is queued with {@code event} (token expiry, drain). */
    void finish(Event<byte[]> event);
}
