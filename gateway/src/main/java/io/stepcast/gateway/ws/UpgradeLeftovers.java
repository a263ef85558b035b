package io.stepcast.gateway.ws;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyHttpRequest;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketServerExtensionHandler;
import java.util.Map;

/**
 * Frees what Micronaut keeps per WebSocket connection but the gateway no longer needs once the
 * session is open. Found by the load benchmark's idle scenario (class histograms of 10,000 idle
 * connections, docs/performance.md):
 * <ul>
 *   <li>Micronaut's WebSocket handler and session hold the upgrade request for the session's whole
 *       life: its headers (the token in {@code Sec-WebSocket-Protocol} or {@code Authorization},
 *       cookies, user agent) and its attributes (route match, the security filter's
 *       authentication and claims). The gateway copied what it needs into its own state at open
 *       ({@code SessionAuth}, the session id), so both are cleared. Micronaut reads neither later:
 *       message binding uses the session and the frame; the session id was taken at creation.</li>
 *   <li>The {@link UpgradeGuard}: its work ends when the session is open.</li>
 *   <li>Netty's {@code IdleStateHandler} (Micronaut's {@code idle-timeout}, {@code read-idle-timeout},
 *       {@code write-idle-timeout}) arms up to three timers per connection. The gateway's heartbeat
 *       ({@code stepcast.ws.heartbeat}, {@code heartbeat-timeout}) already closes silent clients, so
 *       the handler is removed: Micronaut's idle timeouts then apply to HTTP connections only.</li>
 * </ul>
 *
 * <p>Threading: call on the connection's event loop, after Micronaut's open callback has returned.
 */
final class UpgradeLeftovers {

    private UpgradeLeftovers() {}

    /**
     * True when no WebSocket extension (permessage-deflate) was negotiated: frames may then be
     * written pre-encoded, the same bytes for every session.
     */
    static boolean noExtensions(ChannelPipeline pipeline) {
        for (Map.Entry<String, ChannelHandler> e : pipeline) {
            if (e.getValue() instanceof WebSocketExtensionEncoder
                    || e.getValue() instanceof WebSocketServerExtensionHandler) {
                return false;
            }
        }
        return true;
    }

    static void release(ChannelPipeline pipeline, HttpRequest<?> upgrade) {
        if (pipeline.get(UpgradeGuard.NAME) != null) {
            pipeline.remove(UpgradeGuard.NAME);
        }
        if (pipeline.get(ChannelPipelineCustomizer.HANDLER_IDLE_STATE) != null) {
            pipeline.remove(ChannelPipelineCustomizer.HANDLER_IDLE_STATE);
        }
        upgrade.getAttributes().clear();
        if (upgrade instanceof NettyHttpRequest<?> netty) {
            netty.getNativeRequest().headers().clear();
        }
    }
}
