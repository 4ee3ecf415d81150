package dev.loomchat.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The image's command lines without an engine: runs the exact ENTRYPOINT and HEALTHCHECK of the
 * Dockerfile's server stage, with its ENV, on this JVM against the packaged jar ({@code /app/}
 * mapped to {@code server/target/}), and chats through it: what {@code docker run} and
 * {@code docker stop} do. A fast check in the Maven build; {@code .ci/docker-e2e} then builds
 * and runs the real images with a real engine.
 */
class DockerEntrypointIT {

    private static final Path ROOT = Path.of(System.getProperty("loomchat.root", "..")).toAbsolutePath().normalize();
    private static final Path APP = ROOT.resolve("server/target");

    @org.junit.jupiter.api.io.TempDir
    Path data;

    @Test
    @Timeout(120)
    void entrypointServesChatAnswersHealthcheckAndStopsGracefullyOnSigterm() throws Exception {
        Stage server = Stage.read(ROOT.resolve("Dockerfile"), "server");
        assertEquals("0.0.0.0", server.env.get("LOOMCHAT_HOST"), "the image listens on all interfaces");
        int port = freePort();
        Map<String, String> env = new LinkedHashMap<>(server.env);
        env.put("LOOMCHAT_PORT", Integer.toString(port)); // docker run -e LOOMCHAT_PORT=...
        assertEquals("/data", server.env.get("LOOMCHAT_DATA"), "the image keeps its history on the /data volume");
        env.put("LOOMCHAT_DATA", data.toString()); // the volume, here a directory of the test's
        assertEquals("0.0.0.0:6667", server.env.get("LOOMCHAT_IRC"), "the image opens the IRC door on 6667");
        int ircPort = freePort();
        env.put("LOOMCHAT_IRC", "0.0.0.0:" + ircPort);
        assertEquals("0.0.0.0:8080", server.env.get("LOOMCHAT_HTTP"), "the image serves the web door on 8080");
        int httpPort = freePort();
        env.put("LOOMCHAT_HTTP", "0.0.0.0:" + httpPort);

        Process process = start(server.entrypoint, env);
        try {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("listening on 0.0.0.0:" + port, stdout.readLine());
            assertEquals("IRC door on 0.0.0.0:" + ircPort, stdout.readLine());
            try (Socket irc = new Socket("127.0.0.1", ircPort)) {
                BufferedReader ircIn = reader(irc);
                send(irc, "NICK ivy\r", "USER ivy 0 * :Ivy\r");
                awaitLine(ircIn, " 001 ivy ");
            }
            assertEquals("web chat on http://0.0.0.0:" + httpPort + "/", stdout.readLine());
            try (Socket http = new Socket("127.0.0.1", httpPort)) {
                http.getOutputStream().write(("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertTrue(reader(http).readLine().startsWith("HTTP/1.1 200"), "/healthz answers 200");
            }

            try (Socket alice = new Socket("127.0.0.1", port); Socket bob = new Socket("127.0.0.1", port)) {
                BufferedReader aliceIn = reader(alice);
                BufferedReader bobIn = reader(bob);
                send(alice, "{\"type\":\"hello\",\"nick\":\"alice\"}", "{\"type\":\"join\",\"room\":\"#docker\",\"ref\":\"j\"}");
                awaitLine(aliceIn, "\"type\":\"history\"");
                send(bob, "{\"type\":\"hello\",\"nick\":\"bob\"}", "{\"type\":\"join\",\"room\":\"#docker\",\"ref\":\"j\"}");
                awaitLine(bobIn, "\"type\":\"history\"");
                send(bob, "{\"type\":\"say\",\"room\":\"#docker\",\"text\":\"hello from bob\"}");
                assertTrue(awaitLine(aliceIn, "hello from bob").contains("\"from\":\"bob\""));

                Process health = start(server.healthcheck, env);
                assertTrue(health.waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, health.exitValue(), "HEALTHCHECK exit code");

                process.toHandle().destroy(); // SIGTERM, as docker stop sends
                awaitLine(aliceIn, "\"type\":\"shutdown\"");
                assertTrue(process.waitFor(30, TimeUnit.SECONDS), "stopped within docker stop's grace");
                assertEquals(0, process.exitValue(), "exit code after SIGTERM");
            }

            Process unhealthy = start(server.healthcheck, env);
            assertTrue(unhealthy.waitFor(60, TimeUnit.SECONDS));
            assertEquals(1, unhealthy.exitValue(), "HEALTHCHECK with no server");
        } finally {
            process.destroyForcibly();
        }
    }

    /** ENV, ENTRYPOINT and HEALTHCHECK CMD of one stage of the Dockerfile. */
    record Stage(Map<String, String> env, List<String> entrypoint, List<String> healthcheck) {

        static Stage read(Path dockerfile, String name) throws IOException {
            String text = Files.readString(dockerfile).replace("\\\n", " ");
            int from = text.indexOf(" AS " + name + "\n");
            assertTrue(from > 0, "stage " + name + " in " + dockerfile);
            int next = text.indexOf("\nFROM ", from);
            String stage = text.substring(from, next < 0 ? text.length() : next);
            Map<String, String> env = new LinkedHashMap<>();
            Matcher envLine = Pattern.compile("(?m)^ENV (.*)$").matcher(stage);
            while (envLine.find()) {
                Matcher pair = Pattern.compile("(\\w+)=(\\S+)").matcher(envLine.group(1));
                while (pair.find()) {
                    env.put(pair.group(1), pair.group(2));
                }
            }
            return new Stage(env, jsonArray(stage, "(?m)^ENTRYPOINT (\\[.*])$"),
                    jsonArray(stage, "(?m)^HEALTHCHECK .*?CMD (\\[.*])$"));
        }

        private static List<String> jsonArray(String stage, String regex) {
            Matcher matcher = Pattern.compile(regex).matcher(stage);
            assertTrue(matcher.find(), regex);
            List<String> words = new ArrayList<>();
            Matcher word = Pattern.compile("\"([^\"]*)\"").matcher(matcher.group(1));
            while (word.find()) {
                words.add(word.group(1).replace("/app/", APP + "/"));
            }
            return words;
        }
    }

    private static Process start(List<String> command, Map<String, String> env) throws IOException {
        List<String> line = new ArrayList<>(command);
        line.set(0, Path.of(System.getProperty("java.home"), "bin", "java").toString()); // the image's java
        ProcessBuilder builder = new ProcessBuilder(line).redirectError(ProcessBuilder.Redirect.INHERIT);
        builder.environment().putAll(env);
        return builder.start();
    }

    private static BufferedReader reader(Socket socket) throws IOException {
        socket.setSoTimeout(30_000);
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    private static void send(Socket socket, String... lines) throws IOException {
        OutputStream out = socket.getOutputStream();
        for (String line : lines) {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
    }

    /** Reads lines until one contains {@code needle} (bounded by the socket timeout). */
    private static String awaitLine(BufferedReader in, String needle) throws IOException {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.contains(needle)) {
                return line;
            }
        }
        throw new AssertionError("connection closed before a line containing " + needle);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
