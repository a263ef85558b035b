package io.stepcast.gateway.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Metrics of the HTTP transports.
 *
 * <ul>
 *   <li>{@code stepcast.poll.requests{endpoint,status}}: answered poll requests; endpoint
 *       {@code plan} ({@code /api/plans/{plan}}), {@code dashboard} (the dashboards' poll path) or
 *       {@code events} (long-poll), status the HTTP status code ({@code 200}, {@code 304},
 *       {@code 404}, ...);</li>
 *   <li>{@code stepcast.longpoll.waiting}: long-poll requests held open right now;</li>
 *   <li>{@code stepcast.sse.streams}: open Server-Sent Events streams;</li>
 *   <li>{@code stepcast.sse.slow_consumer.closes}: streams closed because their pending output
 *       passed the bound;</li>
 *   <li>{@code stepcast.ingest.events{outcome}}: events received by HTTP ingest, by outcome
 *       ({@code published}, {@code duplicate}, {@code invalid}, {@code failed}).</li>
 * </ul>
 *
 * <p>Thread-safe and lock-free after start-up.
 */
@Singleton
public final class HttpMetrics {

    /** Which poll endpoint answered. */
    public enum Endpoint {
        PLAN,
        DASHBOARD,
        EVENTS
    }

    private final MeterRegistry meters;
    private final Map<String, Counter> pollRequests = new ConcurrentHashMap<>();
    private final AtomicInteger longPollWaiting = new AtomicInteger();
    private final AtomicInteger sseStreams = new AtomicInteger();
    private final Counter sseSlowConsumerCloses;
    private final Map<String, Counter> ingestEvents = new ConcurrentHashMap<>();

    HttpMetrics(MeterRegistry meters) {
        this.meters = meters;
        Gauge.builder("stepcast.longpoll.waiting", longPollWaiting, AtomicInteger::get)
                .description("Long-poll requests waiting for an event on this instance")
                .register(meters);
        Gauge.builder("stepcast.sse.streams", sseStreams, AtomicInteger::get)
                .description("Open Server-Sent Events streams on this instance")
                .register(meters);
        sseSlowConsumerCloses = Counter.builder("stepcast.sse.slow_consumer.closes")
                .description("SSE streams closed because their pending output passed the bound")
                .register(meters);
        for (Endpoint endpoint : Endpoint.values()) {
            for (int status : new int[] {200, 304, 404}) {
                pollRequest(endpoint, status);
            }
        }
        for (String outcome : new String[] {"published", "duplicate", "invalid", "failed"}) {
            ingestCounter(outcome);
        }
    }

    /** Counts one answered poll request. */
    public void pollRequest(Endpoint endpoint, int status) {
        String name = endpoint.name().toLowerCase(Locale.ROOT);
        pollRequests
                .computeIfAbsent(
                        name + ":" + status,
                        k -> Counter.builder("stepcast.poll.requests")
                                .tag("endpoint", name)
                                .tag("status", Integer.toString(status))
                                .description("Poll requests answered, by endpoint and HTTP status")
                                .register(meters))
                .increment();
    }

    AtomicInteger longPollWaiting() {
        return longPollWaiting;
    }

    AtomicInteger sseStreams() {
        return sseStreams;
    }

    void sseSlowConsumerClosed() {
        sseSlowConsumerCloses.increment();
    }

    /** Counts ingested events by outcome. */
    void ingest(String outcome, int events) {
        ingestCounter(outcome).increment(events);
    }

    private Counter ingestCounter(String outcome) {
        return ingestEvents.computeIfAbsent(
                outcome,
                o -> Counter.builder("stepcast.ingest.events")
                        .tag("outcome", o)
                        .description("Events received by HTTP ingest, by outcome")
                        .register(meters));
    }
}
