package io.stepcast.bridge.command;

import java.util.Objects;

/**
 * A command delivered to a {@link CommandHandler}.
 *
 * @param planId   the plan whose command stream held it
 * @param entryId  the stream entry id (acknowledged after the handler returns)
 * @param command  the command itself
 * @param redelivered true when this entry was delivered before (recovered after a crash or claimed
 *                    from a dead consumer): the handler may already have acted on it once
 */
public record ReceivedCommand(String planId, String entryId, CommandRecord command, boolean redelivered) {

    public ReceivedCommand {
        Objects.requireNonNull(planId, "planId");
        Objects.requireNonNull(entryId, "entryId");
        Objects.requireNonNull(command, "command");
    }

    /** Shortcut for {@code command().command()}. */
    public String name() {
        return command.command();
    }
}
