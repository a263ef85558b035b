# syntax=docker/dockerfile:1.7
# Stepcast gateway image: JDK 25 with an AOT cache trained in the build. Build from the repository root:
#   docker build -f deploy/docker/gateway.Dockerfile -t stepcast/gateway:dev .
# (deploy/docker/gateway.Dockerfile.dockerignore keeps the context small.)
#
# Not built on the project's CI machine: it has no Docker engine. deploy's ManifestConfigDriftTest and
# ManifestOperationsDriftTest check this file against the application (port, health path, configuration
# keys, JVM flags = deploy/aot/jvm.flags, the cache trained and used) instead.

# 1. The production gateway jar and the demo module (embedded Redis + training workload).
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY orchestrator-bridge/pom.xml orchestrator-bridge/
COPY gateway/pom.xml gateway/
COPY deploy/demo/pom.xml deploy/demo/
COPY deploy/pom.xml deploy/
COPY orchestrator-bridge/src orchestrator-bridge/src
COPY gateway/src gateway/src
COPY deploy/demo/src deploy/demo/src
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl deploy/demo -am package -DskipTests \
 && mkdir -p /out/demo \
 && cp "$(ls gateway/target/gateway-*.jar | grep -v -E '(original-|-sources|-javadoc|-tests)' | head -n 1)" /out/gateway.jar \
 && cp "$(ls deploy/demo/target/demo-*.jar | grep -v -E '(-sources|-javadoc|-tests)' | head -n 1)" /out/demo/demo.jar \
 && cp -r deploy/demo/target/lib /out/demo/lib

# 2. Training on the runtime image's own JVM (an AOT cache only fits the JVM build and the jar path,
#    size and time stamp it was made with): embedded Redis, simulated orchestrator, WebSocket, SSE,
#    long-poll and poll clients against /app/gateway.jar with the image's flags; writes /app/gateway.aot.
FROM eclipse-temurin:25-jre AS train
WORKDIR /app
COPY --from=build /out/gateway.jar /app/gateway.jar
COPY --from=build /out/demo/ /opt/demo/
COPY deploy/aot/jvm.flags /opt/demo/jvm.flags
RUN java -cp /opt/demo/demo.jar io.stepcast.demo.AotTraining --java "$JAVA_HOME/bin/java" \
      --jar /app/gateway.jar --cache /app/gateway.aot --seconds 30 \
      --jvm-opts "$(grep -v '^#' /opt/demo/jvm.flags | tr '\n' ' ')"

# 3. The runtime: the jar and its cache, nothing of the demo.
FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 stepcast \
 && useradd --system --uid 10001 --gid stepcast --home-dir /app --no-create-home --shell /usr/sbin/nologin stepcast
WORKDIR /app
COPY --from=train --chown=10001:10001 /app/gateway.jar /app/gateway.jar
COPY --from=train --chown=10001:10001 /app/gateway.aot /app/gateway.aot
USER 10001:10001

# deploy/aot/jvm.flags, space-separated (the drift test checks they are the same): heap from the
# container's memory limit, G1 with short pauses (also on 1 CPU, where the JVM would pick the serial
# collector), slower to grow the heap in a connection storm (GCTimeRatio) and giving it back when idle
# (Min/MaxHeapFreeRatio, G1PeriodicGCInterval), die rather than limp
# on OOM so the platform replaces the instance (clients resume elsewhere), smaller thread stacks.
# JDK_JAVA_OPTIONS is read by the java launcher; add to it, do not replace it.
# MALLOC_ARENA_MAX=2: glibc keeps at most 2 malloc arenas instead of 8 per core for the JVM's native
# allocations (deploy/aot/launch.sh and the load benchmark set the same).
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+UseG1GC -XX:MaxGCPauseMillis=50 -XX:GCTimeRatio=4 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:G1PeriodicGCInterval=2000 -XX:+ExitOnOutOfMemoryError -Xss512k -Dfile.encoding=UTF-8" \
    MALLOC_ARENA_MAX=2 \
    MICRONAUT_SERVER_PORT=8080

EXPOSE 8080

# Liveness, not readiness: a gateway whose Redis is away is alive (it reports not-ready and
# reconnects); restarting it would not help. bash's /dev/tcp: the JRE image has no curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/liveness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

# Exec form: java is PID 1 and receives SIGTERM itself, so the graceful drain runs. The AOT cache
# (JDK 25) is used when it fits this JVM and jar; otherwise the JVM says so once and starts normally.
ENTRYPOINT ["java", "-XX:AOTCache=/app/gateway.aot", "-jar", "/app/gateway.jar"]
