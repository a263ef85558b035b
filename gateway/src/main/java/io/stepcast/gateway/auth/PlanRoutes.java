package io.stepcast.gateway.auth;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpAttributes;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.web.router.UriRouteMatch;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds which plan an HTTP request is about, for {@link PlanAccessRule}: the plan segment of
 * {@code /api/plans/{plan}/…} and {@code /api/dashboard/plan/{plan}/…} (exactly {@code /api/plans}, the
 * plan index, is about no single plan), and the value of any route
 * variable named {@code plan}, {@code planId} or {@code plan_id}. Every candidate must be granted;
 * this errs on the side of refusing (an odd path such as {@code /api//plans/x} is still recognised,
 * an undecodable one yields an invalid candidate that nothing grants).
 */
final class PlanRoutes {

    private static final Set<String> PLAN_VARIABLES = Set.of("plan", "planId", "plan_id");
    /** The plan index: about many plans, each filtered by the caller's token ({@code PlanIndexController}). */
    static final String INDEX_PATH = "/api/plans";

    private PlanRoutes() {}

    /** What a request targets. {@code plans} is empty when it is not a plan route. */
    record Target(List<String> plans, boolean write) {
        boolean isPlanRoute() {
            return !plans.isEmpty();
        }
    }

    static Target of(HttpRequest<?> request) {
        List<String> plans = new ArrayList<>(2);
        String fromPath = planSegment(request.getPath());
        if (fromPath != null) {
            plans.add(fromPath);
        }
        request.getAttribute(HttpAttributes.ROUTE_MATCH, UriRouteMatch.class).ifPresent(match -> {
            for (Map.Entry<String, Object> e :
                    ((UriRouteMatch<?, ?>) match).getVariableValues().entrySet()) {
                if (PLAN_VARIABLES.contains(e.getKey())) {
                    plans.add(String.valueOf(e.getValue()));
                }
            }
        });
        HttpMethod method = request.getMethod();
        boolean write = method != HttpMethod.GET && method != HttpMethod.HEAD && method != HttpMethod.OPTIONS;
        return new Target(List.copyOf(plans), write);
    }

    /** The plan path segment, decoded; {@code ""} when the path names the plan area but no plan. */
    @Nullable
    static String planSegment(String rawPath) {
        if (rawPath == null) {
            return null;
        }
        List<String> segments = new ArrayList<>();
        for (String s : rawPath.split("/")) {
            if (!s.isEmpty()) {
                segments.add(s);
            }
        }
        if (segments.size() >= 2
                && segments.get(0).equals("api")
                && segments.get(1).equals("plans")) {
            // exactly /api/plans is the plan index (scoped by the controller, not one plan)
            return segments.size() >= 3 ? decode(segments.get(2)) : rawPath.equals(INDEX_PATH) ? null : "";
        }
        if (segments.size() >= 3
                && segments.get(0).equals("api")
                && segments.get(1).equals("dashboard")
                && segments.get(2).equals("plan")) {
            return segments.size() >= 4 ? decode(segments.get(3)) : "";
        }
        return null;
    }

    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return segment; // contains '%': never a valid plan id
        }
    }
}
