package io.stepcast.bridge.command;

/**
 * Standard error codes of a failed {@code command_result}. Orchestrators may use their own codes too
 * (any {@link CommandReplies#ERROR_CODE}); these are the ones the bridge itself produces or that
 * clients can expect to mean the same everywhere.
 */
public enum CommandError {
    /** The orchestrator does not know this command name. */
    UNKNOWN_COMMAND("unknown_command"),
    /** The arguments are missing or wrong; the message says which. */
    INVALID_ARGS("invalid_args"),
    /** The command is valid but cannot run in the plan's current state (e.g. retry while running). */
    CONFLICT("conflict"),
    /** The command waited longer than the listener's maximum age (orchestrator was down). */
    EXPIRED("expired"),
    /** The stream entry itself was malformed (a gateway or foreign writer bug). */
    BAD_COMMAND("bad_command"),
    /** The handler threw; details are in the orchestrator's log. */
    HANDLER_ERROR("handler_error");

    private final String code;

    CommandError(String code) {
        this.code = code;
    }

    /** The wire code, e.g. {@code unknown_command}. */
    public String code() {
        return code;
    }
}
