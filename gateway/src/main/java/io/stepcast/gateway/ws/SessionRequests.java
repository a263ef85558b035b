package io.stepcast.gateway.ws;

import io.micronaut.websocket.WebSocketSession;
import io.stepcast.bridge.command.CommandRecord;
import io.stepcast.gateway.auth.AuthFailure;
import io.stepcast.gateway.auth.AuthResult;
import io.stepcast.gateway.auth.ClientAuthenticator;
import io.stepcast.gateway.auth.PlanAccess;
import io.stepcast.gateway.auth.SessionAuth;
import io.stepcast.gateway.hub.PlanHub;
import io.stepcast.gateway.index.IndexFeed;
import io.stepcast.gateway.protocol.ClientFrame;
import io.stepcast.gateway.protocol.CloseCode;
import io.stepcast.gateway.protocol.Cursor;
import io.stepcast.gateway.protocol.ErrorCode;
import io.stepcast.gateway.protocol.RequestId;
import io.stepcast.gateway.protocol.ServerFrame;
import io.stepcast.gateway.redis.PlanStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an open session's decoded client frames ask for: plan subscriptions (within the token's grants
 * and the per-connection limit), the plan index watch, commands appended to the plan's command stream,
 * and token refresh. Answers go to the connection; nothing here closes it except an expired token.
 *
 * <p>Threading: called on the connection's event loop, never blocks. A token refresh is applied back on
 * that loop; a command that could not be queued is answered from the Redis callback through the
 * connection's send methods.
 */
