package dev.loomchat.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load generator: the scenarios {@code echo}, {@code room}, {@code hold} and {@code churn},
 * driven from one thread through {@link NioLoop}. Loopback targets only; every phase has a
 * deadline, so a run always ends by itself.
 */
final class LoadGenerator {

    /** What one scenario run is asked to do. */
    static final class Options {
        String host = "127.0.0.1";
        int port = 9999;
        /** More ports of the same host (cluster nodes): connection i goes to port i mod count. */
        List<Integer> ports = List.of();
        int n = 10;
        double durationSeconds = 5;
        double warmupSeconds = 1;
        long rounds;               // echo: round trips per connection, 0 = until the duration ends
        int window = 4;            // room: unacknowledged says per sender
        double rate;               // room: says per second per sender, 0 = as fast as the window allows
        long serverPid;            // hold: the server process, for RSS and heap
        double connectTimeoutSeconds = 60;
        int lineBytes = 96;
        int connectBatch = 256;    // connects in flight at once
        String protocol = "loomchat"; // room: "loomchat" (JSON lines) or "nats" (NATS's text protocol)
        int websocket;             // room: how many of the n chatters use the web door's WebSocket instead
        int httpPort;              // room: the web door's port (./loomchat server --http), for --websocket

        /** Refuses values no run can use, naming the option. */
        void check() {
            if (n < 1 || n > MAX_CONNECTIONS) {
                throw new UsageException("--n must be 1.." + MAX_CONNECTIONS + ": " + n);
            }
            if (durationSeconds <= 0 || warmupSeconds < 0 || durationSeconds + warmupSeconds > MAX_SECONDS) {
                throw new UsageException("--duration must be > 0 and --warmup >= 0, together at most " + (int) MAX_SECONDS + " s");
            }
            if (connectTimeoutSeconds <= 0 || connectTimeoutSeconds > MAX_SECONDS) {
                throw new UsageException("--connect-timeout must be > 0 and at most " + (int) MAX_SECONDS + " s");
            }
            if (rounds < 0 || rate < 0) {
                throw new UsageException("--rounds and --rate cannot be negative");
            }
            if (window < 1) {
                throw new UsageException("--window must be at least 1: " + window);
            }
            if (lineBytes < 64 || lineBytes > 65_536) {
                throw new UsageException("--line-bytes must be 64..65536: " + lineBytes);
            }
            if (!protocol.equals("loomchat") && !protocol.equals("nats")) {
                throw new UsageException("--protocol must be loomchat or nats: " + protocol);
            }
            if (websocket < 0 || websocket > n) {
                throw new UsageException("--websocket must be 0..--n: " + websocket);
            }
            if (websocket > 0 && (httpPort < 1 || httpPort > 65_535 || !protocol.equals("loomchat"))) {
                throw new UsageException("--websocket needs --http-port (the server's --http port) and the loomchat protocol");
            }
        }
    }

    static final int MAX_CONNECTIONS = 19_500;
    static final double MAX_SECONDS = 600;

