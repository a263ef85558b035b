package io.stepcast.bridge.command;

/**
 * The orchestrator's side of client commands, called by {@link CommandListener}.
 *
 * <p>Threading: called on the listener's own thread, one command at a time, in stream order per plan.
 * A slow handler delays the commands behind it (hand long work to your own executor and return
 * {@link CommandOutcome#deferred()}, then answer through {@link CommandReplies}).
 *
 * <p>Delivery is at-least-once: after a crash, or when a consumer is presumed dead, a command may be
 * delivered again ({@link ReceivedCommand#redelivered()}). Make handlers idempotent by
 * {@code (session, id)} where acting twice would hurt.
 */
@FunctionalInterface
public interface CommandHandler {

    /**
     * Handles one command. The listener sends the returned outcome to the originating session as a
     * {@code command_result} and then acknowledges the entry. A thrown exception becomes a
     * {@code handler_error} failure (and is logged); the entry is still acknowledged, so a poison
     * command is never redelivered forever.
     */
    CommandOutcome handle(ReceivedCommand command) throws Exception;
}
