package io.stepcast.gateway.ws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.stepcast.gateway.protocol.CloseCode;
import io.stepcast.gateway.protocol.ErrorCode;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.Map;

/**
 * WebSocket connection meters (Prometheus names in brackets):
 * <ul>
 *   <li>{@code stepcast.connections} gauge [stepcast_connections]: open WebSocket connections;</li>
 *   <li>{@code stepcast.slow_consumer.closes} counter [stepcast_slow_consumer_closes_total];</li>
 *   <li>{@code stepcast.connection.closes{code}} counter: ended connections by the code this side
 *       closed with ({@code peer} when the client closed first, {@code peer_gone} when it went away
 *       without a close handshake: connection reset, broken pipe);</li>
 *   <li>{@code stepcast.client.errors{code}} counter: error frames sent, by error code.</li>
 * </ul>
 * Counters are pre-registered so every series exists from start-up. Thread-safe, lock-free.
 */
@Singleton
public final class WsMetrics implements ConnectionEvents {

    private final Counter slowConsumerCloses;
    private final Map<CloseCode, Counter> closes = new EnumMap<>(CloseCode.class);
    private final Counter peerCloses;
    private final Counter peerGone;
    private final Map<ErrorCode, Counter> errors = new EnumMap<>(ErrorCode.class);

    WsMetrics(MeterRegistry meters, ConnectionRegistry connections) {
        Gauge.builder("stepcast.connections", connections, ConnectionRegistry::size)
                .description("Open WebSocket connections on this instance")
                .register(meters);
        slowConsumerCloses = Counter.builder("stepcast.slow_consumer.closes")
                .description(
                        "Connections closed as slow consumers (4008): held output over max-pending-bytes or older than max-pending-time")
                .register(meters);
        for (CloseCode code : CloseCode.values()) {
            closes.put(code, closeCounter(meters, Integer.toString(code.code())));
        }
        peerCloses = closeCounter(meters, "peer");
        peerGone = closeCounter(meters, "peer_gone");
        for (ErrorCode code : ErrorCode.values()) {
            errors.put(
                    code,
                    Counter.builder("stepcast.client.errors")
                            .tag("code", code.wireName())
                            .description("Error frames sent to clients")
                            .register(meters));
        }
    }

    private static Counter closeCounter(MeterRegistry meters, String code) {
        return Counter.builder("stepcast.connection.closes")
                .tag("code", code)
                .description("Ended WebSocket connections by close code (peer: closed by the client; "
                        + "peer_gone: the client went away without closing)")
                .register(meters);
    }

    @Override
    public void slowConsumer(WsConnection connection) {
        slowConsumerCloses.increment();
    }

    @Override
    public void errorSent(ErrorCode code) {
        errors.get(code).increment();
    }

    @Override
    public void closed(WsConnection connection, CloseCode code) {
        if (code != null) {
            closes.get(code).increment();
        } else {
            (connection.isPeerGone() ? peerGone : peerCloses).increment();
        }
    }
}
