package io.stepcast.gateway.ws;

import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import io.micronaut.http.netty.channel.ChannelPipelineCustomizer;
import io.micronaut.http.server.netty.NettyServerCustomizer;
import io.micronaut.http.server.netty.websocket.NettyServerWebSocketUpgradeHandler;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;

/**
 * Per-connection pipeline changes of the WebSocket endpoint. Installs the {@link UpgradeGuard} right
 * after the HTTP/1.1 codec, so malformed upgrades are answered before Micronaut sees them.
 *
 * <p>Makes permessage-deflate configurable. Micronaut always installs Netty's
 * {@code WebSocketServerCompressionHandler} (which negotiates deflate whenever a client offers it and
 * inflates without a size bound). With {@code stepcast.ws.compression=false} it is removed; with
 * {@code true} it is replaced by one whose inflater is bounded by the hard frame limit.
 */
@Singleton
final class WsPipelineCustomizer implements BeanCreatedEventListener<NettyServerCustomizer.Registry> {

    private final WsConfig config;
    /** One line per second for the refusals of all connections ({@link UpgradeGuard}). */
    private final LogThrottle refusals = new LogThrottle(1, TimeUnit.SECONDS);

    WsPipelineCustomizer(WsConfig config) {
        this.config = config;
    }

    @Override
    public NettyServerCustomizer.Registry onCreated(BeanCreatedEvent<NettyServerCustomizer.Registry> event) {
        event.getBean().register(new PerChannel(null));
        return event.getBean();
    }

    private final class PerChannel implements NettyServerCustomizer {
        private final Channel channel;

        PerChannel(Channel channel) {
            this.channel = channel;
        }

        @Override
        public NettyServerCustomizer specializeForChannel(Channel channel, ChannelRole role) {
            return new PerChannel(channel);
        }

        @Override
        public void onStreamPipelineBuilt() {
            if (channel == null) {
                return;
            }
            ChannelPipeline pipeline = channel.pipeline();
            if (pipeline.get(ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC) != null
                    && pipeline.get(UpgradeGuard.NAME) == null) {
                pipeline.addAfter(
                        ChannelPipelineCustomizer.HANDLER_HTTP_SERVER_CODEC,
                        UpgradeGuard.NAME,
                        new UpgradeGuard(StepcastWebSocket.PATH, refusals));
            }
            String name = NettyServerWebSocketUpgradeHandler.COMPRESSION_HANDLER;
            if (pipeline.get(name) == null) {
                return;
            }
            if (config.compression()) {
                pipeline.replace(name, name, new WebSocketServerCompressionHandler(WsConfig.HARD_FRAME_BYTES));
            } else {
                pipeline.remove(name);
            }
        }
    }
}
