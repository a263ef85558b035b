package io.stepcast.deploy.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * stepcast.js's SSE transport in real headless Chromium against a real gateway process (auth on,
 * HS256) and a real Redis, with the test publishing continuously through the bridge:
 * <ul>
 *   <li>{@code sse}: the dashboard forced to {@code ?transports=sse}; the gateway is stopped and
 *       started mid-way; every line shows once, in order, every delivery came by SSE and there was
 *       one snapshot only (each new stream resumed from the cursor); {@code unsubscribe} closes the
 *       plan's stream (the gateway's {@code stepcast_sse_streams} gauge drops to 0);</li>
 *   <li>{@code sse-fallback}: {@code websocket,sse,longpoll} with {@code window.WebSocket} unusable in
 *       the page: the client runs on SSE, across a restart as above; then a page whose streams a
 *       "proxy" answers without ever passing an event moves on to long-poll;</li>
 *   <li>{@code renew-sse}: 5 s tokens from {@code getToken}, the first one refused (HTTP 401), the
 *       gateway restarted mid-way: one fresh token after the 401, renewals before expiry, the
 *       reopened stream presents the newest token, every event once, in order, by SSE.</li>
 * </ul>
 * {@code -Dstepcast.e2e.sabotage=sse-off} (no SSE), {@code =sse-resume} (streams reopened without
 * the cursor) or {@code =rejected} (no fresh token after a 401) make them fail, which is how they
 * were checked. Skipped (never failed) with a message when node, Chromium, the gateway jar or
 * playwright-core is unavailable.
 */
class BrowserSseIT {

    @Test
    void browserClientOnSseSeesEveryEventOnceAcrossGatewayRestartsFallsBackAndRenewsTokens() throws Exception {
        E2eDriver.Result result = AuthE2e.run(
                "browser-sse",
                true,
                List.of(System.getProperty("stepcast.e2e.sse-scenarios", "sse,sse-fallback,renew-sse")
                        .split(",")));
        assertEquals(0, result.exitCode(), () -> "SSE scenarios failed:\n" + result.output());
    }
}
