package io.stepcast.bridge.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stepcast.bridge.BridgeConfig;
import io.stepcast.bridge.BridgeException;
import io.stepcast.bridge.EventPublisher;
import io.stepcast.bridge.RedisLayout;
import io.stepcast.bridge.RedisMode;
import io.stepcast.bridge.RedisTls;
import io.stepcast.bridge.command.CommandListenerOptions;
import io.stepcast.bridge.command.CommandOutcome;
import io.stepcast.bridge.command.CommandRecord;
import io.stepcast.bridge.command.CommandReplies;
import io.stepcast.bridge.command.ReceivedCommand;
import io.stepcast.bridge.event.EventLines;
import io.stepcast.bridge.event.RawData;
import io.stepcast.bridge.redis.LettuceEventPublisher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code pipe}: publishes NDJSON events read from stdin, in order; optionally writes the plans'
 * commands to stdout and publishes reply lines read from stdin.
 */
final class PipeCommand {

    static final String USAGE = """
            pipe [--redis <uri>] [--redis-mode standalone|cluster] [--redis-tls-ca <pem>] [--prefix stepcast] [--commands <plan>[,<plan>...]] [--consumer <name>]
                 [--group orchestrator] [--max-in-flight 1000] [--wait-replicas 0]
                Reads one JSON object per line on stdin and publishes it, in order:
                  {"plan_id":"p-42","event":"step_status","data":{"step_index":0,"status":"running"},"event_id":"e-1","ts":"2026-01-01T00:00:00.000Z"}
                (event_id and ts optional). A bad line is reported on stderr as "line N: <field>: <reason>"
                and skipped; the rest is still published. Exit code 0 = every line published, 1 = some failed.
                With --commands, client commands of those plans are written to stdout, one per line:
                  {"command":{"plan_id":..,"id":..,"session":..,"command":..,"args":{..},"sub":..,"ts":..,"redelivered":false}}
                and stdin also accepts reply lines:
                  {"reply":{"session":..,"id":..,"ok":true,"data":{..}}}
                  {"reply":{"session":..,"id":..,"ok":false,"error":{"code":"conflict","message":".."}}}""";

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final PrintStream out;
    private final PrintStream err;
    private final AtomicLong failures = new AtomicLong();

    private PipeCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    static int run(List<String> argv, Map<String, String> env, InputStream in, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        CliArgs args = new CliArgs(
                argv,
                BridgeCli.withTls(
                        "redis",
                        "prefix",
                        "commands",
                        "consumer",
                        "group",
                        "max-in-flight",
                        "redis-mode",
                        "wait-replicas"),
                Set.of());
        RedisMode mode = BridgeCli.redisMode(args, env);
        int waitReplicas = args.integer("wait-replicas", 0, 0, 16);
        String uri = BridgeCli.redisUri(args, env);
        RedisTls tls = BridgeCli.redisTls(args, env, uri);
        RedisLayout layout = BridgeCli.layout(args);
        List<String> commandPlans = CliArgs.list(args.get("commands", ""));
        commandPlans.forEach(p -> {
            if (!RedisLayout.isValidPlanId(p)) {
                throw new CliArgs.UsageException("--commands: not a plan id: " + p);
            }
        });
        CommandListenerOptions listenerOptions = CommandListenerOptions.defaults()
                .withGroup(args.get("group", CommandListenerOptions.defaults().group()))
                .withConsumer(args.get("consumer", CommandListenerOptions.defaultConsumerName()));
        int maxInFlight = args.integer("max-in-flight", 1000, 1, 100_000);
        BridgeConfig config = BridgeConfig.builder()
                .prefix(layout.prefix())
                .redisMode(mode)
                .waitReplicas(waitReplicas)
                .tls(tls)
                .build();
        return new PipeCommand(out, err).pipe(uri, config, commandPlans, listenerOptions, maxInFlight, in);
    }

