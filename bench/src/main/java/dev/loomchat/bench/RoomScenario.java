package dev.loomchat.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The room scenario, whatever the wire: N chatters in one room, each with at most W says
 * unacknowledged (its own copy of a say is the acknowledgement), every delivery to every member
 * checked the same way: end-to-end latency from the send time carried in the text, per-sender
 * order, and after a drain {@code lost = says x members - deliveries}. The wire is a
 * {@link Chatter} subclass: {@link LoomchatRoomChatter} (JSON lines) or {@link NatsRoomChatter}
 * (NATS's text protocol). Everything runs on the one {@link NioLoop} thread: no locks.
 */
final class RoomScenario {

    /** Seconds after the measured window allowed for every say to reach every member. */
    static final double DRAIN_SECONDS = 10;

    final LoadGenerator.Options o;
    final int n;
    /** This run's tag: makes the room, subject and nicks unique across runs. */
    final String tag;
    final Histogram latency = new Histogram();
    long measured;            // deliveries of says sent inside the measured window
    long delivered;           // every delivery
    long orderViolations;
    long gaps;
    long errors;
    long acked;
    long sent;
    long dropped;             // members that lost their connection while the room was running
    int joined;
    int failedBeforeJoin;
    String firstFailure;
    boolean sending;
    boolean measuring;
    long measureFrom = Long.MAX_VALUE;

    /** Where the chatters connect, for the one-line report of a room nobody joined. */
    private final String targets;

    RoomScenario(LoadGenerator.Options o, String tag, String targets) {
        this.o = o;
        this.targets = targets;
        this.n = o.n;
        this.tag = tag;
    }

    /** One member of the room: the wire-independent half of a chatter. */
    abstract static class Chatter extends NioLoop.Conn {
        final RoomScenario room;
        final int id;
        /** The last sequence number seen from each sender. */
        final int[] lastSeq;
        int seq;
        int acked;
        long nextAt;
        boolean up;
        boolean in;
        boolean failed;

        Chatter(RoomScenario room, int id) {
            this.room = room;
            this.id = id;
            this.lastSeq = new int[room.n];
        }

        /** Writes say number {@code seq} with {@code text} (the sender, the number and the send time). */
        abstract void writeSay(int seq, String text);

        @Override
        void onConnect() {
            up = true;
        }

        /** The member is in the room: it now receives every say. */
        final void joined() {
            if (!in && !failed) {
                in = true;
                room.joined++;
            }
        }

        /** The member cannot join (refused, closed): it is left out of the room and the count. */
        final void failedToJoin(String why) {
            if (in || failed) {
                return;
            }
            failed = true;
            room.failedBeforeJoin++;
            if (room.firstFailure == null) {
                room.firstFailure = why;
            }
            close();
        }

        final boolean canSend(long now) {
            return room.sending && seq - acked < room.o.window && (room.o.rate <= 0 || now - nextAt >= 0);
        }

        final void say(long now) {
            seq++;
            if (room.o.rate > 0) {
                nextAt = (nextAt == 0 ? now : nextAt) + (long) (1e9 / room.o.rate);
            }
            room.sent++;
            writeSay(seq, SayText.of(id, seq, now));
        }

        /** One delivery of sender {@code from}'s say {@code s}; {@code own}: our own copy, the ack. */
        final void delivered(int from, int s, long sentAt, boolean own) {
            long now = System.nanoTime();
            room.delivered++;
            if (s <= lastSeq[from]) {
                room.orderViolations++;
            } else {
                if (s != lastSeq[from] + 1) {
                    room.gaps++;
                }
                lastSeq[from] = s;
            }
            if (room.measuring && sentAt - room.measureFrom >= 0) {
                room.measured++;
                room.latency.record(now - sentAt);
            }
            if (own) {
                acked++;
                room.acked++;
                if (canSend(now)) {
                    say(now);
                }
            }
        }

        /** Delivers the say whose text starts at {@code buf[p]}; false if it is not one of ours. */
        final boolean deliveredText(byte[] buf, int p, int end, boolean own) {
            SayText t = room.parsed;
            if (!t.parse(buf, p, end) || t.from >= room.n) {
                return false;
            }
            delivered(t.from, t.seq, t.sentAt, own && t.from == id);
            return true;
        }

        final void error(String line) {
            room.errors++;
            if (room.errors <= 3) {
                System.err.println("room: server error: " + line.strip());
            }
        }

        @Override
        void onClose(IOException cause) {
            if (!in) {
                failedToJoin(cause == null ? "closed by the server before joining" : cause.getMessage());
            } else if (room.sending || room.measuring) {
                room.dropped++;
            }
        }
    }

    /** Scratch space for parsing a delivered text in place (one loop thread: one instance). */
    final SayText parsed = new SayText();

    /**
     * Runs the scenario with the chatters {@code chatter} makes, chatter {@code i} connected to
     * {@code address(i)}, at most {@code connectBatch} of them connecting or joining at once.
     *
     * @throws NoConnectionException if no chatter joined
     */
    Map<String, Object> run(IntFunction<Chatter> chatter, IntFunction<InetSocketAddress> address, int connectBatch)
            throws IOException {
        List<Chatter> conns = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            conns.add(chatter.apply(i));
        }
        Map<String, Object> r = new LinkedHashMap<>();
        try (NioLoop loop = new NioLoop()) {
            long t0 = System.nanoTime();
            long setupDeadline = t0 + LoadGenerator.secs(o.connectTimeoutSeconds);
            int[] next = {0};
            Runnable feed = () -> {
                while (next[0] < n && next[0] - (joined + failedBeforeJoin) < connectBatch) {
                    int i = next[0]++;
                    loop.connect(conns.get(i), address.apply(i));
                }
            };
            feed.run();
            loop.runUntil(() -> joined + failedBeforeJoin >= n, setupDeadline, feed);
            if (joined == 0) {
                throw new NoConnectionException("room: none of the " + n + " chatters joined the room at " + targets + " ("
                        + (firstFailure != null ? firstFailure : "none within --connect-timeout " + o.connectTimeoutSeconds + " s")
                        + "); is the server running there?");
            }
            r.put("joined", joined);
            r.put("setup_s", (System.nanoTime() - t0) / 1e9);
            sending = true;
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
            loop.runUntil(() -> false, start + LoadGenerator.secs(o.warmupSeconds), o.rate > 0 ? pump : null);
            measureFrom = System.nanoTime();
            measuring = true;
            long m0 = measureFrom;
            loop.runUntil(() -> false, m0 + LoadGenerator.secs(o.durationSeconds), o.rate > 0 ? pump : null);
            long elapsed = System.nanoTime() - m0;
            measuring = false;
            sending = false;
            long inWindow = measured;
            // Drain: every say acknowledged and delivered to every member, or DRAIN_SECONDS.
            loop.runUntil(() -> acked >= sent && delivered >= sent * joined,
                    System.nanoTime() + LoadGenerator.secs(DRAIN_SECONDS), null);
            long expected = sent * (long) joined;
            r.put("says", sent);
            r.put("deliveries", inWindow);
            r.put("seconds", elapsed / 1e9);
            r.put("deliveries_per_s", inWindow / (elapsed / 1e9));
            r.put("says_per_s", inWindow / (double) Math.max(1, joined) / (elapsed / 1e9));
            LoadGenerator.putLatency(r, latency);
            r.put("lost", Math.max(0, expected - delivered));
            r.put("order_violations", orderViolations);
            r.put("gaps", gaps);
            r.put("errors", errors);
            r.put("dropped_connections", dropped);
            if (inWindow == 0) {
                // Not a throughput of zero: the server fell so far behind (or stalled) that nothing
                // arrived during the window; say so in the tables instead of printing 0.
                r.put("failure", "no delivery arrived in the measured window (overloaded or stalled); "
                        + Math.max(0, expected - delivered) + " of " + expected + " still undelivered after a "
                        + (long) DRAIN_SECONDS + " s drain");
            }
        }
        return r;
    }

    /**
     * The text of a say, {@code s<sender>q<seq>t<nanoTime>.}, padded by the wire: who sent it,
     * its number and when (one process, one clock). Parsed in place from the read buffer, since
     * at millions of deliveries a second the load generator's cost per line decides whether it
     * measures the server or itself.
     */
    static final class SayText {
        int from;
        int seq;
        long sentAt;

        static String of(int id, int seq, long now) {
            return "s" + id + 'q' + seq + 't' + now + '.';
        }

        /** Parses {@code buf[p, end)}, which must start with the {@code s} of a say text. */
        boolean parse(byte[] buf, int p, int end) {
            if (p >= end || buf[p++] != 's') {
                return false;
            }
            int f = 0;
            for (; p < end && buf[p] >= '0' && buf[p] <= '9'; p++) {
                f = f * 10 + (buf[p] - '0');
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
            long t = 0;
            boolean negative = p < end && buf[p] == '-';
            if (negative) {
                p++;
            }
            for (; p < end && buf[p] >= '0' && buf[p] <= '9'; p++) {
                t = t * 10 + (buf[p] - '0');
            }
            if (p >= end || buf[p] != '.') {
                return false;
            }
            from = f;
            seq = s;
            sentAt = negative ? -t : t;
            return true;
        }
    }
}
