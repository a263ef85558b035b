package io.stepcast.gateway.protocol;

import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.command.CommandRecord;
import java.util.regex.Pattern;

/**
 * The type-specific checks of a client message: which fields each {@code type} needs and their rules
 * ({@code bad_request}, {@code invalid_plan_id}, {@code unknown_type}, {@code frame_too_large} for
 * command args), in a fixed order so the first problem is the one reported. Stateless.
 */
final class ClientFrameRules {

    /** Command names: the bridge's rule ({@link CommandRecord#COMMAND_NAME}, the same as event names). */
    static final Pattern COMMAND_NAME = CommandRecord.COMMAND_NAME;
    /** Command ids: printable ASCII without spaces (they travel in the command stream). */
    static final Pattern COMMAND_ID = Pattern.compile("[\\x21-\\x7e]{1," + RequestId.MAX_LENGTH + "}");

    private static final byte[] EMPTY_ARGS = {'{', '}'};
    private static final int MAX_ECHO = 64;

    private ClientFrameRules() {}

    static DecodeResult reject(ErrorCode code, String message, RequestId ref) {
        return new DecodeResult.Rejected(code, message, ref);
    }

    static String echo(String s) {
        return s.length() <= MAX_ECHO ? s : s.substring(0, MAX_ECHO) + "…";
    }

    /** The frame the fields make for their {@code type}, or the first reason they make none. */
    static DecodeResult toFrame(ClientFields f, DecoderLimits limits) {
        if (f.type == null) {
            return reject(ErrorCode.BAD_REQUEST, f.problem != null ? f.problem : "missing field type", null);
        }
        return switch (f.type) {
            case "subscribe" -> subscribe(f);
            case "unsubscribe" -> unsubscribe(f);
            case "ping" -> ping(f);
            case "command" -> command(f, limits);
            case "refresh" -> refresh(f);
            case "watch_plans" ->
                f.problem != null
                        ? reject(ErrorCode.BAD_REQUEST, f.problem, null)
                        : WatchPlansFields.check(f.prefix, f.limit, f.since, f.epoch);
            case "unwatch_plans" -> new DecodeResult.Decoded(new ClientFrame.UnwatchPlans());
            default -> reject(ErrorCode.UNKNOWN_TYPE, "unknown type '" + echo(f.type) + "'", f.id);
        };
    }

    private static DecodeResult planIdProblem(ClientFields f, RequestId ref) {
        if (f.planId == null) {
            return reject(ErrorCode.BAD_REQUEST, "missing field plan_id", ref);
        }
        if (!RedisLayout.isValidPlanId(f.planId)) {
            return reject(ErrorCode.INVALID_PLAN_ID, "plan_id must match " + RedisLayout.PLAN_ID.pattern(), ref);
        }
        return null;
    }

    private static DecodeResult subscribe(ClientFields f) {
        DecodeResult bad = planIdProblem(f, null);
        if (bad != null) {
            return bad;
        }
        RequestId ref = RequestId.ofString(f.planId);
        if (f.problem != null) {
            return reject(ErrorCode.BAD_REQUEST, f.problem, ref);
        }
        Cursor.Parse cursor = Cursor.of(f.since, f.epoch);
        if (cursor instanceof Cursor.Invalid invalid) {
            return reject(ErrorCode.BAD_REQUEST, invalid.message(), ref);
        }
        EventFilter.Parse filter = EventFilter.of(f.events);
        if (filter instanceof EventFilter.Invalid invalid) {
            return reject(ErrorCode.BAD_REQUEST, invalid.message(), ref);
        }
        return new DecodeResult.Decoded(
                new ClientFrame.Subscribe(f.planId, ((Cursor.Ok) cursor).cursor(), ((EventFilter.Ok) filter).filter()));
    }

    private static DecodeResult unsubscribe(ClientFields f) {
        DecodeResult bad = planIdProblem(f, null);
        if (bad != null) {
            return bad;
        }
        return new DecodeResult.Decoded(new ClientFrame.Unsubscribe(f.planId));
    }

    private static DecodeResult ping(ClientFields f) {
        if (f.problem != null) {
            return reject(ErrorCode.BAD_REQUEST, f.problem, null);
        }
        return new DecodeResult.Decoded(new ClientFrame.Ping(f.id));
    }

    private static DecodeResult refresh(ClientFields f) {
        if (f.problem != null) {
            return reject(ErrorCode.BAD_REQUEST, f.problem, f.id);
        }
        if (f.token == null || f.token.isBlank()) {
            return reject(ErrorCode.BAD_REQUEST, "missing field token", f.id);
        }
        return new DecodeResult.Decoded(new ClientFrame.Refresh(f.token, f.id));
    }

    private static DecodeResult command(ClientFields f, DecoderLimits limits) {
        if (f.id == null) {
            return reject(ErrorCode.BAD_REQUEST, f.problem != null ? f.problem : "missing field id", null);
        }
        DecodeResult bad = planIdProblem(f, f.id);
        if (bad != null) {
            return bad;
        }
        if (f.problem != null) {
            return reject(ErrorCode.BAD_REQUEST, f.problem, f.id);
        }
        if (!COMMAND_ID.matcher(f.idText).matches()) {
            return reject(ErrorCode.BAD_REQUEST, "a command id must be printable ASCII without spaces", f.id);
        }
        if (f.command == null) {
            return reject(ErrorCode.BAD_REQUEST, "missing field command", f.id);
        }
        if (!COMMAND_NAME.matcher(f.command).matches()) {
            return reject(ErrorCode.BAD_REQUEST, "command must match " + COMMAND_NAME.pattern(), f.id);
        }
        byte[] a = f.args == null ? EMPTY_ARGS : f.args;
        if (a.length > limits.maxArgsBytes()) {
            return reject(
                    ErrorCode.FRAME_TOO_LARGE,
                    "args of " + a.length + " bytes exceed the limit of " + limits.maxArgsBytes() + " bytes",
                    f.id);
        }
        return new DecodeResult.Decoded(new ClientFrame.Command(f.id, f.idText, f.planId, f.command, a));
    }
}