    private int pipe(
            String uri,
            BridgeConfig config,
            List<String> commandPlans,
            CommandListenerOptions listenerOptions,
            int maxInFlight,
            InputStream in)
            throws IOException, InterruptedException {
        CommandWiring commands = null;
        CommandReplies replies = null;
        try (EventPublisher publisher = LettuceEventPublisher.create(uri, config)) {
            if (!commandPlans.isEmpty()) {
                commands = CommandWiring.start(uri, config, commandPlans, this::writeCommand, listenerOptions);
                replies = commands.replies();
            }
            Semaphore inFlight = new Semaphore(maxInFlight);
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            long lineNo = 0;
            for (String line; (line = reader.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                handleLine(lineNo, line, publisher, replies, inFlight);
            }
            inFlight.acquire(maxInFlight); // every publish and reply answered
        } finally {
            if (commands != null) {
                commands.close();
            }
        }
        return failures.get() == 0 ? 0 : 1;
    }

    private void handleLine(
            long lineNo, String line, EventPublisher publisher, CommandReplies replies, Semaphore inFlight)
            throws InterruptedException {
        CompletableFuture<?> future;
        try {
            JsonNode root = JSON.readTree(line);
            if (root == null || !root.isObject()) {
                throw new BridgeException("line: must be a JSON object");
            }
            if (root.has("reply")) {
                future = reply(root, replies);
            } else {
                EventLines.Line parsed = EventLines.parse((ObjectNode) root, RawData.of(line));
                inFlight.acquire();
                try {
                    future = publisher.publish(parsed.planId(), parsed.event());
                } catch (RuntimeException e) {
                    inFlight.release();
                    throw e;
                }
                future.whenComplete((r, e) -> {
                    inFlight.release();
                    if (e != null) {
                        fail(lineNo, "publish failed: " + rootMessage(e));
                    }
                });
                return;
            }
        } catch (JsonProcessingException e) {
            fail(lineNo, "line: not JSON: " + e.getOriginalMessage());
            return;
        } catch (BridgeException | IllegalArgumentException e) {
            fail(lineNo, e.getMessage());
            return;
        }
        inFlight.acquire();
        future.whenComplete((r, e) -> {
            inFlight.release();
            if (e != null) {
                fail(lineNo, "reply failed: " + rootMessage(e));
            }
        });
    }

    private CompletableFuture<Long> reply(JsonNode root, CommandReplies replies) {
        if (replies == null) {
            throw new IllegalArgumentException("reply: only accepted with --commands");
        }
        if (root.size() != 1) {
            throw new IllegalArgumentException("reply: a reply line holds only \"reply\"");
        }
        JsonNode reply = root.get("reply");
        if (!reply.isObject()) {
            throw new IllegalArgumentException("reply: must be an object");
        }
        String session = text(reply, "session");
        String id = text(reply, "id");
        JsonNode ok = reply.get("ok");
        if (ok == null || !ok.isBoolean()) {
            throw new IllegalArgumentException("reply.ok: must be true or false");
        }
        if (ok.asBoolean()) {
            if (reply.has("error")) {
                throw new IllegalArgumentException("reply.error: only with \"ok\":false");
            }
            JsonNode data = reply.get("data");
            if (data != null && !data.isNull() && !data.isObject()) {
                throw new IllegalArgumentException("reply.data: must be a JSON object");
            }
            return replies.reply(session, id, data == null || data.isNull() ? null : data);
        }
        JsonNode error = reply.get("error");
        if (error == null || !error.isObject()) {
            throw new IllegalArgumentException("reply.error: required object {code, message} when \"ok\":false");
        }
        return replies.fail(
                session, id, text(error, "code"), error.path("message").asText(""));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException("reply." + field + ": required string");
        }
        return value.asText();
    }

    /** Command handler: one NDJSON line on stdout per command; the reply comes later from stdin. */
    private CommandOutcome writeCommand(ReceivedCommand received) throws JsonProcessingException {
        CommandRecord c = received.command();
        ObjectNode command = JSON.createObjectNode();
        command.put("plan_id", received.planId());
        command.put("id", c.id());
        command.put("session", c.session());
        command.put("command", c.command());
        command.set("args", c.argsNode());
        if (c.sub() != null) {
            command.put("sub", c.sub());
        }
        command.put("ts", c.ts().toString());
        command.put("redelivered", received.redelivered());
        ObjectNode line = JSON.createObjectNode();
        line.set("command", command);
        String text = JSON.writeValueAsString(line);
        synchronized (out) {
            out.println(text);
            out.flush();
        }
        return CommandOutcome.deferred();
    }

    private void fail(long lineNo, String message) {
        failures.incrementAndGet();
        synchronized (err) {
            err.println("line " + lineNo + ": " + message);
            err.flush();
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
