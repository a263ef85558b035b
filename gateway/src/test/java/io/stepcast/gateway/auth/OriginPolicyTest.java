package io.stepcast.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {

    private final OriginPolicy sameOriginOnly = new OriginPolicy(List.of());

    @Test
    void requestsWithoutOriginAreAllowed() {
        assertTrue(sameOriginOnly.allows(null, "gw.example:8080"));
    }

    @Test
    void sameOriginIsAllowedByDefault() {
        assertTrue(sameOriginOnly.allows("http://gw.example:8080", "gw.example:8080"));
        assertTrue(sameOriginOnly.allows("https://gw.example", "gw.example"));
        assertTrue(sameOriginOnly.allows("HTTP://GW.example:8080", "gw.EXAMPLE:8080"));
        assertTrue(sameOriginOnly.allows("http://[::1]:8080", "[::1]:8080"));
    }

    @Test
    void otherOriginsAreRefusedByDefault() {
        assertFalse(sameOriginOnly.allows("http://evil.example:8080", "gw.example:8080"));
        assertFalse(sameOriginOnly.allows("http://gw.example:9090", "gw.example:8080"));
        assertFalse(sameOriginOnly.allows("http://gw.example.evil.example", "gw.example"));
        assertFalse(sameOriginOnly.allows("null", "gw.example"));
        assertFalse(sameOriginOnly.allows("not an origin", "gw.example"));
        assertFalse(sameOriginOnly.allows("http://gw.example:8080", null));
    }

    @Test
    void hostRewrittenWithoutPortComparesHostNames() {
        assertTrue(sameOriginOnly.allows("http://127.0.0.1:8080", "127.0.0.1"));
        assertFalse(sameOriginOnly.allows("http://evil.example:8080", "127.0.0.1"));
    }

    @Test
    void listedOriginsAreAllowed() {
        OriginPolicy policy = new OriginPolicy(List.of("https://app.example", "http://localhost:3000"));
        assertTrue(policy.allows("https://app.example", "gw.example"));
        assertTrue(policy.allows("https://app.example:443", "gw.example"));
        assertTrue(policy.allows("http://localhost:3000", "gw.example"));
        assertFalse(policy.allows("http://localhost:3001", "gw.example"));
        assertFalse(policy.allows("http://app.example", "gw.example"));
        assertTrue(policy.hasCrossOriginEntries());
    }

    @Test
    void starAllowsAnyAndNullMustBeListed() {
        assertTrue(new OriginPolicy(List.of("*")).allows("https://anything.example", "gw"));
        assertTrue(new OriginPolicy(List.of("null")).allows("null", "gw"));
    }

    @Test
    void normalizeRejectsWhatIsNotAnOrigin() {
        assertEquals("https://a.example:443", OriginPolicy.normalize("https://A.example"));
        assertNull(OriginPolicy.normalize("https://a.example/path"));
        assertNull(OriginPolicy.normalize("https://user@a.example"));
        assertNull(OriginPolicy.normalize("https://a.example?x=1"));
        assertNull(OriginPolicy.normalize("a.example"));
        assertNull(OriginPolicy.normalize("ftp://a.example"));
        assertNull(OriginPolicy.normalize(""));
    }
}
