# syntax=docker/dockerfile:1.7
# Stepcast gateway image. Build from the repository root:
#   docker build -f deploy/docker/gateway.Dockerfile -t stepcast/gateway:dev .
# (deploy/docker/gateway.Dockerfile.dockerignore keeps the context small.)
#
# Not built on the project's CI machine: it has no Docker engine. deploy's ManifestDriftTest checks
# this file against the application (port, health path, configuration keys) instead.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY orchestrator-bridge/pom.xml orchestrator-bridge/
COPY gateway/pom.xml gateway/
COPY deploy/demo/pom.xml deploy/demo/
COPY deploy/pom.xml deploy/
COPY orchestrator-bridge/src orchestrator-bridge/src
COPY gateway/src gateway/src
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl gateway -am package -DskipTests \
 && mkdir -p /out \
 && cp "$(ls gateway/target/gateway-*.jar | grep -v -E '(original-|-sources|-javadoc|-tests)' | head -n 1)" /out/gateway.jar

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 stepcast \
 && useradd --system --uid 10001 --gid stepcast --home-dir /app --no-create-home --shell /usr/sbin/nologin stepcast
WORKDIR /app
COPY --from=build --chown=10001:10001 /out/gateway.jar /app/gateway.jar
USER 10001:10001

# Container-sized heap (the JVM reads the cgroup limit), die rather than limp on OOM so the
# orchestrator restarts the instance (clients resume elsewhere), and no JIT warm-up surprises from
# a tiny code cache. JDK_JAVA_OPTIONS is read by the java launcher; add to it, do not replace it.
ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:InitialRAMPercentage=50 -XX:+ExitOnOutOfMemoryError -XX:+UseG1GC -XX:MaxGCPauseMillis=50 -Dfile.encoding=UTF-8" \
    MICRONAUT_SERVER_PORT=8080

EXPOSE 8080

# Liveness, not readiness: a gateway whose Redis is away is alive (it reports not-ready and
# reconnects); restarting it would not help. bash's /dev/tcp: the JRE image has no curl.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /health/liveness HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]

# Exec form: java is PID 1 and receives SIGTERM itself, so the graceful drain runs.
ENTRYPOINT ["java", "-jar", "/app/gateway.jar"]