    private final Options o;
    private final InetSocketAddress address;
    /**
     * Makes this run's nicks unique: a previous run's connections may not have been closed by
     * the server yet, and their nicks would be refused ({@code nick_in_use}).
     */
    private final String nickTag = Integer.toString(java.util.concurrent.ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
    /** Every target: {@code address} alone, or one per cluster node ({@code --port A,B}). */
    private final List<InetSocketAddress> addresses = new ArrayList<>();

    LoadGenerator(Options o) throws IOException {
        this.o = o;
        o.check();
        InetAddress addr = InetAddress.getByName(o.host);
        if (!addr.isLoopbackAddress()) {
            throw new UsageException("refusing a non-loopback target: " + o.host + " (" + addr + ")");
        }
        this.address = new InetSocketAddress(addr, o.port);
        if (o.ports.isEmpty()) {
            addresses.add(address);
        } else {
            o.ports.forEach(port -> addresses.add(new InetSocketAddress(addr, port)));
        }
    }

    /** Why the first connection that never got going failed (for the one-line report). */
    private String firstFailure;

    private void failed(String why) {
        if (firstFailure == null) {
            firstFailure = why;
        }
    }

    private static String why(IOException cause) {
        return cause == null ? "closed by the server"
                : cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    /** Where the connections go, for messages: {@code 127.0.0.1:9999} or {@code 127.0.0.1:A,B}. */
    String targets() {
        return address.getAddress().getHostAddress() + ":"
                + (o.ports.isEmpty() ? Integer.toString(o.port) : String.join(",", o.ports.stream().map(String::valueOf).toList()));
    }

    /** The one line for a run in which every connection failed; {@code what} has a {@code %s} for the target. */
    private NoConnectionException noConnection(String scenario, String what) {
        return new NoConnectionException(scenario + ": " + what.formatted(targets())
                + (firstFailure == null ? "" : " (" + firstFailure + ")") + "; is the server running there?");
    }

    /** The target of connection {@code i}: round robin over the nodes. */
    private InetSocketAddress address(int i) {
        return addresses.get(Math.floorMod(i, addresses.size()));
    }

    /**
     * Runs {@code scenario} and returns its figures.
     *
     * @throws NoConnectionException if every connection failed: there is nothing to measure
     */
    Map<String, Object> run(String scenario) throws IOException {
        if (o.protocol.equals("nats") && !scenario.equals("room")) {
            throw new UsageException("--protocol nats works for the room scenario only");
        }
        return switch (scenario) {
            case "echo" -> echo();
            case "room" -> room();
            case "hold" -> hold();
            case "churn" -> churn();
            default -> throw new UsageException("unknown scenario: " + scenario + " (echo, room, hold, churn)");
        };
    }

    static long secs(double s) {
        return (long) (s * 1e9);
    }

    /** The longest ping ref the echo scenario sends: within the protocol's 64-character limit. */
    static final int PING_REF_CHARS = 60;

    /** {@code ,"pad":"xxx"} making up {@code bytes} more bytes of a ping line (nothing when there is no room for it). */
    static String pingPadding(int bytes) {
        int fill = bytes - ",\"pad\":\"\"".length();
        return fill < 0 ? "" : ",\"pad\":\"" + "x".repeat(fill) + "\"";
    }

    private static String pad(StringBuilder sb, int length) {
        while (sb.length() < length) {
            sb.append('x');
        }
        return sb.toString();
    }

    /**
     * How evenly the server served the connections, which the percentiles can hide: a connection
     * that is never answered adds no sample. {@code fewest_rts}: the fewest round trips any open
     * connection completed in the measured window; {@code longest_wait_ms}: the longest a ping
     * waited, answered or still unanswered when the window closed.
     */
    static void putFairness(Map<String, Object> r, java.util.stream.LongStream perConnection,
                            java.util.stream.LongStream unansweredAges, long longestAnswered) {
        r.put("fewest_rts", perConnection.min().orElse(0));
        r.put("longest_wait_ms", Math.max(longestAnswered, unansweredAges.max().orElse(0)) / 1e6);
    }

    static void putLatency(Map<String, Object> r, Histogram h) {
        r.put("p50_ms", h.percentile(50) / 1e6);
        r.put("p99_ms", h.percentile(99) / 1e6);
        r.put("p999_ms", h.percentile(99.9) / 1e6);
        r.put("max_ms", h.max() / 1e6);
    }

    /** Opens {@code conns} with at most {@code connectBatch} connects in flight; returns when all are settled. */
    private void connectAll(NioLoop loop, List<? extends NioLoop.Conn> conns, int[] settled, long deadline) throws IOException {
        int base = settled[0]; // connections of an earlier batch that have settled already
        int[] next = {0};
        Runnable feed = () -> {
            while (next[0] < conns.size() && next[0] - (settled[0] - base) < o.connectBatch) {
                int i = next[0]++;
                loop.connect(conns.get(i), address(i));
            }
        };
        feed.run();
        loop.runUntil(() -> settled[0] - base >= conns.size(), deadline, feed);
    }

    // ---------------------------------------------------------------------------------------- echo

    private Map<String, Object> echo() throws IOException {
        Histogram h = new Histogram();
        long[] stat = new long[4]; // 0 measured round trips, 1 errors, 2 outstanding, 3 finished conns
        int[] settled = {0};
        int[] connected = {0};
        boolean[] measuring = {false};
        boolean[] stopping = {false};
        // The ref is at most 60 characters (the protocol allows 64); an unknown field, which every
        // server ignores, pads the line to --line-bytes.
        int refLen = Math.min(PING_REF_CHARS, o.lineBytes - "{\"type\":\"ping\",\"ref\":\"\"}\n".length());
        String padField = pingPadding(o.lineBytes - refLen - "{\"type\":\"ping\",\"ref\":\"\"}\n".length());
        final class EchoConn extends NioLoop.Conn {
            final int id;
            long seq;
            long sentAt;
            String expected;
            boolean up;
            boolean waiting;   // a ping is unanswered
            long measured;     // round trips completed in the measured window

            EchoConn(int id) {
                this.id = id;
            }

            @Override
            void onConnect() {
                up = true;
                connected[0]++;
                settled[0]++;
            }

            void fire() {
                seq++;
                expected = pad(new StringBuilder(refLen).append('c').append(id).append('.').append(seq).append('.'), refLen);
                sentAt = System.nanoTime();
                waiting = true;
                stat[2]++;
                send("{\"type\":\"ping\",\"ref\":\"" + expected + "\"" + padField + "}\n");
            }

            @Override
            void onLine(String line) {
                if (!"pong".equals(NioLoop.type(line)) || !expected.equals(NioLoop.field(line, "ref"))) {
                    stat[1]++;
                    return;
                }
                long now = System.nanoTime();
                stat[2]--;
                waiting = false;
                if (measuring[0]) {
                    h.record(now - sentAt);
                    stat[0]++;
                    measured++;
                }
                if (!stopping[0] && (o.rounds == 0 || seq < o.rounds)) {
                    fire();
                } else {
                    stat[3]++;
                }
            }

            @Override
            void onClose(IOException cause) {
                if (!up) {
                    settled[0]++;
                    failed(why(cause));
                } else if (!stopping[0]) {
                    stat[1]++;
                    stat[3]++;
                }
            }
        }
        List<EchoConn> conns = new ArrayList<>();
        for (int i = 0; i < o.n; i++) {
            conns.add(new EchoConn(i));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        try (NioLoop loop = new NioLoop()) {
            long t0 = System.nanoTime();
            connectAll(loop, conns, settled, t0 + secs(o.connectTimeoutSeconds));
            if (connected[0] == 0) {
                throw noConnection("echo", "none of the " + o.n + " connections to %s succeeded");
            }
            r.put("connected", connected[0]);
            r.put("connect_s", (System.nanoTime() - t0) / 1e9);
            for (EchoConn c : conns) {
                if (c.up && !c.closed) {
                    c.fire();
                }
            }
            long start = System.nanoTime();
            loop.runUntil(() -> false, start + secs(o.warmupSeconds), null);
            measuring[0] = true;
            long m0 = System.nanoTime();
            loop.runUntil(() -> stat[3] >= connected[0], m0 + secs(o.durationSeconds), null);
            long end = System.nanoTime();
            long elapsed = end - m0;
            measuring[0] = false;
            putFairness(r, conns.stream().filter(c -> c.up && !c.closed).mapToLong(c -> c.measured),
                    conns.stream().filter(c -> c.up && !c.closed && c.waiting).mapToLong(c -> end - c.sentAt), h.max());
            stopping[0] = true;
            loop.runUntil(() -> stat[2] <= 0, System.nanoTime() + secs(2), null);
            r.put("round_trips", stat[0]);
            r.put("seconds", elapsed / 1e9);
            r.put("rt_per_s", stat[0] / (elapsed / 1e9));
            putLatency(r, h);
            r.put("errors", stat[1]);
            r.put("unanswered", stat[2]);
            if (stat[0] == 0 && connected[0] > 0) {
                r.put("failure", "no round trip completed in the measured window (overloaded or stalled); "
                        + stat[2] + " pings unanswered");
            }
        }
        return r;
    }

    /**
     * The same echo load driven the other way: one virtual thread per connection with blocking
     * sockets. Only to compare the two engines (throughput); the scenarios use {@link NioLoop}.
     */
    Map<String, Object> echoVirtual() throws Exception {
        java.util.concurrent.atomic.LongAdder trips = new java.util.concurrent.atomic.LongAdder();
        java.util.concurrent.atomic.LongAdder errors = new java.util.concurrent.atomic.LongAdder();
        java.util.concurrent.atomic.AtomicBoolean measuring = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        // The ref is at most 60 characters (the protocol allows 64); an unknown field, which every
        // server ignores, pads the line to --line-bytes.
        int refLen = Math.min(PING_REF_CHARS, o.lineBytes - "{\"type\":\"ping\",\"ref\":\"\"}\n".length());
        String padField = pingPadding(o.lineBytes - refLen - "{\"type\":\"ping\",\"ref\":\"\"}\n".length());
        java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(o.n);
        java.util.concurrent.atomic.AtomicInteger up = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<String> refused = new java.util.concurrent.atomic.AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < o.n; i++) {
            int id = i;
            threads.add(Thread.ofVirtual().start(() -> {
                java.net.Socket s;
                try {
                    s = new java.net.Socket(address.getAddress(), address.getPort());
                } catch (IOException e) {
                    refused.compareAndSet(null, why(e));
                    connected.countDown();
                    return;
                }
                up.incrementAndGet();
                connected.countDown();
                try (s) {
                    s.setTcpNoDelay(true);
                    var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                    var out = s.getOutputStream();
                    for (long seq = 1; !stop.get(); seq++) {
                        String ref = pad(new StringBuilder(refLen).append('c').append(id).append('.').append(seq).append('.'), refLen);
                        out.write(("{\"type\":\"ping\",\"ref\":\"" + ref + "\"" + padField + "}\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                        String line = in.readLine();
                        if (line == null || !ref.equals(NioLoop.field(line, "ref"))) {
                            errors.increment();
                            return;
                        }
                        if (measuring.get()) {
                            trips.increment();
                        }
                    }
                } catch (IOException e) {
                    errors.increment();
                }
            }));
        }
        connected.await((long) o.connectTimeoutSeconds, TimeUnit.SECONDS);
        if (up.get() == 0) {
            stop.set(true);
            failed(refused.get());
            throw noConnection("echo-vt", "none of the " + o.n + " connections to %s succeeded");
        }
        Thread.sleep((long) (o.warmupSeconds * 1000));
        measuring.set(true);
        long m0 = System.nanoTime();
        Thread.sleep((long) (o.durationSeconds * 1000));
        long elapsed = System.nanoTime() - m0;
        measuring.set(false);
        stop.set(true);
        for (Thread t : threads) {
            t.join(2000);
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("engine", "virtual threads");
        r.put("round_trips", trips.sum());
        r.put("rt_per_s", trips.sum() / (elapsed / 1e9));
        r.put("errors", errors.sum());
        return r;
    }

    // ---------------------------------------------------------------------------------------- room

    private Map<String, Object> room() throws IOException {
        RoomScenario room = new RoomScenario(o, nickTag, targets());
        String unique = o.n + "x" + nickTag + Long.toString(System.nanoTime() % 1_000_000, 36);
        if (o.protocol.equals("nats")) {
            String subject = "bench.room" + unique;
            return room.run(i -> new NatsRoomChatter(room, i, subject), this::address, o.connectBatch);
        }
        String name = "#bench" + unique;
        if (o.websocket > 0) {
            // The first --websocket chatters come through the web door, the rest through the TCP door: one room.
            InetSocketAddress web = new InetSocketAddress(address.getAddress(), o.httpPort);
            String hostPort = address.getAddress().getHostAddress() + ":" + o.httpPort;
            return room.run(i -> i < o.websocket ? new WebSocketRoomChatter(room, i, name, hostPort)
                    : new LoomchatRoomChatter(room, i, name), i -> i < o.websocket ? web : address(i), o.connectBatch);
        }
        return room.run(i -> new LoomchatRoomChatter(room, i, name), this::address, o.connectBatch);
    }

    // ---------------------------------------------------------------------------------------- hold

    private Map<String, Object> hold() throws IOException {
        int[] settled = {0};
        int[] welcomed = {0};
        long[] failed = {0};
        final class Idle extends NioLoop.Conn {
            final int id;
            boolean up;
            boolean in;

            Idle(int id) {
                this.id = id;
            }

            @Override
            void onConnect() {
                up = true;
                send("{\"type\":\"hello\",\"nick\":\"h" + nickTag + "_" + id + "\"}\n");
            }

            @Override
            void onLine(String line) {
                if (!in && "welcome".equals(NioLoop.type(line))) {
                    in = true;
                    welcomed[0]++;
                    settled[0]++;
                } else if (!in) {
                    failed[0]++;
                    settled[0]++;
                    closedCounted = true;
                    failed("server said " + line.strip());
                    close();
                }
            }

            @Override
            void onClose(IOException cause) {
                if (!in && !closedCounted) {
                    closedCounted = true;
                    if (up) {
                        failed[0]++;
                    }
                    settled[0]++;
                    failed(why(cause));
                }
            }

            boolean closedCounted;
        }
        List<Idle> conns = new ArrayList<>();
        for (int i = 0; i < o.n; i++) {
            conns.add(new Idle(i));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        ServerMemory before = ServerMemory.sample(o.serverPid);
        r.put("rss_before_kib", before.rssKiB());
        r.put("heap_before_kib", before.heapKiB());
        try (NioLoop loop = new NioLoop()) {
            // Two halves with a memory sample between them: the second half's growth is the
            // marginal cost of a connection, free of one-off costs that the first connections
            // pay (JIT compilation, the first touch of the young generation's pages).
            int half = o.n / 2;
            long t0 = System.nanoTime();
            connectAll(loop, conns.subList(0, half), settled, t0 + secs(o.connectTimeoutSeconds));
            double acceptSeconds = (System.nanoTime() - t0) / 1e9;
            int heldAtHalf = welcomed[0];
            // Both samples after the same settling time, so that both see the connections in the
            // state an idle connection rests in (a server may change it after a while: loomchat
            // parks a connection whose client has been quiet for a second).
            double settle = Math.min(2, o.durationSeconds);
            loop.runUntil(() -> false, System.nanoTime() + secs(settle), null);
            ServerMemory middle = ServerMemory.sample(o.serverPid);
            long t1 = System.nanoTime();
            connectAll(loop, conns.subList(half, o.n), settled, t1 + secs(o.connectTimeoutSeconds));
            acceptSeconds += (System.nanoTime() - t1) / 1e9; // the sample's pause excluded
            if (welcomed[0] == 0) {
                throw noConnection("hold", "none of the " + o.n + " clients was welcomed by %s");
            }
            r.put("held", welcomed[0]);
            r.put("failed", failed[0]);
            r.put("accept_all_s", acceptSeconds);
            r.put("complete", welcomed[0] == o.n);
            loop.runUntil(() -> false, System.nanoTime() + secs(settle), null);
            ServerMemory after = ServerMemory.sample(o.serverPid);
            r.put("rss_after_kib", after.rssKiB());
            r.put("heap_after_kib", after.heapKiB());
            int held = Math.max(1, welcomed[0]);
            r.put("rss_per_conn_kib", before.rssKiB() < 0 ? -1 : (after.rssKiB() - before.rssKiB()) / (double) held);
            r.put("heap_per_conn_kib", before.heapKiB() < 0 || after.heapKiB() < 0 ? -1
                    : (after.heapKiB() - before.heapKiB()) / (double) held);
            int secondHalf = Math.max(1, welcomed[0] - heldAtHalf);
            r.put("rss_marginal_kib", middle.rssKiB() < 0 ? -1 : (after.rssKiB() - middle.rssKiB()) / (double) secondHalf);
            r.put("heap_marginal_kib", middle.heapKiB() < 0 || after.heapKiB() < 0 ? -1
                    : (after.heapKiB() - middle.heapKiB()) / (double) secondHalf);
        }
        return r;
    }

    /** VmRSS of a process and, for a JVM, the heap in use after a full GC (jcmd). -1 when unknown. */
    record ServerMemory(long rssKiB, long heapKiB) {
        private static final Pattern USED = Pattern.compile("used (\\d+)K");

        static ServerMemory sample(long pid) {
            if (pid <= 0) {
                return new ServerMemory(-1, -1);
            }
            long heap = -1;
            try {
                String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
                if (cmdline.contains("java")) {
                    jcmd(pid, "GC.run");
                    // Sum "used" over the heap's lines (G1: one; Serial/Parallel: one per generation),
                    // not Metaspace or class space.
                    for (String line : jcmd(pid, "GC.heap_info").split("\n")) {
                        Matcher m = USED.matcher(line);
                        if (m.find() && !line.contains("Metaspace") && !line.contains("class space")) {
                            heap = Math.max(heap, 0) + Long.parseLong(m.group(1));
                        }
                    }
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("hold: no heap figure for pid " + pid + ": " + e);
            }
            long rss = -1;
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("hold: no RSS for pid " + pid + ": " + e);
            }
            return new ServerMemory(rss, heap);
        }

        private static String jcmd(long pid, String command) throws IOException {
            Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
            Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
            try {
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
                return out;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                return "";
            }
        }
    }

    // --------------------------------------------------------------------------------------- churn

    private Map<String, Object> churn() throws IOException {
        Histogram h = new Histogram();
        long[] stat = new long[4]; // 0 sessions measured, 1 errors, 2 sessions total, 3 active loops
        boolean[] measuring = {false};
        boolean[] stopping = {false};
        long[] serial = {0};
        NioLoop loop = new NioLoop();
        final class Session extends NioLoop.Conn {
            final int loopId;
            final long number;
            final long startedAt = System.nanoTime();
            final String room;
            int step;

            Session(int loopId, long number) {
                this.loopId = loopId;
                this.number = number;
                this.room = "#c" + loopId + "x" + number;
            }

            @Override
            void onConnect() {
                send("{\"type\":\"hello\",\"nick\":\"c" + nickTag + "_" + loopId + "x" + number + "\",\"ref\":\"1\"}\n");
            }

            @Override
            void onLine(String line) {
                String type = NioLoop.type(line);
                if ("error".equals(type)) {
                    fail(line);
                    return;
                }
                switch (step) {
                    case 0 -> {
                        if ("welcome".equals(type)) {
                            step = 1;
                            send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"2\"}\n");
                        }
                    }
                    case 1 -> {
                        if ("history".equals(type)) {
                            step = 2;
                            send("{\"type\":\"say\",\"room\":\"" + room + "\",\"text\":\"hello from a short session\",\"ref\":\"3\"}\n");
                        }
                    }
                    case 2 -> {
                        if ("message".equals(type) && "3".equals(NioLoop.field(line, "ref"))) {
                            step = 3;
                            send("{\"type\":\"quit\",\"ref\":\"4\"}\n");
                        }
                    }
                    case 3 -> {
                        if ("bye".equals(type)) {
                            step = 4; // then the server closes; we close too
                            finish();
                        }
                    }
                    default -> {
                    }
                }
            }

            void fail(String why) {
                stat[1]++;
                failed("server said " + why.strip());
                if (stat[1] <= 3 && stat[2] > 0) {
                    System.err.println("churn: " + why);
                }
                step = 5;
                close();
            }

            void finish() {
                long now = System.nanoTime();
                stat[2]++;
                if (measuring[0]) {
                    stat[0]++;
                    h.record(now - startedAt);
                }
                close();
            }

            @Override
            void onClose(IOException cause) {
                if (step < 4) {
                    stat[1]++;
                    failed(step == 0 && cause != null ? why(cause) : "closed at step " + step + ": " + why(cause));
                    if (stat[1] <= 3 && stat[2] > 0) {
                        System.err.println("churn: closed at step " + step + ": " + cause);
                    }
                }
                if (stopping[0]) {
                    stat[3]--;
                } else {
                    loop.connect(new Session(loopId, ++serial[0]), address(loopId));
                }
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        try (loop) {
            for (int i = 0; i < o.n; i++) {
                stat[3]++;
                loop.connect(new Session(i, ++serial[0]), address(i));
            }
            long start = System.nanoTime();
            // Every loop failed before any session completed: nothing works, stop at once.
            BooleanSupplier hopeless = () -> stat[2] == 0 && stat[1] >= o.n;
            loop.runUntil(hopeless, start + secs(o.warmupSeconds), null);
            measuring[0] = true;
            long m0 = System.nanoTime();
            loop.runUntil(hopeless, m0 + secs(o.durationSeconds), null);
            long elapsed = System.nanoTime() - m0;
            measuring[0] = false;
            stopping[0] = true;
            loop.runUntil(() -> stat[3] <= 0, System.nanoTime() + secs(5), null);
            if (stat[2] == 0) {
                throw noConnection("churn", "no session with %s completed in " + stat[1] + " attempts");
            }
            r.put("loops", o.n);
            r.put("sessions", stat[0]);
            r.put("seconds", elapsed / 1e9);
            r.put("sessions_per_s", stat[0] / (elapsed / 1e9));
            putLatency(r, h);
            r.put("errors", stat[1]);
        }
        return r;
    }
}
