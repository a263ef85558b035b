package io.stepcast.gateway.auth;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.websocket.CloseReason;
import io.micronaut.websocket.WebSocketSession;
import io.micronaut.websocket.annotation.OnMessage;
import io.micronaut.websocket.annotation.OnOpen;
import io.micronaut.websocket.annotation.ServerWebSocket;

/** Endpoints that stand in for the transports in auth tests (only with spec.name=AuthHttpTest). */
final class AuthProbes {

    static final String SPEC = "AuthHttpTest";

    private AuthProbes() {}

    @Controller
    @Requires(property = "spec.name", value = SPEC)
    static final class PlanProbe {
        @Get("/api/plans/{plan}/authprobe")
        String read(String plan) {
            return "plan:" + plan;
        }

        @Get("/api/dashboard/plan/{plan}/authprobe")
        String dashboard(String plan) {
            return "dashboard:" + plan;
        }

        @Post("/api/plans/{plan}/authprobe")
        String publish(String plan, @Body String body) {
            return "published:" + plan;
        }

        @Get("/api/authprobe-other")
        String other() {
            return "other";
        }
    }

    /** Authenticates right after the upgrade, as the real endpoint does: 4001 or a greeting. */
    @ServerWebSocket(value = "/authprobe-ws", subprotocols = "stepcast.v1")
    @Requires(property = "spec.name", value = SPEC)
    static final class SocketProbe {
        private final ClientAuthenticator authenticator;

        SocketProbe(ClientAuthenticator authenticator) {
            this.authenticator = authenticator;
        }

        @OnOpen
        void open(WebSocketSession session, HttpRequest<?> request) {
            authenticator.authenticate(request).whenComplete((result, error) -> {
                if (result instanceof AuthResult.Granted granted) {
                    session.sendSync("hello " + granted.principal().subject());
                } else if (result instanceof AuthResult.Denied denied) {
                    session.close(new CloseReason(
                            4001, "unauthorized: " + denied.failure().message()));
                }
            });
        }

        @OnMessage
        void message(String text, WebSocketSession session) {}
    }
}
