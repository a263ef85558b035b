package io.stepcast.gateway.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.micronaut.context.BeanProvider;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.stepcast.bridge.EventPublisher;
import io.stepcast.bridge.EventValidationException;
import io.stepcast.bridge.PublishRejectedException;
import io.stepcast.bridge.PublishResult;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.event.PlanEvent;
import io.stepcast.gateway.protocol.ErrorCode;
import jakarta.inject.Named;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP ingest for orchestrators that cannot embed the bridge: {@code POST /api/plans/{plan}/events}
 * with one event object or an array of them (published atomically, as one batch), answered with
 * {@code {"results":[{"seq":17,"epoch":"..","duplicate":false}]}}.
 *
 * <p>Who may publish is checked before this controller runs, by the auth layer: a publisher key of
 * {@code stepcast.auth.publisher-keys} as {@code Authorization: Bearer <key>} (401 without, 403 for a
 * client token; PROTOCOL.md §6.6); with auth off anyone may. Answers 404 when
 * {@code stepcast.ingest.enabled=false}. Idempotent: an {@code event_id} per
 * event, or the {@code Idempotency-Key} header ({@code <key>} for one event, {@code <key>:<index>} for
 * the elements of an array), makes a retry publish nothing new and answer the original seqs with
 * {@code duplicate:true}. Errors: 400 {@code invalid_event} naming the bad {@code field} (and the
 * array {@code index}), 400 {@code malformed_json}, 413
 * {@code payload_too_large}, 503 {@code unavailable} (not acknowledged by Redis in time: retry with
 * the same key).
 *
 * <p>Threading: never blocks; validation runs on the event loop, the answer completes on a publisher
 * thread.
 */
@Controller
public class IngestController {

    /** How long a request waits for Redis to acknowledge its events before answering 503. */
    static final long ACK_TIMEOUT_SECONDS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(IngestController.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final IngestConfig config;
    private final BeanProvider<EventPublisher> publisher;
    private final HttpMetrics metrics;

    IngestController(
            IngestConfig config,
            @Named(IngestPublisherFactory.NAME) BeanProvider<EventPublisher> publisher,
            HttpMetrics metrics) {
        this.config = config;
        this.publisher = publisher;
        this.metrics = metrics;
    }

    @Post(
            uri = "/api/plans/{plan}/events",
            consumes = {MediaType.APPLICATION_JSON, MediaType.ALL},
            produces = MediaType.APPLICATION_JSON)
    CompletableFuture<MutableHttpResponse<byte[]>> ingest(
            @PathVariable("plan") String plan,
            @Nullable @Header("Idempotency-Key") String idempotencyKey,
            @Nullable @Body byte[] body) {
        if (!config.enabled()) {
            return done(
                    ApiErrors.of(HttpStatus.NOT_FOUND, ErrorCode.NOT_FOUND, "HTTP ingest is disabled on this gateway"));
        }
        if (!RedisLayout.isValidPlanId(plan)) {
            return done(ApiErrors.invalidPlanId());
        }
        if (body != null && body.length > config.maxBodyBytes()) {
            return done(ApiErrors.of(
                    HttpStatus.REQUEST_ENTITY_TOO_LARGE,
                    ErrorCode.PAYLOAD_TOO_LARGE,
                    "the body exceeds " + config.maxBodyBytes() + " bytes"));
        }
        Parsed<List<PlanEvent>> decoded = IngestRequest.decode(plan, body, idempotencyKey, config.maxEvents());
        if (decoded instanceof Parsed.Invalid<List<PlanEvent>> invalid) {
            metrics.ingest("invalid", 1);
            return done(invalid.response());
        }
        List<PlanEvent> events = ((Parsed.Ok<List<PlanEvent>>) decoded).value();
        EventPublisher pub = publisher.get();
        CompletableFuture<List<PublishResult>> published = events.size() == 1
                ? pub.publish(plan, events.get(0)).thenApply(List::of)
                : pub.publishBatch(plan, events);
        return published
                .orTimeout(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .handle((results, error) -> error == null ? ok(results) : failed(plan, events.size(), error));
    }

    private MutableHttpResponse<byte[]> ok(List<PublishResult> results) {
        int duplicates = (int) results.stream().filter(PublishResult::duplicate).count();
        metrics.ingest("published", results.size() - duplicates);
        metrics.ingest("duplicate", duplicates);
        ByteArrayOutputStream out = new ByteArrayOutputStream(32 + results.size() * 64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeArrayFieldStart("results");
            for (PublishResult r : results) {
                g.writeStartObject();
                g.writeNumberField("seq", r.seq());
                g.writeStringField("epoch", r.epoch());
                g.writeBooleanField("duplicate", r.duplicate());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return HttpResponse.ok(out.toByteArray()).contentType(MediaType.APPLICATION_JSON_TYPE);
    }

    private MutableHttpResponse<byte[]> failed(String plan, int count, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof EventValidationException invalid) {
            metrics.ingest("invalid", count);
            return IngestRequest.invalid(invalid.field(), null, invalid.getMessage());
        }
        metrics.ingest("failed", count);
        if (cause instanceof TimeoutException) {
            return ApiErrors.unavailable(
                    "Redis did not acknowledge the events in time; retry with the same "
                            + "Idempotency-Key (or event_id) to publish them exactly once",
                    1);
        }
        if (cause instanceof PublishRejectedException) {
            return ApiErrors.unavailable("the publisher is overloaded or stopping: " + cause.getMessage(), 1);
        }
        LOG.warn("ingest into {} failed: {}", plan, cause.toString());
        return ApiErrors.unavailable("publishing failed: " + cause.getMessage(), 1);
    }

    private static CompletableFuture<MutableHttpResponse<byte[]>> done(MutableHttpResponse<byte[]> response) {
        return CompletableFuture.completedFuture(response);
    }
}
