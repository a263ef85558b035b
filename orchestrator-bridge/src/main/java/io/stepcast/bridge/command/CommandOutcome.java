package io.stepcast.bridge.command;

import java.util.Objects;

/** What a {@link CommandHandler} decided; the listener turns it into a {@code command_result}. */
public sealed interface CommandOutcome {

    /** Success with {@code data} (any Jackson-serializable value that becomes a JSON object; {@code null} = {@code {}}). */
    static CommandOutcome ok(Object data) {
        return new Ok(data);
    }

    /** Failure with a machine-readable code ({@link CommandReplies#ERROR_CODE}) and a human message. */
    static CommandOutcome fail(String code, String message) {
        return new Failed(code, message);
    }

    /** Failure with one of the standard codes. */
    static CommandOutcome fail(CommandError code, String message) {
        return new Failed(code.code(), message);
    }

    /** No reply now: the handler (or work it started) replies later through {@link CommandReplies}. */
    static CommandOutcome deferred() {
        return Deferred.INSTANCE;
    }

    /** Success. */
    record Ok(Object data) implements CommandOutcome {}

    /** Failure. */
    record Failed(String code, String message) implements CommandOutcome {
        public Failed {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }

    /** Reply sent later by the application. */
    enum Deferred implements CommandOutcome {
        INSTANCE
    }
}
