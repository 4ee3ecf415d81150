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
    }

    static final int MAX_CONNECTIONS = 19_500;
    static final double MAX_SECONDS = 600;

    private static final byte[] MESSAGE_TYPE = "\"type\":\"message\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TEXT_S = "\"text\":\"s".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REF_FIELD = "\"ref\":".getBytes(StandardCharsets.US_ASCII);

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
        InetAddress addr = InetAddress.getByName(o.host);
        if (!addr.isLoopbackAddress()) {
            throw new IllegalArgumentException("refusing a non-loopback target: " + o.host + " (" + addr + ")");
        }
        if (o.n < 1 || o.n > MAX_CONNECTIONS) {
            throw new IllegalArgumentException("connections must be 1.." + MAX_CONNECTIONS + ": " + o.n);
        }
        if (o.durationSeconds <= 0 || o.durationSeconds + o.warmupSeconds > MAX_SECONDS
                || o.connectTimeoutSeconds > MAX_SECONDS) {
            throw new IllegalArgumentException("duration, warm-up and connect timeout are bounded by " + MAX_SECONDS + " s");
        }
        this.address = new InetSocketAddress(addr, o.port);
        if (o.ports.isEmpty()) {
            addresses.add(address);
        } else {
            o.ports.forEach(port -> addresses.add(new InetSocketAddress(addr, port)));
        }
    }

    /** The target of connection {@code i}: round robin over the nodes. */
    private InetSocketAddress address(int i) {
        return addresses.get(Math.floorMod(i, addresses.size()));
    }

    Map<String, Object> run(String scenario) throws IOException {
        return switch (scenario) {
            case "echo" -> echo();
            case "room" -> room();
            case "hold" -> hold();
            case "churn" -> churn();
            default -> throw new IllegalArgumentException("unknown scenario: " + scenario + " (echo, room, hold, churn)");
        };
    }

    private static long secs(double s) {
        return (long) (s * 1e9);
    }

    private static String pad(StringBuilder sb, int length) {
        while (sb.length() < length) {
            sb.append('x');
        }
        return sb.toString();
    }

    private static void putLatency(Map<String, Object> r, Histogram h) {
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
        int refLen = o.lineBytes - "{\"type\":\"ping\",\"ref\":\"\"}\n".length();
        final class EchoConn extends NioLoop.Conn {
            final int id;
            long seq;
            long sentAt;
            String expected;
            boolean up;

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
                stat[2]++;
                send("{\"type\":\"ping\",\"ref\":\"" + expected + "\"}\n");
            }

            @Override
            void onLine(String line) {
                if (!"pong".equals(NioLoop.type(line)) || !expected.equals(NioLoop.field(line, "ref"))) {
                    stat[1]++;
                    return;
                }
                long now = System.nanoTime();
                stat[2]--;
                if (measuring[0]) {
                    h.record(now - sentAt);
                    stat[0]++;
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
            long elapsed = System.nanoTime() - m0;
            measuring[0] = false;
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
        int refLen = o.lineBytes - "{\"type\":\"ping\",\"ref\":\"\"}\n".length();
        java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(o.n);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < o.n; i++) {
            int id = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try (java.net.Socket s = new java.net.Socket(address.getAddress(), address.getPort())) {
                    s.setTcpNoDelay(true);
                    connected.countDown();
                    var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                    var out = s.getOutputStream();
                    for (long seq = 1; !stop.get(); seq++) {
                        String ref = pad(new StringBuilder(refLen).append('c').append(id).append('.').append(seq).append('.'), refLen);
                        out.write(("{\"type\":\"ping\",\"ref\":\"" + ref + "\"}\n").getBytes(StandardCharsets.ISO_8859_1));
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
                    connected.countDown();
                }
            }));
        }
        connected.await((long) o.connectTimeoutSeconds, TimeUnit.SECONDS);
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
        int n = o.n;
        String room = "#bench" + n + "x" + Long.toString(System.nanoTime() % 1_000_000, 36);
        Histogram h = new Histogram();
        long[] stat = new long[8]; // 0 deliveries measured, 1 deliveries total, 2 order violations, 3 errors,
                                   // 4 says acked, 5 says sent, 6 gaps seen, 7 closed unexpectedly
        int[] settled = {0};
        int[] joined = {0};
        boolean[] sending = {false};
        boolean[] measuring = {false};
        long[] measureFrom = {Long.MAX_VALUE};
        String sayHead = "{\"type\":\"say\",\"room\":\"" + room + "\",\"text\":\"";
        final class Chatter extends NioLoop.Conn {
            final int id;
            final int[] lastSeq = new int[n];
            int seq;
            int acked;
            long nextAt;
            boolean up;
            boolean in;

            Chatter(int id) {
                this.id = id;
            }

            @Override
            void onConnect() {
                up = true;
                settled[0]++;
                send("{\"type\":\"hello\",\"nick\":\"r" + nickTag + "_" + id + "\",\"ref\":\"h\"}\n");
            }

            boolean canSend(long now) {
                return sending[0] && seq - acked < o.window && (o.rate <= 0 || now - nextAt >= 0);
            }

            void say(long now) {
                seq++;
                if (o.rate > 0) {
                    nextAt = (nextAt == 0 ? now : nextAt) + (long) (1e9 / o.rate);
                }
                stat[5]++;
                StringBuilder text = new StringBuilder(48).append('s').append(id).append('q').append(seq).append('t').append(now).append('.');
                int textLen = Math.max(text.length(), o.lineBytes - sayHead.length() - "\",\"ref\":\"\"}\n".length() - String.valueOf(seq).length());
                send(sayHead + pad(text, textLen) + "\",\"ref\":\"" + seq + "\"}\n");
            }

            /**
             * The live chat message, parsed in place: {@code "type":"message"} with a text of
             * {@code s<from>q<seq>t<nanos>.}; anything else goes the String way.
             */
            @Override
            boolean onLineBytes(byte[] buf, int start, int end) {
                if (!in || NioLoop.indexOf(buf, start, end, MESSAGE_TYPE) < 0) {
                    return false;
                }
                int p = NioLoop.indexOf(buf, start, end, TEXT_S);
                if (p < 0) {
                    return false;
                }
                p += TEXT_S.length;
                int from = 0;
                for (; p < end && buf[p] >= '0' && buf[p] <= '9'; p++) {
                    from = from * 10 + (buf[p] - '0');
                }
                if (p >= end || buf[p++] != 'q') {
                    return false;
                }
                int s = 0;
                for (; p < end && buf[p] >= '0' && buf[p] <= '9'; p++) {
                    s = s * 10 + (buf[p] - '0');
                }
                if (p >= end || buf[p++] != 't') {
                    return false;
                }
                long sentAt = 0;
                boolean negative = p < end && buf[p] == '-';
                if (negative) {
                    p++;
                }
                for (; p < end && buf[p] >= '0' && buf[p] <= '9'; p++) {
                    sentAt = sentAt * 10 + (buf[p] - '0');
                }
                if (p >= end || buf[p] != '.' || from >= n) {
                    return false;
                }
                delivered(from, s, negative ? -sentAt : sentAt,
                        from == id && NioLoop.indexOf(buf, p, end, REF_FIELD) >= 0);
                return true;
            }

            /** One delivery of sender {@code from}'s say {@code s}; {@code own}: our copy, the ack. */
            private void delivered(int from, int s, long sentAt, boolean own) {
                long now = System.nanoTime();
                stat[1]++;
                if (s <= lastSeq[from]) {
                    stat[2]++;
                } else {
                    if (s != lastSeq[from] + 1) {
                        stat[6]++;
                    }
                    lastSeq[from] = s;
                }
                if (measuring[0] && sentAt - measureFrom[0] >= 0) {
                    stat[0]++;
                    h.record(now - sentAt);
                }
                if (own) {
                    acked++;
                    stat[4]++;
                    if (canSend(now)) {
                        say(now);
                    }
                }
            }

            @Override
            void onLine(String line) {
                String type = NioLoop.type(line);
                if ("message".equals(type)) {
                    if (line.contains("\"replay\":true")) {
                        return;
                    }
                    String text = NioLoop.field(line, "text");
                    int q = text == null ? -1 : text.indexOf('q');
                    int t = text == null ? -1 : text.indexOf('t', q);
                    int dot = text == null ? -1 : text.indexOf('.', t);
                    if (text == null || text.charAt(0) != 's' || q < 0 || t < 0 || dot < 0) {
                        stat[3]++;
                        return;
                    }
                    int from = Integer.parseInt(text, 1, q, 10);
                    int s = Integer.parseInt(text, q + 1, t, 10);
                    long sentAt = Long.parseLong(text, t + 1, dot, 10);
                    delivered(from, s, sentAt, from == id && line.contains("\"ref\":"));
                } else if ("history".equals(type) && !in) {
                    in = true;
                    joined[0]++;
                } else if ("welcome".equals(type)) {
                    send("{\"type\":\"join\",\"room\":\"" + room + "\",\"ref\":\"j\"}\n");
                } else if ("error".equals(type)) {
                    stat[3]++;
                    if (stat[3] <= 3) {
                        System.err.println("room: server error: " + line);
                    }
                }
            }

            @Override
            void onClose(IOException cause) {
                if (!up) {
                    settled[0]++;
                } else if (sending[0] || measuring[0]) {
                    stat[7]++;
                }
            }
        }
        List<Chatter> conns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            conns.add(new Chatter(i));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        try (NioLoop loop = new NioLoop()) {
            long t0 = System.nanoTime();
            connectAll(loop, conns, settled, t0 + secs(o.connectTimeoutSeconds));
            loop.runUntil(() -> joined[0] >= n, t0 + secs(o.connectTimeoutSeconds), null);
            r.put("joined", joined[0]);
            r.put("setup_s", (System.nanoTime() - t0) / 1e9);
            sending[0] = true;
            Runnable pump = () -> {
                long now = System.nanoTime();
                for (Chatter c : conns) {
                    if (c.in && !c.closed) {
                        while (c.canSend(now)) {
                            c.say(now);
                        }
                    }
                }
            };
            pump.run();
            long start = System.nanoTime();
            loop.runUntil(() -> false, start + secs(o.warmupSeconds), o.rate > 0 ? pump : null);
            measureFrom[0] = System.nanoTime();
            measuring[0] = true;
            long m0 = measureFrom[0];
            loop.runUntil(() -> false, m0 + secs(o.durationSeconds), o.rate > 0 ? pump : null);
            long elapsed = System.nanoTime() - m0;
            measuring[0] = false;
            sending[0] = false;
            long measured = stat[0];
            // Drain: every say acknowledged and delivered to every member, or 10 s.
            loop.runUntil(() -> stat[4] >= stat[5] && stat[1] >= stat[5] * joined[0], System.nanoTime() + secs(10), null);
            long expected = stat[5] * (long) joined[0];
            r.put("says", stat[5]);
            r.put("deliveries", measured);
            r.put("seconds", elapsed / 1e9);
            r.put("deliveries_per_s", measured / (elapsed / 1e9));
            r.put("says_per_s", measured / (double) Math.max(1, joined[0]) / (elapsed / 1e9));
            putLatency(r, h);
            r.put("lost", Math.max(0, expected - stat[1]));
            r.put("order_violations", stat[2]);
            r.put("gaps", stat[6]);
            r.put("errors", stat[3]);
            r.put("dropped_connections", stat[7]);
            if (measured == 0 && joined[0] > 0) {
                // Not a throughput of zero: the server fell so far behind (or stalled) that nothing
                // arrived during the window; say so in the tables instead of printing 0.
                r.put("failure", "no delivery arrived in the measured window (overloaded or stalled); "
                        + Math.max(0, expected - stat[1]) + " of " + expected + " still undelivered after a 10 s drain");
            }
        }
        return r;
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
            ServerMemory middle = ServerMemory.sample(o.serverPid);
            long t1 = System.nanoTime();
            connectAll(loop, conns.subList(half, o.n), settled, t1 + secs(o.connectTimeoutSeconds));
            acceptSeconds += (System.nanoTime() - t1) / 1e9; // the sample's pause excluded
            r.put("held", welcomed[0]);
            r.put("failed", failed[0]);
            r.put("accept_all_s", acceptSeconds);
            r.put("complete", welcomed[0] == o.n);
            loop.runUntil(() -> false, System.nanoTime() + secs(Math.min(2, o.durationSeconds)), null);
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
                if (stat[1] <= 3) {
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
                    if (stat[1] <= 3) {
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
            loop.runUntil(() -> false, start + secs(o.warmupSeconds), null);
            measuring[0] = true;
            long m0 = System.nanoTime();
            loop.runUntil(() -> false, m0 + secs(o.durationSeconds), null);
            long elapsed = System.nanoTime() - m0;
            measuring[0] = false;
            stopping[0] = true;
            loop.runUntil(() -> stat[3] <= 0, System.nanoTime() + secs(5), null);
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
