# syntax=docker/dockerfile:1.7
# Stepcast orchestrator-bridge CLI image (subcommands: pipe, demo, token). Build from the repository root:
#   docker build -f deploy/docker/bridge-cli.Dockerfile -t stepcast/bridge-cli:dev .
#   docker run --rm stepcast/bridge-cli:dev demo --redis redis://redis:6379
#
# Not built on the project's CI machine: it has no Docker engine.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
COPY orchestrator-bridge/pom.xml orchestrator-bridge/
COPY gateway/pom.xml gateway/
COPY deploy/demo/pom.xml deploy/demo/
COPY deploy/pom.xml deploy/
COPY orchestrator-bridge/src orchestrator-bridge/src
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl orchestrator-bridge package -DskipTests \
 && mkdir -p /out \
 && cp "$(ls orchestrator-bridge/target/orchestrator-bridge-*-cli.jar | head -n 1)" /out/bridge-cli.jar

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 stepcast \
 && useradd --system --uid 10001 --gid stepcast --home-dir /app --no-create-home --shell /usr/sbin/nologin stepcast
WORKDIR /app
COPY --from=build --chown=10001:10001 /out/bridge-cli.jar /app/bridge-cli.jar
USER 10001:10001

ENV JDK_JAVA_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Dfile.encoding=UTF-8"

# The CLI serves no port: `pipe` lives as long as its stdin, `demo` as long as it is wanted, and
# both exit non-zero when they cannot publish. Liveness is the process itself.
HEALTHCHECK NONE

# Exec form: java is PID 1, SIGTERM flushes the publisher's buffer before exit.
ENTRYPOINT ["java", "-jar", "/app/bridge-cli.jar"]
CMD ["--help"]
