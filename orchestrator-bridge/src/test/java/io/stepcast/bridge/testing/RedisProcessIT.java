package io.stepcast.bridge.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Throwaway Redis processes: stop, kill, restart on the same port, AOF keeps data. */
class RedisProcessIT {

    static Stream<Path> executables() {
        List<Path> exes = new ArrayList<>();
        RedisExecutables.onPath().ifPresent(exes::add);
        exes.add(RedisExecutables.embeddedBinary());
        return exes.stream();
    }

    @ParameterizedTest
    @MethodSource("executables")
    void stopThenStartComesBackOnTheSamePortWithoutData(Path exe) throws IOException {
        try (RedisProcess redis =
                TestRedis.startThrowaway(RedisProcess.Options.defaults().withExecutable(exe))) {
            int port = redis.port();
            Resp.call(redis.uri(), "SET", "k", "v");
            redis.stop();
            assertFalse(redis.isRunning());
            assertFalse(Resp.ping("127.0.0.1", port, 500));
            redis.start();
            assertEquals(port, redis.port());
            assertNull(Resp.call(redis.uri(), "GET", "k"));
        }
    }

    @ParameterizedTest
    @MethodSource("executables")
    void aofKeepsDataAcrossKillAndRestart(Path exe) throws IOException {
        try (RedisProcess redis = TestRedis.startThrowaway(
                RedisProcess.Options.defaults().withAof().withExecutable(exe))) {
            Resp.call(redis.uri(), "SET", "k", "kept");
            redis.kill();
            assertFalse(redis.isRunning());
            redis.start();
            assertEquals("kept", Resp.call(redis.uri(), "GET", "k"));
            Resp.call(redis.uri(), "SET", "k2", "also");
            redis.stop();
            redis.start();
            assertEquals("also", Resp.call(redis.uri(), "GET", "k2"));
        }
    }

    @ParameterizedTest
    @MethodSource("executables")
    void closeKillsTheProcessAndRemovesItsDirectory(Path exe) {
        RedisProcess redis =
                TestRedis.startThrowaway(RedisProcess.Options.defaults().withExecutable(exe));
        int port = redis.port();
        redis.close();
        assertFalse(Resp.ping("127.0.0.1", port, 500));
        assertFalse(redis.dir().toFile().exists());
        assertTrue(redis.toString().contains(Integer.toString(port)));
    }
}
