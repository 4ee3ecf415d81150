package dev.loomchat.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One comparison server as a process of its own: started pinned to a core on a free loopback
 * port, ready when it prints its ready line, stopped by its PID (SIGTERM, then SIGKILL after 20 s).
 * {@link Kind} is the catalogue: every server the runner knows, and the scenarios it plays.
 */
final class ServerProcess implements AutoCloseable {

    /** The servers of the comparison, in the order of the tables. */
    enum Kind {
        LOOMCHAT_VT("loomchat-vt", "echo,room,hold,churn"),
        LOOMCHAT_PLATFORM("loomchat-platform", "echo,room,hold,churn"),
        /** loomchat-vt with its history store (the default of ./loomchat server): room only (issue 17). */
        LOOMCHAT_STORE("loomchat-store", "room"),
        /** loomchat-vt with its history store and --sync (every message on disk before delivery): room only. */
        LOOMCHAT_SYNC("loomchat-sync", "room"),
        NETTY("netty", "echo,room,hold,churn"),
        /** The Netty server as it was before issue 20 (a flush per message per member): room only, where that matters. */
        NETTY_FLUSH_EACH("netty-flush-each", "room"),
        PYTHON("python", "echo,room,hold,churn"),
        /** NATS speaks its own protocol, not loomchat's: the room scenario only, over NATS's text protocol. */
        NATS("nats", "room");

        final String label;
        final List<String> scenarios;

        Kind(String label, String scenarios) {
            this.label = label;
            this.scenarios = List.of(scenarios.split(","));
        }

        static Kind of(String label) {
            for (Kind k : values()) {
                if (k.label.equals(label)) {
                    return k;
                }
            }
            throw new UsageException("unknown server " + label + " (" + String.join(",", labels()) + ")");
        }

        static List<String> labels() {
            return Arrays.stream(values()).map(k -> k.label).toList();
        }

        /** The wire the load generator speaks to this server. */
        String protocol() {
            return this == NATS ? "nats" : "loomchat";
        }
    }

    final Process process;
    final int port;
    /** The store rows' data directory, deleted at close; null for the others. */
    private Path dataDir;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    long pid() {
        return process.pid();
    }

    /**
     * Starts {@code kind} for {@code scenario}, its output in {@code log}; {@code jfr}: a JFR
     * recording for loomchat, or null.
     *
     * @throws IOException if it cannot start or does not become ready within 60 s
     */
    static ServerProcess start(Kind kind, Path root, String serverCpu, Path log, Path jfr) throws IOException, InterruptedException {
        Path dataDir = null;
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>();
        if (!serverCpu.equals("none")) {
            cmd.addAll(List.of("taskset", "-c", serverCpu));
        }
        String ready = "listening on";
        switch (kind) {
            case LOOMCHAT_VT, LOOMCHAT_PLATFORM, LOOMCHAT_STORE, LOOMCHAT_SYNC -> {
                cmd.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED"));
                if (jfr != null) {
                    Files.deleteIfExists(jfr);
                    cmd.add("-XX:StartFlightRecording=filename=" + jfr + ",settings=profile,dumponexit=true,"
                            + "jdk.VirtualThreadPinned#enabled=true,jdk.VirtualThreadPinned#threshold=0ms");
                }
                cmd.addAll(List.of("-jar", root.resolve("server/target/loomchat-server.jar").toString(),
                        "--port", Integer.toString(port), "--msg-rate", "0",
                        "--threads", kind == Kind.LOOMCHAT_PLATFORM ? "platform" : "virtual", "--log-level", "warn",
                        "--max-connections", "20000", "--exempt-loopback", "--outbox-frames", "65536", "--outbox-bytes", "67108864",
                        "--idle-timeout", "600s", "--stats-interval", "0"));
                // The in-memory rows stay what they always measured; the store rows get a fresh directory.
                if (kind == Kind.LOOMCHAT_STORE || kind == Kind.LOOMCHAT_SYNC) {
                    dataDir = Files.createTempDirectory("loomchat-bench-store");
                    cmd.addAll(List.of("--data", dataDir.toString()));
                    if (kind == Kind.LOOMCHAT_SYNC) {
                        cmd.add("--sync");
                    }
                } else {
                    cmd.addAll(List.of("--data", "none"));
                }
            }
            case NETTY, NETTY_FLUSH_EACH -> {
                cmd.addAll(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                        root.resolve("bench/target/benchmarks.jar").toString(),
                        "dev.loomchat.bench.Main", "netty-server", "--port", Integer.toString(port)));
                if (kind == Kind.NETTY_FLUSH_EACH) {
                    cmd.add("--flush-each");
                }
            }
            case PYTHON -> cmd.addAll(List.of("python3", "-u", root.resolve("bench/python/chat_server.py").toString(),
                    "--port", Integer.toString(port), "--backlog", "4096"));
            case NATS -> {
                // NATS's defaults are the bounds the loomchat rows get: 64 MiB pending per client
                // (--outbox-bytes 67108864), a 10 s write deadline; 64k connections.
                cmd.addAll(List.of(natsServer(), "-a", "127.0.0.1", "-p", Integer.toString(port)));
                ready = "Server is ready";
            }
            default -> throw new IllegalStateException(kind.toString());
        }
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException(kind.label + " did not start: " + e.getMessage());
        }
        String readyLine = ready;
        CompletableFuture<Boolean> started = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 PrintWriter w = new PrintWriter(Files.newBufferedWriter(log), true)) {
                w.println("$ " + String.join(" ", cmd));
                for (String line; (line = in.readLine()) != null; ) {
                    w.println(line);
                    if (line.contains(readyLine)) {
                        started.complete(true);
                    }
                }
            } catch (IOException ignored) {
                // the process ended
            }
            started.complete(false);
        });
        ServerProcess s = new ServerProcess(p, port);
        s.dataDir = dataDir;
        boolean up;
        try {
            up = started.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            up = false;
        }
        if (!up) {
            boolean exited = p.waitFor(1, TimeUnit.SECONDS);
            s.close();
            throw new IOException(kind.label + " did not start ("
                    + (exited ? "exited with status " + p.exitValue() + " before its \"" + readyLine + "\" line"
                    : "no \"" + readyLine + "\" line within 60 s") + "); see " + log);
        }
        Thread.sleep(300); // let it settle after its ready line (a benchmark, not a test)
        return s;
    }

    /** The nats-server binary: on PATH, or where Debian's package puts it. */
    static String natsServer() throws IOException {
        List<Path> candidates = new ArrayList<>();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty()) {
                candidates.add(Path.of(dir, "nats-server"));
            }
        }
        candidates.add(Path.of("/usr/sbin/nats-server"));
        candidates.add(Path.of("/usr/bin/nats-server"));
        for (Path c : candidates) {
            if (Files.isExecutable(c)) {
                return c.toString();
            }
        }
        throw new IOException("nats-server is not installed (bash bench/setup.sh installs Debian's package as root)");
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM to this PID only
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        if (dataDir != null) {
            try (var files = Files.walk(dataDir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException e) {
                // a temporary directory: the OS cleans it up eventually
            }
        }
    }
}
