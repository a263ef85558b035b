package io.stepcast.deploy.browser;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code node e2e.mjs <scenarios>} and answers its control requests (one JSON line each way):
 * {@code info}, {@code publish}, {@code stop-gateway}, {@code start-gateway}, {@code mint-token}.
 * Requests are served one at a time, in the order the script sends them (it awaits each reply).
 *
 * <p>{@code -Dstepcast.e2e.sabotage=renew} (or {@code rejected}) is passed to the script as
 * {@code STEPCAST_E2E_SABOTAGE}: the token scenarios then switch off that part of stepcast.js's
 * renewal, to check that they fail without it.
 */
final class E2eDriver {

    private static final String PREFIX = "@@control ";
    private static final Duration TIMEOUT = Duration.ofMinutes(8);
    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int exitCode, String output) {}

    /** Mints client tokens for {@code mint-token}: a valid one, or one signed with another key. */
    @FunctionalInterface
    interface TokenMinter {
        String mint(Duration ttl, boolean valid);
    }

    private final GatewayProcess gateway;
    private final BridgeOrchestrator orchestrator;
    private final String token;
    private TokenMinter minter;

    /**
     * @param orchestrator publishes for the script; null when the gateway has its own (demo mode)
     * @param token        the client token the page presents; null when auth is off
     */
    E2eDriver(GatewayProcess gateway, BridgeOrchestrator orchestrator, String token) {
        this.gateway = gateway;
        this.orchestrator = orchestrator;
        this.token = token;
    }

    /** Lets the script ask for fresh tokens ({@code mint-token {ttlMs, valid}}). */
    E2eDriver withTokenMinter(TokenMinter minter) {
        this.minter = minter;
        return this;
    }

    Result run(Path browserDir, Path out, List<String> scenarios) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("node", "e2e.mjs"));
        cmd.addAll(scenarios);
        ProcessBuilder pb =
                new ProcessBuilder(cmd).directory(browserDir.toFile()).redirectErrorStream(true);
        pb.environment().put("STEPCAST_E2E_OUT", out.toString());
        pb.environment().put("CHROMIUM", NodeTooling.CHROMIUM.toString());
        String sabotage = System.getProperty("stepcast.e2e.sabotage");
        if (sabotage != null && !sabotage.isBlank()) {
            pb.environment().put("STEPCAST_E2E_SABOTAGE", sabotage);
        }
        Process node = pb.start();
        StringBuilder output = new StringBuilder();
        Thread reader = new Thread(() -> serve(node, output), "e2e-control");
        reader.start();
        if (!node.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            node.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            reader.join(5000);
            synchronized (output) {
                output.append("\n[driver] node timed out after ")
                        .append(TIMEOUT)
                        .append('\n');
            }
            return new Result(-1, snapshot(output));
        }
        reader.join(10_000);
        return new Result(node.exitValue(), snapshot(output));
    }

    private void serve(Process node, StringBuilder output) {
        try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
                OutputStream toNode = node.getOutputStream()) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(PREFIX)) {
                    String reply = handle(line.substring(PREFIX.length()));
                    toNode.write((reply + "\n").getBytes(StandardCharsets.UTF_8));
                    toNode.flush();
                } else {
                    System.out.println("[browser-e2e] " + line);
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                }
            }
        } catch (IOException e) {
            synchronized (output) {
                output.append("[driver] control channel failed: ").append(e).append('\n');
            }
        }
    }

    private String handle(String request) {
        ObjectNode reply = JSON.createObjectNode();
        try {
            JsonNode req = JSON.readTree(request);
            reply.set("id", req.get("id"));
            switch (req.path("cmd").asText()) {
                case "info" ->
                    reply.putObject("result").put("base", gateway.baseUrl()).put("token", token);
                case "publish" -> {
                    if (orchestrator == null) {
                        throw new IllegalStateException("this run has no test orchestrator");
                    }
                    reply.set(
                            "result",
                            JSON.valueToTree(
                                    orchestrator.publish(req.path("plan").asText(), req.path("events"))));
                }
                case "mint-token" -> {
                    if (minter == null) {
                        throw new IllegalStateException("this run mints no tokens");
                    }
                    reply.put(
                            "result",
                            minter.mint(
                                    Duration.ofMillis(req.path("ttlMs").asLong(5000)),
                                    req.path("valid").asBoolean(true)));
                }
                case "stop-gateway" -> gateway.stop();
                case "start-gateway" -> gateway.start();
                default -> throw new IllegalArgumentException("unknown control command: " + req.path("cmd"));
            }
            reply.put("ok", true);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            reply.put("ok", false).put("error", e.toString());
        }
        return reply.toString();
    }

    private static String snapshot(StringBuilder output) {
        synchronized (output) {
            return output.toString();
        }
    }
}