final class SessionRequests {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRequests.class);

    private final WsConfig config;
    private final PlanHub hub;
    private final PlanStore store;
    private final ClientAuthenticator authenticator;
    private final IndexFeed indexFeed;

    SessionRequests(
            WsConfig config, PlanHub hub, PlanStore store, ClientAuthenticator authenticator, IndexFeed indexFeed) {
        this.config = config;
        this.hub = hub;
        this.store = store;
        this.authenticator = authenticator;
        this.indexFeed = indexFeed;
    }

    /** Carries out one decoded client frame. */
    void handle(WsConnection connection, WebSocketSession session, ClientFrame frame) {
        if (frame instanceof ClientFrame.Subscribe s) {
            subscribe(connection, s);
        } else if (frame instanceof ClientFrame.Unsubscribe u) {
            unsubscribe(connection, u);
        } else if (frame instanceof ClientFrame.Ping p) {
            connection.send(new ServerFrame.Pong(p.id()));
        } else if (frame instanceof ClientFrame.Refresh r) {
            refresh(connection, session, r);
        } else if (frame instanceof ClientFrame.Command c) {
            command(connection, c);
        } else if (frame instanceof ClientFrame.WatchPlans w) {
            watchPlans(connection, w.prefix(), w.limit(), w.cursor());
        } else if (frame instanceof ClientFrame.UnwatchPlans) {
            stopWatch(connection);
            // after any change of the watch already queued: none follows "plans_unwatched"
            connection.sendAfterQueued(new ServerFrame.PlansUnwatched());
        }
    }

    private void subscribe(WsConnection connection, ClientFrame.Subscribe s) {
        String plan = s.planId();
        if (!auth(connection).canRead(plan)) {
            connection.sendError(ErrorCode.FORBIDDEN, "the token does not grant this plan", RequestId.ofString(plan));
            return;
        }
        if (!connection.plans().contains(plan) && connection.plans().size() >= config.maxSubscriptions()) {
            connection.sendError(
                    ErrorCode.TOO_MANY_SUBSCRIPTIONS,
                    "at most " + config.maxSubscriptions() + " subscriptions per connection",
                    RequestId.ofString(plan));
            return;
        }
        connection.plans().add(plan);
        connection.plans().filter(plan, s.filter());
        hub.subscribe(connection.plans(), plan, s.cursor());
    }

    /** Starts (or replaces) the connection's plan index watch, scoped by prefix and the token's grants. */
    private void watchPlans(WsConnection connection, String prefix, int limit, Cursor cursor) {
        stopWatch(connection);
        PlanAccess access = auth(connection).principal().access();
        connection.indexWatch = indexFeed.watch(
                new WsIndexSink(connection), plan -> plan.startsWith(prefix) && access.canRead(plan), limit, cursor);
        connection.indexPrefix = prefix;
        connection.indexLimit = limit;
    }

    /** Ends the connection's plan index watch, if it has one. */
    void stopWatch(WsConnection connection) {
        if (connection.indexWatch != null) {
            indexFeed.leave(connection.indexWatch);
            connection.indexWatch = null;
        }
    }

    private void unsubscribe(WsConnection connection, ClientFrame.Unsubscribe u) {
        String plan = u.planId();
        if (!connection.plans().remove(plan)) {
            connection.sendError(ErrorCode.NOT_SUBSCRIBED, "not subscribed to this plan", RequestId.ofString(plan));
            return;
        }
        hub.unsubscribe(connection.plans(), plan);
        // after any event of this plan already queued by the hub: none follows "unsubscribed"
        connection.sendAfterQueued(new ServerFrame.Unsubscribed(plan));
    }

    /**
     * Appends the command to the plan's command stream; the orchestrator answers on this session's
     * channel ({@code command_result}, forwarded by the session router). Only a failure to queue it
     * is answered here.
     */
    private void command(WsConnection connection, ClientFrame.Command c) {
        SessionAuth auth = auth(connection);
        if (!auth.canCommand(c.planId())) {
            connection.sendError(
                    ErrorCode.FORBIDDEN,
                    auth.canRead(c.planId())
                            ? "the token does not allow commands (cmd)"
                            : "the token does not grant this plan",
                    c.id());
            return;
        }
        CommandRecord command;
        try { // the bridge's definition of a command stream entry (it validates every field)
            command = new CommandRecord(
                    c.idText(),
                    connection.sessionId(),
                    c.command(),
                    new String(c.argsJson(), StandardCharsets.UTF_8),
                    auth.principal().subject(),
                    Instant.now());
        } catch (IllegalArgumentException e) {
            connection.sendError(ErrorCode.BAD_REQUEST, e.getMessage(), c.id());
            return;
        }
        store.appendCommand(c.planId(), command).whenComplete((entryId, error) -> {
            if (error != null) {
                LOG.debug(
                        "command {} of session {} not queued: {}",
                        c.idText(),
                        connection.sessionId(),
                        error.toString());
                connection.sendError(ErrorCode.UNAVAILABLE, "the command could not be queued; retry later", c.id());
            }
        });
    }

    /**
     * Replaces the session's token (same subject). Plans the new token no longer grants are
     * unsubscribed ({@code error forbidden} then {@code unsubscribed}). A rejected refresh is answered
     * with {@code error unauthorized}; the session keeps its current token until that expires.
     */
    private void refresh(WsConnection connection, WebSocketSession session, ClientFrame.Refresh r) {
        SessionAuth auth = auth(connection);
        authenticator
                .refresh(auth.principal(), r.token())
                .whenComplete((result, error) -> connection.eventLoop().execute(() -> {
                    if (connection.isClosing()) {
                        return;
                    }
                    if (!(result instanceof AuthResult.Granted granted)) {
                        String why = result instanceof AuthResult.Denied d
                                ? d.failure().message()
                                : "invalid token";
                        connection.sendError(ErrorCode.UNAUTHORIZED, "refresh rejected: " + why, r.id());
                        return;
                    }
                    auth.replace(granted.principal());
                    for (String plan : connection.plans().toList()) {
                        if (!auth.canRead(plan) && connection.plans().remove(plan)) {
                            hub.unsubscribe(connection.plans(), plan);
                            connection.sendError(
                                    ErrorCode.FORBIDDEN,
                                    "the refreshed token does not grant this plan",
                                    RequestId.ofString(plan));
                            connection.sendAfterQueued(new ServerFrame.Unsubscribed(plan));
                        }
                    }
                    if (connection.indexWatch != null) { // a first page under the new grants
                        watchPlans(connection, connection.indexPrefix, connection.indexLimit, null);
                    }
                    connection.send(new ServerFrame.Refreshed(
                            r.id(), granted.principal().expiresAt().toEpochMilli()));
                }));
    }

    /** Closes a connection whose token expired ({@link CloseCode#UNAUTHORIZED}). */
    static void expired(WsConnection connection) {
        connection.close(CloseCode.UNAUTHORIZED, "unauthorized: " + AuthFailure.TOKEN_EXPIRED.message());
    }

    private static SessionAuth auth(WsConnection connection) {
        return Objects.requireNonNull(connection.auth(), "authenticated at open");
    }
}
