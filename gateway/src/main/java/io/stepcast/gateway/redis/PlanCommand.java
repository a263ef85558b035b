package io.stepcast.gateway.redis;

import java.time.Instant;
import java.util.Objects;

/**
 * A validated client command on its way to the orchestrator, stored in the plan's command stream
 * with the fields {@code id}, {@code session}, {@code command}, {@code args}, {@code sub} (only when
 * known) and {@code ts}.
 *
 * @param id       the client's command id (echoed in {@code command_result})
 * @param session  the gateway session id the reply goes to
 * @param command  the command name
 * @param argsJson the command's arguments as a JSON object text
 * @param subject  the authenticated subject, or {@code null}
 * @param ts       when the gateway accepted it
 */
public record PlanCommand(String id, String session, String command, String argsJson, String subject, Instant ts) {
    public PlanCommand {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(argsJson, "argsJson");
        Objects.requireNonNull(ts, "ts");
    }
}
