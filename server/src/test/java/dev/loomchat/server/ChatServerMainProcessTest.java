package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ServerMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Option;

/**
 * {@link ChatServerMain} as a separate process, as {@code ./loomchat server} runs it: the
 * {@code listening on} line, SIGTERM = graceful shutdown and exit 0, {@code --healthcheck},
 * {@code --help}, and bad options.
 */
@Timeout(120)
class ChatServerMainProcessTest {

    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");
    private static final long GRACE_SECONDS = 2;
    /** Process start-up and exit on a busy 2-core machine: an upper bound only. */
    private static final long MARGIN_SECONDS = 30;

    @TempDir
    Path temp;

    private ProcessBuilder java(String... args) {
        return java(List.of(), args);
    }

    private ProcessBuilder java(List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ChatServerMain.class.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("LOOMCHAT_DATA", "none"); // these tests are not about the store
        return builder;
    }

    /** Runs to completion; returns exit code, stdout and stderr. */
    private Result run(String... args) throws Exception {
        Path out = Files.createTempFile(temp, "out", ".txt");
        Path err = Files.createTempFile(temp, "err", ".txt");
        Process process = java(args).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(MARGIN_SECONDS, TimeUnit.SECONDS)) {
                fail("ChatServerMain " + String.join(" ", args) + " did not exit within " + MARGIN_SECONDS + " s");
            }
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            process.destroyForcibly();
        }
    }

    record Result(int exitCode, String out, String err) {
    }

    @Test
    void sigtermSendsShutdownToEveryClientAndExitsZeroWithinTheGracePeriod() throws Exception {
        Path err = Files.createTempFile(temp, "server", ".log");
        Process server = java("--port", "0", "--shutdown-grace", GRACE_SECONDS + "s", "--stats-interval", "0",
                "--msg-rate", "0").redirectError(err.toFile()).start();
        try {
            InetSocketAddress address = awaitListening(server);
            try (TestClient alice = TestClient.connect(address);
                 TestClient bob = TestClient.connect(address)) {
                alice.hello("alice");
                bob.hello("bob");
                alice.join("#r");
                bob.join("#r");
                ServerMessage.ChatMessage hi = alice.say("#r", "hi");
                assertEquals(hi.withRef(null), bob.next(ServerMessage.ChatMessage.class));

                Result health = run("--healthcheck", "--host", address.getHostString(),
                        "--port", Integer.toString(address.getPort()));
                assertEquals(0, health.exitCode(), health::toString);
                assertTrue(health.out().contains("healthy"), health::toString);

                long signalled = System.nanoTime();
                server.toHandle().destroy(); // SIGTERM

                for (TestClient client : List.of(alice, bob)) {
                    List<ServerMessage> last = client.readUntilClosed();
                    assertEquals("shutdown", last.getLast().type(), () -> client + " got " + last);
                    assertTrue(last.stream().noneMatch(m -> m instanceof ServerMessage.Parted), last::toString);
                }
                assertTrue(server.waitFor(GRACE_SECONDS + MARGIN_SECONDS, TimeUnit.SECONDS), "the server did not exit");
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - signalled);
                assertEquals(0, server.exitValue(), () -> "exit code; log:\n" + read(err));
                assertTrue(seconds <= GRACE_SECONDS + MARGIN_SECONDS, "exited after " + seconds + " s");
            }
            Result health = run("--healthcheck", "--host", address.getHostString(),
                    "--port", Integer.toString(address.getPort()));
            assertEquals(1, health.exitCode(), health::toString);
            assertTrue(health.out().startsWith("unhealthy"), health::toString);
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void aSecondSignalExitsAtOnceWhileTheFirstIsStillFlushing() throws Exception {
        // A client that does not read keeps the graceful close waiting for the whole (long) grace
        // period; the second SIGTERM must not wait for it.
        Path err = Files.createTempFile(temp, "server", ".log");
        Process server = java("--port", "0", "--shutdown-grace", "60s", "--stats-interval", "0", "--msg-rate", "0",
                "--outbox-bytes", Integer.toString(32 << 20)).redirectError(err.toFile()).start();
        try {
            InetSocketAddress address = awaitListening(server);
            try (TestClient talker = TestClient.connect(address);
                 TestClient stuck = TestClient.connect(address, TestClient.READ_TIMEOUT, 4096)) {
                stuck.hello("stuck");
                stuck.join("#r");
                talker.hello("talker");
                talker.join("#r");
                int messages = 3000; // 12 MB: more than the stuck client's TCP buffers hold
                FutureTask<Void> talk = new FutureTask<>(() -> {
                    String text = "x".repeat(4000);
                    for (int i = 0; i < messages; i++) {
                        talker.send(new ClientMessage.Say("#r", text));
                    }
                    return null;
                });
                Thread.ofVirtual().start(talk);
                for (int copies = 0; copies < messages; ) {
                    if (talker.next() instanceof ServerMessage.ChatMessage) {
                        copies++;
                    }
                }
                talk.get(30, TimeUnit.SECONDS);

                server.toHandle().destroy();
                assertEquals("shutdown", talker.readUntilClosed().getLast().type());
                assertTrue(server.isAlive(), "still flushing to the stuck client");
                long signalled = System.nanoTime();
                server.toHandle().destroy();

                assertTrue(server.waitFor(MARGIN_SECONDS, TimeUnit.SECONDS), "the second signal did not end it");
                assertEquals(128 + 15, server.exitValue(), () -> "exit code; log:\n" + read(err));
                long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - signalled);
                assertTrue(seconds < 60, "exited after " + seconds + " s, not at once");
            }
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void onOneCpuTheVirtualThreadSchedulerGetsTwoCarriers() throws Exception {
        // CarrierThreads: with one carrier a saturated server leaves new connections' threads unstarted.
        assertEquals(2, carriersOfAServerWith(List.of("-XX:ActiveProcessorCount=1")));
        // The operator's own choice is kept.
        assertEquals(3, carriersOfAServerWith(List.of("-XX:ActiveProcessorCount=1",
                "-D" + CarrierThreads.PARALLELISM + "=3")));
    }

    /** Starts the server with {@code jvmOptions} and asks it (jcmd) for its scheduler's parallelism. */
    private int carriersOfAServerWith(List<String> jvmOptions) throws Exception {
        Process server = java(jvmOptions, "--port", "0", "--stats-interval", "0")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            awaitListening(server);
            Path jcmd = Paths.get(System.getProperty("java.home"), "bin", "jcmd");
            Process query = new ProcessBuilder(jcmd.toString(), Long.toString(server.pid()), "Thread.vthread_scheduler")
                    .redirectErrorStream(true).start();
            String out = new String(query.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(query.waitFor(MARGIN_SECONDS, TimeUnit.SECONDS), "jcmd did not exit");
            Matcher parallelism = Pattern.compile("parallelism = (\\d+)").matcher(out);
            assertTrue(parallelism.find(), () -> "no parallelism in jcmd's answer:\n" + out);
            return Integer.parseInt(parallelism.group(1));
        } finally {
            TestProcesses.stop(server, java.time.Duration.ofSeconds(MARGIN_SECONDS));
        }
    }

    /** Reads the server's stdout until its {@code listening on HOST:PORT} line. */
    private static InetSocketAddress awaitListening(Process server) throws Exception {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<InetSocketAddress> listening = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line; (line = out.readLine()) != null; ) {
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        return new InetSocketAddress(matcher.group(1), Integer.parseInt(matcher.group(2)));
                    }
                }
                throw new IllegalStateException("the server exited without a listening line");
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return listening.get(MARGIN_SECONDS, TimeUnit.SECONDS);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void environmentVariablesSetTheOptions() throws Exception {
        ProcessBuilder builder = java().redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().putAll(java.util.Map.of("LOOMCHAT_PORT", "0", "LOOMCHAT_MAX_LINE_BYTES", "2048",
                "LOOMCHAT_HISTORY", "7", "LOOMCHAT_PASSWORD", "from-env", "LOOMCHAT_STATS_INTERVAL", "0"));
        Process server = builder.start();
        try {
            InetSocketAddress address = awaitListening(server);
            try (TestClient client = TestClient.connect(address)) {
                client.send(new ClientMessage.Hello("alice", null, null, null, "no"));
                assertEquals(dev.loomchat.protocol.ErrorCode.BAD_PASSWORD, client.next(ServerMessage.Error.class).code());
                client.send(new ClientMessage.Hello("alice", "from-env", null, null, "yes"));
                ServerMessage.Welcome welcome = client.next(ServerMessage.Welcome.class);
                assertEquals(2048, welcome.limits().maxLineBytes());
                assertEquals(7, welcome.limits().historyLength());
            }
            server.toHandle().destroy();
            assertTrue(server.waitFor(MARGIN_SECONDS, TimeUnit.SECONDS));
            assertEquals(0, server.exitValue());
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void healthcheckAgainstAClosedPortExitsOne() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        Result result = run("--healthcheck", "--host", "127.0.0.1", "--port", Integer.toString(port));

        assertEquals(1, result.exitCode(), result::toString);
        assertTrue(result.out().startsWith("unhealthy"), result::toString);
    }

    @Test
    void helpListsEveryOptionAndExitsZero() throws Exception {
        Result result = run("--help");

        assertEquals(0, result.exitCode(), result::toString);
        List<String> names = new ArrayList<>(List.of("--help", "--version"));
        for (Field field : ChatServerMain.class.getDeclaredFields()) {
            Option option = field.getAnnotation(Option.class);
            if (option != null) {
                names.addAll(List.of(option.names()));
            }
        }
        assertTrue(names.size() > 15, names::toString);
        for (String name : names) {
            assertTrue(result.out().contains(name), () -> name + " missing from --help:\n" + result.out());
        }
    }

    @Test
    void anUnknownOptionExitsTwoWithAOneLineMessage() throws Exception {
        Result result = run("--no-such-option");

        assertEquals(2, result.exitCode(), result::toString);
        assertEquals(1, result.err().strip().lines().count(), result::toString);
        assertTrue(result.err().startsWith("loomchat server: "), result::toString);
        assertTrue(result.err().contains("--no-such-option"), result::toString);
    }

    @Test
    void anOutOfRangeValueExitsTwoWithAOneLineMessage() throws Exception {
        Result badNumber = run("--port", "not-a-port");
        assertEquals(2, badNumber.exitCode(), badNumber::toString);
        assertEquals(1, badNumber.err().strip().lines().count(), badNumber::toString);

        Result outOfRange = run("--max-line-bytes", "10", "--port", "0");
        assertEquals(2, outOfRange.exitCode(), outOfRange::toString);
        assertEquals(1, outOfRange.err().strip().lines().count(), outOfRange::toString);
        assertTrue(outOfRange.err().contains("maxLineBytes"), outOfRange::toString);
    }

    @Test
    void anUnknownLogLevelIsRefusedWithAOneLineMessage() throws Exception {
        Result result = run("--log-level", "verbose", "--port", "0");

        assertEquals(2, result.exitCode(), result::toString);
        assertEquals(1, result.err().strip().lines().count(), result::toString);
        assertTrue(result.err().contains("verbose") && result.err().contains("trace"), result::toString);
    }

    @Test
    void aBadIrcAddressOrAMotdWithoutTheIrcDoorExitsTwoWithAOneLineMessage() throws Exception {
        Result bad = run("--port", "0", "--irc", "nowhere");
        assertEquals(2, bad.exitCode(), bad::toString);
        assertEquals(1, bad.err().strip().lines().count(), bad::toString);
        assertTrue(bad.err().contains("HOST:PORT"), bad::toString);

        Result motd = run("--port", "0", "--motd", temp.resolve("motd.txt").toString());
        assertEquals(2, motd.exitCode(), motd::toString);
        assertTrue(motd.err().contains("--irc"), motd::toString);

        Result missing = run("--port", "0", "--irc", "127.0.0.1:0", "--motd", temp.resolve("none.txt").toString());
        assertEquals(2, missing.exitCode(), missing::toString);
        assertTrue(missing.err().contains("cannot read --motd"), missing::toString);
    }

    @Test
    void aFailedStartSaysItsErrorOnlyNotStopped() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Result result = run("--port", Integer.toString(taken.getLocalPort()));

            assertEquals(1, result.exitCode(), result::toString);
            assertTrue(result.err().contains("cannot listen on"), result::toString);
            assertTrue(!result.err().contains("stopped"), result::toString);
        }
    }

    @Test
    void outOfMemoryEndsTheProcessWithANonZeroStatusAsTheLauncherRunsIt() throws Exception {
        // The launcher's and the Docker image's flag; a small heap that 1,500 half-sent 60 KB
        // lines (each buffered up to --max-line-bytes, the per-connection bound) exceed.
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("-Xmx32m", "-XX:+ExitOnOutOfMemoryError", "-cp", System.getProperty("java.class.path"),
                ChatServerMain.class.getName(), "--port", "0", "--msg-rate", "0", "--stats-interval", "0",
                "--data", "none", "--exempt-loopback")); // 1,500 connections from 127.0.0.1
        Path err = Files.createTempFile(temp, "oom", ".log");
        Process server = new ProcessBuilder(command).redirectError(err.toFile()).start();
        List<java.net.Socket> clients = new ArrayList<>();
        try {
            java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(server.getInputStream()));
            Matcher listening = LISTENING.matcher(out.readLine());
            assertTrue(listening.find());
            int port = Integer.parseInt(listening.group(2));
            byte[] halfLine = ("{\"type\":\"hello\",\"nick\":\"" + "x".repeat(60_000)).getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 1500 && server.isAlive(); i++) {
                try {
                    java.net.Socket socket = new java.net.Socket("127.0.0.1", port);
                    clients.add(socket);
                    socket.getOutputStream().write(halfLine);
                } catch (IOException e) {
                    break; // the server is gone
                }
            }
            assertTrue(server.waitFor(MARGIN_SECONDS, TimeUnit.SECONDS), "the server exits instead of limping on");
            assertTrue(server.exitValue() != 0, "non-zero exit status: " + server.exitValue());
            // The JVM says why on stdout ("Terminating due to java.lang.OutOfMemoryError: ...").
            String said = out.lines().collect(java.util.stream.Collectors.joining("\n")) + read(err);
            assertTrue(said.contains("OutOfMemoryError"), () -> "output: " + said);
        } finally {
            for (java.net.Socket socket : clients) {
                socket.close();
            }
            server.destroyForcibly();
        }
    }
}
