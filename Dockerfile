# loomchat: the chat server (target "server", the default) and the console client (target
# "client"), each on a Java runtime trimmed with jlink. README "Docker" says how to run them;
# docker-compose.yml builds both.
#   docker build -t loomchat-server .
#   docker build -t loomchat-client --target client .
#
# Build arguments (docker-compose.yml passes them from LOOMCHAT_JARS, LOOMCHAT_JDK_IMAGE and
# LOOMCHAT_BASE_IMAGE):
#   JARS        maven (default): build the jars in here with ./mvnw (only Docker needed);
#               host: copy the jars built on the host beforehand with
#               `./mvnw -B -pl server,client -am package -DskipTests` (what the tests do).
#   JDK_IMAGE   the JDK that builds the jars (JARS=maven) and runs jlink.
#   BASE_IMAGE  the OS under the runtime.
# The tests set JDK_IMAGE and BASE_IMAGE to Debian images made locally (.ci/docker-bases).
# Needs BuildKit (the default builder of current Docker; DOCKER_BUILDKIT=1 on older ones).
ARG JDK_IMAGE=eclipse-temurin:21-jdk
ARG BASE_IMAGE=debian:trixie-slim
ARG JARS=maven

# ---- jars, built here: the Maven wrapper and pinned versions, as a local build ------------
FROM ${JDK_IMAGE} AS jars-maven
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn/ .mvn/
# Every module's pom (the parent lists them all); sources only of what the two apps are made of.
COPY examples/pom.xml examples/
COPY bench/pom.xml bench/
COPY socketserver/pom.xml socketserver/
COPY socketserver/src/main/ socketserver/src/main/
COPY protocol/pom.xml protocol/
COPY protocol/src/main/ protocol/src/main/
COPY server/pom.xml server/
COPY server/src/main/ server/src/main/
COPY client/pom.xml client/
COPY client/src/main/ client/src/main/
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -pl server,client -am package -Dmaven.test.skip=true \
 && mkdir -p /out/server /out/client \
 && cp -r server/target/loomchat-server.jar server/target/lib /out/server/ \
 && cp -r client/target/loomchat-client.jar client/target/lib /out/client/

# ---- jars, built on the host --------------------------------------------------------------
FROM ${BASE_IMAGE} AS jars-host
COPY server/target/loomchat-server.jar /out/server/
COPY server/target/lib/ /out/server/lib/
COPY client/target/loomchat-client.jar /out/client/
COPY client/target/lib/ /out/client/lib/
# Readable by the runtime user whatever the host's umask was.
RUN chmod -R a+rX,go-w /out

FROM jars-${JARS} AS jars

# ---- one trimmed runtime for both apps (one shared layer) ---------------------------------
FROM ${JDK_IMAGE} AS runtime
COPY --from=jars /out/ /jars/
# What the apps need (jdeps --list-deps, then read where it reports a module):
#   java.base; java.logging (JLine's and Reactor's logging, Netty's fallback); java.xml
#   (Jackson's optional-type table is built at start and names DOM types); java.naming and
#   jdk.naming.dns (Netty's DNS resolver asks JNDI for name servers, for Lettuce in cluster
#   mode); jdk.jfr (Lettuce's events); jdk.random (RandomGenerator.getDefault(), found as a
#   service, so jdeps cannot see it: the client's reconnect jitter); jdk.unsupported
#   (sun.misc.Signal: the server's graceful stop, JLine's signals; Netty's Unsafe); java.sql
#   (the history store's JDBC driver, sqlite-jdbc); java.management and jdk.management (the web
#   door's /metrics: Micrometer's JVM meters).
# Modules that only optional code paths use, left out on purpose: java.desktop (Jackson's
# java.beans support, JLine's builtins), java.rmi (junixsocket's RMI support).
# The build fails when jdeps reports a module in neither list, so a new dependency cannot
# silently miss one. zip-6 halves the class files for about 80 ms more per JVM start; a CDS
# archive (+13 MB) saved no more than that, so there is none. --strip-java-debug-attributes,
# not --strip-debug: the JDK's native libraries come stripped, and Debian's jlink would need
# objcopy for them.
ARG MODULES=java.base,java.logging,java.management,java.naming,java.sql,java.xml,jdk.jfr,jdk.management,jdk.naming.dns,jdk.random,jdk.unsupported
ARG OPTIONAL_MODULES=java.desktop,java.rmi
RUN set -eu; \
    for app in server client; do \
      jdeps -q --ignore-missing-deps --multi-release 21 --list-deps \
            --class-path "/jars/$app/lib/*" "/jars/$app/loomchat-$app.jar" >"/tmp/$app.deps"; \
      for module in $(sed -n 's|^ *\([a-z][a-z0-9.]*\)\(/.*\)\{0,1\}$|\1|p' "/tmp/$app.deps"); do \
        case ",$MODULES,$OPTIONAL_MODULES," in \
          *",$module,"*) ;; \
          *) echo "jdeps: the $app needs $module: add it to MODULES or OPTIONAL_MODULES" >&2; exit 1 ;; \
        esac; \
      done; \
    done; \
    jlink --add-modules "$MODULES" --strip-java-debug-attributes --no-man-pages --no-header-files \
          --compress=zip-6 --output /opt/java

# ---- the OS, the runtime and a non-root user ----------------------------------------------
FROM ${BASE_IMAGE} AS os
RUN groupadd --system --gid 10001 loomchat \
 && useradd --system --uid 10001 --gid loomchat --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin loomchat \
 && install -d -o loomchat -g loomchat -m 700 /data
COPY --from=runtime /opt/java/ /opt/java/
ENV JAVA_HOME=/opt/java \
    PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8
WORKDIR /app

# ---- client -------------------------------------------------------------------------------
FROM os AS client
COPY --from=jars /out/client/ /app/
USER loomchat
# docker-compose.yml's client service repeats this line with --host server (a run's arguments
# replace CMD, so the server's address cannot live there).
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", "/app/loomchat-client.jar"]

# ---- server (default target) --------------------------------------------------------------
FROM os AS server
COPY --from=jars /out/server/ /app/
USER loomchat
# Every server option has an environment variable (./loomchat server --help); inside a
# container the server must listen on all interfaces. The web door (chat page, /ws, /healthz,
# /metrics) is on in the image, on 8080: the container is the boundary, docker-compose.yml
# publishes it on loopback.
ENV LOOMCHAT_HOST=0.0.0.0 \
    LOOMCHAT_PORT=9999 \
    LOOMCHAT_DATA=/data \
    LOOMCHAT_IRC=0.0.0.0:6667 \
    LOOMCHAT_HTTP=0.0.0.0:8080
# The history store (README "History store"): a new volume takes /data's owner (loomchat) from here.
VOLUME /data
EXPOSE 9999 6667 8080
# Exec form, so the JVM is PID 1 and gets `docker stop`'s SIGTERM: it sends `shutdown` to every
# client, lets their queues flush for --shutdown-grace (5 s) and exits 0. Heap: a share of the
# container's memory; on OutOfMemoryError exit, and the restart policy takes over.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED", "-jar", "/app/loomchat-server.jar"]
# Talks the real protocol (ping, expects pong), then asks the web door's /healthz (200; 503
# while draining): exit 0 healthy, 1 not. A second, small JVM (C1 only, serial GC, 32 MB
# heap) that starts in well under a second.
HEALTHCHECK --interval=15s --timeout=10s --start-period=30s --retries=3 \
  CMD ["java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xmx32m", "-jar", "/app/loomchat-server.jar", "--healthcheck"]
