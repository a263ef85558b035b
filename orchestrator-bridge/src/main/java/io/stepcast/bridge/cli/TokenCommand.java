package io.stepcast.bridge.cli;

import io.stepcast.bridge.token.ClientTokens;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code token}: mints a client token and prints it on stdout. */
final class TokenCommand {

    static final String USAGE = """
            token --sub <subject> --plans <id|prefix*>[,...] [--ttl 1h] [--cmd] [--iss <issuer>] [--secret <s>]
                Mints an HS256 client token (JWT) for the gateways and prints it.
                The secret (>= 32 bytes) comes from --secret or env STEPCAST_TOKEN_SECRET.""";

    private TokenCommand() {}

    static int run(List<String> argv, Map<String, String> env, PrintStream out) {
        CliArgs args = new CliArgs(argv, Set.of("secret", "sub", "plans", "ttl", "iss"), Set.of("cmd"));
        String secret = args.get("secret", env.get("STEPCAST_TOKEN_SECRET"));
        if (secret == null || secret.isEmpty()) {
            throw new CliArgs.UsageException("--secret or env STEPCAST_TOKEN_SECRET is required");
        }
        if (secret.getBytes(StandardCharsets.UTF_8).length < ClientTokens.MIN_SECRET_BYTES) {
            throw new CliArgs.UsageException("the secret must be at least " + ClientTokens.MIN_SECRET_BYTES + " bytes");
        }
        ClientTokens tokens = ClientTokens.withSecret(secret);
        String iss = args.get("iss", null);
        if (iss != null) {
            tokens = tokens.withIssuer(iss);
        }
        Duration ttl = args.duration("ttl", Duration.ofHours(1));
        try {
            out.println(
                    tokens.issue(args.required("sub"), CliArgs.list(args.required("plans")), ttl, args.flag("cmd")));
        } catch (IllegalArgumentException e) {
            throw new CliArgs.UsageException(e.getMessage());
        }
        out.flush();
        return 0;
    }
}
