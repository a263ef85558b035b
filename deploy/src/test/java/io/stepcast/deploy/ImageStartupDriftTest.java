package io.stepcast.deploy;

import static io.stepcast.deploy.Manifests.map;
import static io.stepcast.deploy.Manifests.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The start-up promises of the gateway image and the Cloud Run manifest: the image's JVM flags are
 * {@code deploy/aot/jvm.flags} (what the cache is trained with and the start-up benchmark measures),
 * the build trains the AOT cache on the runtime's own JVM at the runtime's jar path, the runtime
 * stage ships and uses it, and Cloud Run scales to zero with start-up CPU boost.
 */
class ImageStartupDriftTest {

    private final Path deploy = Manifests.deployDir();

    @Test
    void gatewayImageRunsWithTheFlagsTheCacheIsTrainedWithAndTheStartupBenchmarkMeasures() throws Exception {
        List<String> flags = Files.readAllLines(deploy.resolve("aot/jvm.flags")).stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList();
        List<Manifests.Instruction> docker = Manifests.dockerfile(deploy.resolve("docker/gateway.Dockerfile"));
        assertEquals(
                String.join(" ", flags),
                Manifests.dockerEnv(docker).get("JDK_JAVA_OPTIONS"),
                "gateway.Dockerfile JDK_JAVA_OPTIONS = deploy/aot/jvm.flags");
        // the Kubernetes config map sets the same variable, which replaces the image's
        assertEquals(
                String.join(" ", flags),
                str(map(Manifests.yaml(deploy.resolve("k8s/configmap.yaml")), "data")
                        .get("JDK_JAVA_OPTIONS")),
                "k8s/configmap.yaml JDK_JAVA_OPTIONS = deploy/aot/jvm.flags");
    }

    @Test
    void gatewayImageTrainsItsAotCacheOnTheRuntimeJvmAndStartsWithIt() {
        List<Manifests.Instruction> docker = Manifests.dockerfile(deploy.resolve("docker/gateway.Dockerfile"));
        List<Manifests.Instruction> last = Manifests.lastStage(docker);
        String entry = String.join("", Manifests.all(last, "ENTRYPOINT"));
        assertTrue(
                entry.contains("\"-XX:AOTCache=/app/gateway.aot\"") && entry.contains("\"/app/gateway.jar\""),
                "the entrypoint uses the cache: " + entry);
        assertTrue(
                Manifests.all(last, "COPY").stream().anyMatch(c -> c.endsWith(" /app/gateway.aot")),
                "the runtime stage ships the cache");
        String runtimeFrom = last.get(0).args();
        String training = null;
        String stageFrom = null;
        for (Manifests.Instruction i : docker) {
            if (i.keyword().equals("FROM")) {
                stageFrom = i.args();
            } else if (i.keyword().equals("RUN") && i.args().contains("io.stepcast.demo.AotTraining")) {
                training = i.args();
                assertEquals(
                        runtimeFrom,
                        stageFrom.replaceFirst("\\s+AS\\s+\\S+$", ""),
                        "the cache is trained on the runtime image's JVM (a cache only fits the JVM build it was made with)");
            }
        }
        assertTrue(training != null, "a build stage runs the training workload (io.stepcast.demo.AotTraining)");
        assertTrue(
                training.contains("--jar /app/gateway.jar") && training.contains("--cache /app/gateway.aot"),
                "trained at the runtime's jar path, cache where the entrypoint reads it: " + training);
        assertTrue(training.contains("jvm.flags"), "trained with the image's flags: " + training);
    }

    @Test
    void cloudRunScalesToZeroWithStartupCpuBoost() {
        Map<String, Object> run = Manifests.yaml(deploy.resolve("cloudrun/service.yaml"));
        Map<?, ?> annotations = map(run, "spec", "template", "metadata", "annotations");
        assertEquals("0", String.valueOf(annotations.get("autoscaling.knative.dev/minScale")), "min instances 0");
        assertEquals("true", String.valueOf(annotations.get("run.googleapis.com/startup-cpu-boost")));
        assertEquals(
                "1",
                str(ManifestConfigDriftTest.cloudRunContainer(), "startupProbe", "periodSeconds"),
                "the startup probe checks every second: a cold instance takes traffic as soon as it answers");
    }
}
