package io.stepcast.bridge.command;

import io.lettuce.core.StreamMessage;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link CommandListener} does with one stream entry, whichever of its read loops read it:
 * parse it, answer expired or malformed ones itself, hand the rest to the {@link CommandHandler} and
 * send the outcome ({@link CommandReplies}).
 *
 * <p>Threading: called from the listener's read loops (one on standalone Redis, one per slot on a
 * cluster); handler calls are serialized on this object's lock, so the handler sees one command at a
 * time whatever the number of loops.
 */
final class CommandDispatch {

    private static final Logger LOG = LoggerFactory.getLogger(CommandDispatch.class);

    private final CommandHandler handler;
    private final CommandReplies replies;
    private final CommandListenerOptions options;
    /** Stream key → plan id of every plan ever added; never shrinks (late entries still map). */
    private final Map<String, String> planOfKey = new ConcurrentHashMap<>();

    private final AtomicLong handled = new AtomicLong();

    CommandDispatch(CommandHandler handler, CommandReplies replies, CommandListenerOptions options) {
        this.handler = handler;
        this.replies = replies;
        this.options = options;
    }

    void mapKey(String key, String planId) {
        planOfKey.put(key, planId);
    }

    long handledCount() {
        return handled.get();
    }

    /** Counts an entry as handled (after its XACK). */
    void acknowledged() {
        handled.incrementAndGet();
    }

    /** Answers one entry; never throws for what the entry or the handler contains. */
    void dispatch(String key, StreamMessage<String, String> message, boolean redelivered) {
        Map<String, String> body = message.getBody();
        if (body == null || body.isEmpty()) {
            return;
        }
        CommandRecord record;
        try {
            record = CommandRecord.fromFields(body);
        } catch (IllegalArgumentException e) {
            LOG.warn("Malformed command {} on {}: {}", message.getId(), key, e.getMessage());
            failQuietly(
                    body.get(CommandRecord.FIELD_SESSION),
                    body.get(CommandRecord.FIELD_ID),
                    CommandOutcome.fail(CommandError.BAD_COMMAND, e.getMessage()));
            return;
        }
        if (!options.maxAge().isZero() && record.ts().plus(options.maxAge()).isBefore(Instant.now())) {
            failQuietly(
                    record.session(),
                    record.id(),
                    CommandOutcome.fail(
                            CommandError.EXPIRED,
                            "command waited longer than " + options.maxAge() + " for the orchestrator"));
            return;
        }
        CommandOutcome outcome = handle(key, message, record, redelivered);
        try {
            replies.send(record.session(), record.id(), outcome);
        } catch (IllegalArgumentException e) {
            LOG.error(
                    "Command handler returned an unsendable outcome for {} {}: {}",
                    record.command(),
                    record.id(),
                    e.getMessage());
            failQuietly(
                    record.session(),
                    record.id(),
                    CommandOutcome.fail(CommandError.HANDLER_ERROR, "the orchestrator returned an invalid result"));
        }
    }

    private synchronized CommandOutcome handle(
            String key, StreamMessage<String, String> message, CommandRecord record, boolean redelivered) {
        try {
            CommandOutcome outcome = handler.handle(
                    new ReceivedCommand(planOfKey.getOrDefault(key, key), message.getId(), record, redelivered));
            if (outcome == null) {
                throw new IllegalStateException("handler returned null");
            }
            return outcome;
        } catch (Exception e) {
            LOG.error("Command handler failed on {} {} ({}): ", record.command(), record.id(), key, e);
            return CommandOutcome.fail(CommandError.HANDLER_ERROR, "the orchestrator failed to handle the command");
        }
    }

    private void failQuietly(String session, String commandId, CommandOutcome outcome) {
        try {
            replies.send(session, commandId, outcome);
        } catch (IllegalArgumentException e) {
            LOG.debug("No reply possible (session {}, id {}): {}", session, commandId, e.getMessage());
        }
    }
}
