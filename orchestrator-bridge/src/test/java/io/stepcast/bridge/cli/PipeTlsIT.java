package io.stepcast.bridge.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.stepcast.bridge.testing.RedisProcess;
import io.stepcast.bridge.testing.Resp;
import io.stepcast.bridge.testing.TestRedis;
import io.stepcast.bridge.testing.TestTls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code pipe --redis rediss://… --redis-tls-ca/-cert/-key} publishes over mutual TLS; misuse is a usage error. */
class PipeTlsIT {

    private static int pipe(String stdin, ByteArrayOutputStream err, String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "pipe";
        System.arraycopy(args, 0, argv, 1, args.length);
        return BridgeCli.run(
                argv,
                Map.of(),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void pipePublishesOverMutualTlsWithThePrivateCaAndAClientCertificate() throws Exception {
        TestTls.assumeAvailable();
        TestTls tls = TestTls.generate();
        String plan = "pipe-tls-" + UUID.randomUUID();
        try (RedisProcess redis =
                TestRedis.startThrowaway(RedisProcess.Options.defaults().withTls(tls))) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int rc = pipe(
                    "{\"plan_id\":\"" + plan
                            + "\",\"event\":\"plan_started\",\"data\":{\"name\":\"t\",\"steps\":[\"a\"]}}\n",
                    err,
                    "--redis",
                    redis.tlsUri(),
                    "--redis-tls-ca",
                    tls.caFile().toString(),
                    "--redis-tls-cert",
                    tls.client(true).certFile().toString(),
                    "--redis-tls-key",
                    tls.client(true).keyFile().toString());
            assertEquals(0, rc, err::toString);
            assertEquals(1L, Resp.call(redis.uri(), "XLEN", "stepcast:{" + plan + "}:log"), err::toString);
        }
    }

    @Test
    void tlsFlagsWithAPlainRedisUriAreAUsageError() throws Exception {
        TestTls.assumeAvailable();
        TestTls tls = TestTls.generate();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = pipe(
                "",
                err,
                "--redis",
                "redis://127.0.0.1:1",
                "--redis-tls-ca",
                tls.caFile().toString());
        assertEquals(2, rc, err::toString);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("rediss://"), err::toString);
    }
}
