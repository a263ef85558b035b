package io.stepcast.deploy.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * stepcast.js's token renewal ({@code getToken}) in real headless Chromium against a real gateway
 * process with client authentication on (HS256) and a real Redis: the page's {@code getToken} asks
 * this test for a fresh token of 5 s ({@link ClientTokens}) on every call while the test publishes
 * continuously through the bridge for several token lifetimes.
 * <ul>
 *   <li>{@code renew-ws}: the WebSocket session is never closed with 4001, at least two
 *       {@code refreshed} arrive, and every event arrives once, in order, over the WebSocket;</li>
 *   <li>{@code renew-longpoll}: with long-poll only and a first token the gateway refuses (HTTP 401),
 *       the client gets a fresh token and retries, renews before expiry, and every event arrives
 *       once, in order, by long-poll.</li>
 * </ul>
 * {@code -Dstepcast.e2e.sabotage=renew} (no proactive renewal) or {@code =rejected} (no fresh token
 * after a refusal) makes them fail, which is how they were checked. Skipped (never failed) with a
 * message when node, Chromium, the gateway jar or playwright-core is unavailable.
 */
class BrowserTokenRenewalIT {

    @Test
    void browserClientRenewsShortLivedTokensWithoutGapDuplicateOrExpiryOverWebSocketAndLongPoll() throws Exception {
        E2eDriver.Result result = AuthE2e.run("browser-renew", false, List.of("renew-ws", "renew-longpoll"));
        assertEquals(0, result.exitCode(), () -> "token renewal scenarios failed:\n" + result.output());
    }
}
