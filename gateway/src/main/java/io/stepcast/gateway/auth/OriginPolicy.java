package io.stepcast.gateway.auth;

import io.micronaut.core.annotation.Nullable;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which browser origins may open a WebSocket (the defence against cross-site WebSocket hijacking) and
 * call the HTTP API cross-origin.
 *
 * <ul>
 *   <li>No {@code Origin} header: allowed. Browsers always send one on WebSocket upgrades; scripts and
 *       mobile apps usually do not, and they authenticate with their token anyway.</li>
 *   <li>An origin listed in {@code stepcast.auth.allowed-origins}: allowed ({@code *} allows any,
 *       the literal {@code null} allows opaque origins such as sandboxed iframes).</li>
 *   <li>Otherwise allowed only when same-origin: the origin's host and port equal the request's
 *       {@code Host} header (when a proxy rewrote {@code Host} without its port, the host names alone).</li>
 * </ul>
 * Origins are compared as {@code scheme://host:port}, lower-case, default port made explicit.
 *
 * <p>Immutable and thread-safe.
 */
public final class OriginPolicy {

    private final Set<String> allowed;
    private final boolean any;
    private final boolean opaque;

    /** @param allowedOrigins entries of {@code stepcast.auth.allowed-origins}; invalid entries are ignored */
    public OriginPolicy(List<String> allowedOrigins) {
        Set<String> set = new LinkedHashSet<>();
        boolean anyOrigin = false;
        boolean nullOrigin = false;
        for (String entry : allowedOrigins) {
            if ("*".equals(entry)) {
                anyOrigin = true;
            } else if ("null".equals(entry)) {
                nullOrigin = true;
            } else {
                String normalized = normalize(entry);
                if (normalized != null) {
                    set.add(normalized);
                }
            }
        }
        this.allowed = Set.copyOf(set);
        this.any = anyOrigin;
        this.opaque = nullOrigin;
    }

    /** True when {@code origin} (the {@code Origin} header, may be absent) may connect to {@code host}. */
    public boolean allows(@Nullable String origin, @Nullable String host) {
        if (origin == null) {
            return true;
        }
        if (any) {
            return true;
        }
        if ("null".equals(origin.trim())) {
            return opaque;
        }
        String normalized = normalize(origin);
        if (normalized == null) {
            return false;
        }
        return allowed.contains(normalized) || sameOrigin(normalized, host);
    }

    /** True when cross-origin requests from configured origins are allowed at all (CORS). */
    public boolean hasCrossOriginEntries() {
        return any || opaque || !allowed.isEmpty();
    }

    /** The configured origins, normalized ({@code *} and {@code null} included when configured). */
    public List<String> entries() {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        if (any) {
            out.add("*");
        }
        if (opaque) {
            out.add("null");
        }
        out.addAll(allowed);
        return List.copyOf(out);
    }

    private static boolean sameOrigin(String normalizedOrigin, @Nullable String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        String scheme = normalizedOrigin.substring(0, normalizedOrigin.indexOf("://"));
        String hostOrigin = normalize(scheme + "://" + host.trim());
        if (hostOrigin == null) {
            return false;
        }
        if (hasPort(host.trim())) {
            return normalizedOrigin.equals(hostOrigin);
        }
        // A Host without port (e.g. rewritten by a proxy with nginx's $host): compare host names only.
        return hostPart(normalizedOrigin).equals(hostPart(hostOrigin));
    }

    private static boolean hasPort(String host) {
        int bracket = host.lastIndexOf(']');
        int colon = host.lastIndexOf(':');
        return colon > bracket && colon < host.length() - 1;
    }

    private static String hostPart(String normalized) {
        String rest = normalized.substring(normalized.indexOf("://") + 3);
        return rest.substring(0, rest.lastIndexOf(':'));
    }

    /**
     * {@code scheme://host:port} in lower case with an explicit port, or {@code null} when
     * {@code origin} is not an origin (no scheme or host, or a path, query, fragment or user info).
     */
    @Nullable
    public static String normalize(@Nullable String origin) {
        if (origin == null || origin.isBlank() || origin.length() > 2048) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(origin.trim());
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (scheme == null
                || host == null
                || uri.getRawUserInfo() != null
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null
                || (uri.getRawPath() != null && !uri.getRawPath().isEmpty())) {
            return null;
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        if (port < 0) {
            port = switch (scheme) {
                case "http", "ws" -> 80;
                case "https", "wss" -> 443;
                default -> -1;
            };
        }
        if (port < 0) {
            return null;
        }
        return scheme + "://" + host.toLowerCase(Locale.ROOT) + ":" + port;
    }
}
