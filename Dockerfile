# loomchat: the chat server (default target) and the console client (target "client").
#   docker build -t loomchat .                        server image
#   docker build -t loomchat-client --target client . client image
# Both are built by the same Maven wrapper and pinned versions as a local build.

# ---- build: Maven wrapper + JDK 21 --------------------------------------------------------
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
COPY socketserver/ socketserver/
COPY examples/pom.xml examples/
COPY protocol/ protocol/
COPY server/ server/
COPY client/ client/
COPY bench/pom.xml bench/
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl server,client -am package -DskipTests \
 && mkdir -p /out/server /out/client \
 && cp -r server/target/loomchat-server.jar server/target/lib /out/server/ \
 && cp -r client/target/loomchat-client.jar client/target/lib /out/client/

# ---- client runtime -----------------------------------------------------------------------
FROM eclipse-temurin:21-jre AS client
RUN groupadd --system --gid 10001 loomchat \
 && useradd --system --uid 10001 --gid loomchat --no-create-home --shell /usr/sbin/nologin loomchat
WORKDIR /app
COPY --from=build /out/client/ /app/
USER loomchat
ENV LANG=C.UTF-8
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", "/app/loomchat-client.jar"]

# ---- server runtime (default target) ------------------------------------------------------
FROM eclipse-temurin:21-jre AS server
RUN groupadd --system --gid 10001 loomchat \
 && useradd --system --uid 10001 --gid loomchat --no-create-home --shell /usr/sbin/nologin loomchat
WORKDIR /app
COPY --from=build /out/server/ /app/
USER loomchat
# Every server option has an environment variable (./loomchat server --help); inside a
# container the server must listen on all interfaces.
ENV LANG=C.UTF-8 \
    LOOMCHAT_HOST=0.0.0.0 \
    LOOMCHAT_PORT=9999
EXPOSE 9999
# Exec form: SIGTERM from `docker stop` reaches the JVM, which shuts down gracefully
# (clients get a `shutdown` frame) and exits 0. Heap is a share of the container's memory.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED", "-jar", "/app/loomchat-server.jar"]
# Talks the real protocol: connects, sends ping, expects pong (exit 0) or fails (exit 1).
# (No --start-period: the pinned dockerfilelint mis-parses it; the server is up in about a
# second, and docker-compose.yml sets start_period anyway.)
HEALTHCHECK --interval=15s --timeout=5s --retries=3 CMD ["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx32m", "-cp", "/app/loomchat-server.jar", "dev.loomchat.server.ChatServerMain", "--healthcheck"]
