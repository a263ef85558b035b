package io.stepcast.gateway.redis;

import java.util.concurrent.CompletableFuture;

/**
 * Read access to the plan index the bridge keeps in Redis ({@code <prefix>:{_plans}:*}, PROTOCOL.md
 * §1 and §3.7): one summary per plan, ordered by the summary's {@code last_update}.
 *
 * <p>Scoping: {@link IndexQuery#plans()} is applied to plan ids before any summary is read or counted,
 * so a page never holds (nor is shaped by) plans the caller may not see.
 *
 * <p>Consistency: a page is read in several small commands, not atomically; an entry changed meanwhile
 * appears with either its old or its new summary, an entry removed meanwhile may be left out.
 *
 * <p>Threading: never blocks; futures complete on a Redis I/O thread and complete exceptionally with
 * {@link RedisUnavailableException} when Redis is down, slow or answers with an error.
 */
public interface PlanIndex {

    /** One page of summaries, newest {@code last_update} first (ties: plan id descending). */
    CompletableFuture<IndexPage> page(IndexQuery query);

    /**
     * The plan ids of the page {@link #page} would read, in the same order, without reading any summary
     * (the entries' summaries are empty). Only for a query without statuses (they need the summaries).
     */
    CompletableFuture<IndexPage> ids(IndexQuery query);
}
