package io.stepcast.gateway.web;

import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.netty.util.NetUtil;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The client address of a request, for the per-address connection limit. The TCP peer is the client
 * unless it is a trusted proxy ({@link ConnectionLimitsConfig#trustedProxies()}); then the
 * {@code Forwarded} header's {@code for=} hops (or, without it, {@code X-Forwarded-For}) are read from
 * the right, skipping trusted proxies: the first hop not trusted is the client. Hops a client wrote
 * itself sit left of the one its proxy appended, so they are never reached. A hop that is no IP
 * literal ({@code unknown}, an obfuscated name) is used as reported, cut to 64 characters.
 *
 * <p>Stateless and thread-safe.
 */
@Singleton
public final class ClientAddresses {

    private static final int MAX_KEY = 64;
    private final TrustedProxies trusted;

    public ClientAddresses(ConnectionLimitsConfig config) {
        this.trusted = config.proxies();
    }

    /** The request's client address as text (an IP literal in canonical form, or a proxy's token). */
    public String of(HttpRequest<?> request) {
        InetSocketAddress peer = request.getRemoteAddress();
        InetAddress address = peer == null ? null : peer.getAddress();
        if (address == null) {
            return peer == null ? "unknown" : cut(peer.getHostString());
        }
        byte[] bytes = TrustedProxies.bytes(address.getHostAddress());
        if (bytes == null || trusted.isEmpty() || !trusted.contains(bytes)) {
            return text(address.getAddress());
        }
        List<String> hops = hops(request.getHeaders());
        for (int i = hops.size() - 1; i >= 0; i--) {
            byte[] hop = TrustedProxies.bytes(hops.get(i));
            if (hop == null) {
                return cut(hops.get(i));
            }
            if (!trusted.contains(hop) || i == 0) {
                return text(hop);
            }
        }
        return text(address.getAddress()); // no forwarding header: the proxy is the client
    }

    /** The forwarding chain, leftmost (farthest) first; hop texts without port, brackets or quotes. */
    static List<String> hops(HttpHeaders headers) {
        List<String> hops = new ArrayList<>();
        List<String> forwarded = headers.getAll("Forwarded");
        if (!forwarded.isEmpty()) {
            for (String value : forwarded) {
                for (String element : value.split(",")) {
                    for (String pair : element.split(";")) {
                        String p = pair.trim();
                        if (p.length() > 4
                                && p.substring(0, 4).toLowerCase(Locale.ROOT).equals("for=")) {
                            hops.add(host(p.substring(4)));
                        }
                    }
                }
            }
            return hops;
        }
        for (String value : headers.getAll("X-Forwarded-For")) {
            for (String hop : value.split(",")) {
                if (!hop.isBlank()) {
                    hops.add(host(hop));
                }
            }
        }
        return hops;
    }

    /** {@code "[2001:db8::1]:4711"} → {@code 2001:db8::1}; {@code 192.0.2.1:80} → {@code 192.0.2.1}. */
    private static String host(String raw) {
        String h = raw.trim();
        if (h.length() >= 2 && h.startsWith("\"") && h.endsWith("\"")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 ? h.substring(1, end) : h;
        }
        int colon = h.indexOf(':');
        if (colon > 0 && colon == h.lastIndexOf(':')) {
            return h.substring(0, colon); // IPv4 with a port
        }
        return h;
    }

    private static String text(byte[] address) {
        return NetUtil.bytesToIpAddress(address);
    }

    private static String cut(String s) {
        String t = s.replaceAll("[^\\x21-\\x7e]", "?");
        return t.length() <= MAX_KEY ? t : t.substring(0, MAX_KEY);
    }
}
