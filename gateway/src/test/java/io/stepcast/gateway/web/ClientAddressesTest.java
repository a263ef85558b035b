package io.stepcast.gateway.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.simple.SimpleHttpRequest;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which address counts as the client's, with and without trusted proxies. */
class ClientAddressesTest {

    private static ClientAddresses trusting(String... proxies) {
        return new ClientAddresses(new ConnectionLimitsConfig(1, 1, List.of(proxies)));
    }

    private static HttpRequest<?> from(String peer, String... headers) {
        MutableHttpRequest<?> r = new SimpleHttpRequest<>(HttpMethod.GET, "/ws", null) {
            @Override
            public InetSocketAddress getRemoteAddress() {
                return new InetSocketAddress(peer, 40000);
            }
        };
        for (int i = 0; i < headers.length; i += 2) {
            r.header(headers[i], headers[i + 1]);
        }
        return r;
    }

    @Test
    void anUntrustedPeerIsTheClientWhateverItsHeadersSay() {
        ClientAddresses a = trusting("10.0.0.0/8");
        assertEquals("203.0.113.9", a.of(from("203.0.113.9", "X-Forwarded-For", "198.51.100.1")));
        assertEquals("203.0.113.9", a.of(from("203.0.113.9", "Forwarded", "for=198.51.100.1")));
        assertEquals("127.0.0.1", trusting("none").of(from("127.0.0.1", "X-Forwarded-For", "198.51.100.1")));
    }

    @Test
    void behindTrustedProxiesTheFirstUntrustedHopFromTheRightIsTheClient() {
        ClientAddresses a = trusting("10.0.0.0/8");
        assertEquals("198.51.100.1", a.of(from("10.0.0.2", "X-Forwarded-For", "198.51.100.1")));
        // a client's own X-Forwarded-For entry sits left of what its proxy appended: never reached
        assertEquals("198.51.100.1", a.of(from("10.0.0.2", "X-Forwarded-For", "1.2.3.4, 198.51.100.1, 10.0.0.7")));
        assertEquals(
                "2001:db8::1",
                a.of(from(
                        "10.0.0.2",
                        "Forwarded",
                        "for=1.2.3.4, for=\"[2001:db8::1]:4711\";proto=https, for=10.0.0.9:80")));
        assertEquals("198.51.100.1", a.of(from("10.0.0.2", "Forwarded", "for=198.51.100.1:5555")));
        assertEquals("unknown", a.of(from("10.0.0.2", "Forwarded", "for=unknown")));
        assertEquals("10.0.0.2", a.of(from("10.0.0.2")), "no header: the proxy itself");
        assertEquals(
                "10.0.0.5",
                a.of(from("10.0.0.2", "X-Forwarded-For", "10.0.0.5, 10.0.0.6")),
                "all trusted: the farthest");
    }
}
