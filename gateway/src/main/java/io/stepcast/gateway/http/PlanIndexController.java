package io.stepcast.gateway.http;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.stepcast.gateway.auth.AuthResult;
import io.stepcast.gateway.auth.ClientAuthenticator;
import io.stepcast.gateway.auth.PlanAccess;
import io.stepcast.gateway.presence.Presence;
import io.stepcast.gateway.protocol.ErrorCode;
import io.stepcast.gateway.redis.IndexPage;
import io.stepcast.gateway.redis.IndexQuery;
import io.stepcast.gateway.redis.PlanIndex;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/plans?prefix=&status=&limit=&cursor=}: a page of the plan index, newest
 * {@code last_update} first, holding only plans the caller's token grants (its plan patterns and the
 * prefix are applied to plan ids before any summary is read, so neither the entries nor the page's
 * shape reveal other plans).
 *
 * <ul>
 *   <li>body {@code {"plans":[summaries],"next_cursor":"…"|null,"index":{"epoch":…,"seq":…}}};</li>
 *   <li>{@code ETag}: a digest of the body (strong); {@code If-None-Match} with it answers 304;</li>
 *   <li>bad {@code prefix}, {@code status}, {@code limit} or {@code cursor}: 400 {@code bad_request}
 *       naming the parameter; a token that is not a client token: 403; Redis unavailable: 503.</li>
 * </ul>
 *
 * <p>Threading: never blocks; the response completes on a Redis I/O thread.
 */
@Controller
public class PlanIndexController {

    private static final Logger LOG = LoggerFactory.getLogger(PlanIndexController.class);

    private final PlanIndex index;
    private final ClientAuthenticator authenticator;
    private final Presence presence;

    PlanIndexController(PlanIndex index, ClientAuthenticator authenticator, Presence presence) {
        this.index = index;
        this.authenticator = authenticator;
        this.presence = presence;
    }

    /** A page of the plans the caller may see. */
    @Get(uri = "/api/plans", produces = MediaType.APPLICATION_JSON)
    CompletableFuture<MutableHttpResponse<byte[]>> plans(
            HttpRequest<?> request,
            @Nullable @QueryValue("prefix") String prefix,
            @Nullable @QueryValue("status") String status,
            @Nullable @QueryValue("limit") String limit,
            @Nullable @QueryValue("cursor") String cursor,
            @Nullable @Header(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        Parsed<PlansQuery> parsed = PlansQuery.parse(prefix, status, limit, cursor);
        if (parsed instanceof Parsed.Invalid<PlansQuery> invalid) {
            return CompletableFuture.completedFuture(invalid.response());
        }
        PlansQuery query = ((Parsed.Ok<PlansQuery>) parsed).value();
        return authenticator
                .authenticate(request)
                .toCompletableFuture()
                .thenCompose(auth -> auth instanceof AuthResult.Granted granted
                        ? read(query, granted.principal().access(), ifNoneMatch)
                        : CompletableFuture.completedFuture(ApiErrors.of(
                                HttpStatus.FORBIDDEN, ErrorCode.FORBIDDEN, "the plan index needs a client token")));
    }

    private CompletableFuture<MutableHttpResponse<byte[]>> read(
            PlansQuery query, PlanAccess access, @Nullable String ifNoneMatch) {
        String prefix = query.prefix();
        Predicate<String> visible = plan -> plan.startsWith(prefix) && access.canRead(plan);
        CompletableFuture<IndexPage> page;
        try {
            page = index.page(new IndexQuery(
                    visible,
                    query.statuses(),
                    query.limit(),
                    query.after(),
                    IndexQuery.ranges(prefix, access.entries())));
        } catch (RuntimeException e) {
            page = CompletableFuture.failedFuture(e);
        }
        return page.handle((p, error) -> {
                    if (error != null) {
                        LOG.debug("plan index read failed: {}", error.toString());
                        return CompletableFuture.completedFuture(
                                ApiErrors.unavailable("Redis is unavailable; retry shortly", 1));
                    }
                    return watchers(p).thenApply(counts -> respond(p, counts, ifNoneMatch));
                })
                .thenCompose(f -> f);
    }

    /** The page's watcher counts; none (summaries without {@code watchers}) when presence cannot be read. */
    private CompletableFuture<Map<String, Long>> watchers(IndexPage page) {
        if (page.entries().isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        List<String> plans =
                page.entries().stream().map(IndexPage.Entry::planId).toList();
        CompletableFuture<Map<String, Long>> counts;
        try {
            counts = presence.watchers(plans);
        } catch (RuntimeException e) {
            counts = CompletableFuture.failedFuture(e);
        }
        return counts.exceptionally(error -> {
            LOG.debug("watchers of the index page not read: {}", error.toString());
            return Map.of();
        });
    }

    private MutableHttpResponse<byte[]> respond(
            IndexPage page, Map<String, Long> watchers, @Nullable String ifNoneMatch) {
        byte[] body = PlanIndexBody.write(page, watchers);
        String etag = PlanIndexBody.etag(body);
        MutableHttpResponse<byte[]> response = ifNoneMatch != null && ETags.matches(ifNoneMatch, etag)
                ? HttpResponse.status(HttpStatus.NOT_MODIFIED)
                : HttpResponse.ok(body).contentType(MediaType.APPLICATION_JSON_TYPE);
        return response.header(HttpHeaders.ETAG, etag).header(HttpHeaders.CACHE_CONTROL, "no-cache");
    }
}
