package dev.loomchat.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The load generator's engine: one thread, one {@link Selector}, non-blocking sockets. Each
 * connection is a {@link Conn} whose callbacks ({@link Conn#onConnect}, {@link Conn#onLine},
 * {@link Conn#onClose}) run on the loop thread, so scenarios need no locks. One shared read
 * buffer: a connection only keeps the unfinished tail of a line, so 19,000 idle connections cost
 * a few hundred bytes each here.
 */
final class NioLoop implements AutoCloseable {

    /** One client connection; subclasses are the scenario's state machines. */
    abstract static class Conn {
        SocketChannel channel;
        SelectionKey key;
        NioLoop loop;
        private byte[] carry = new byte[0];
        private int carryLen;
        private ArrayDeque<ByteBuffer> pending;
        boolean closed;

        void onConnect() {
        }

        abstract void onLine(String line);

        /**
         * A fast path for the hottest lines: handles the line {@code buf[start, end)} (without its
         * newline) straight from the read buffer and returns true, or returns false to have it
         * passed to {@link #onLine} as a String. At millions of deliveries a second the load
         * generator's per-line cost decides whether it measures the server or itself.
         */
        boolean onLineBytes(byte[] buf, int start, int end) {
            return false;
        }

        void onClose(IOException cause) {
        }

        /**
         * A connection that is not line-framed (a WebSocket) takes the bytes it reads as they come:
         * return true from {@link #rawBytes()} and handle {@code buf[start, end)} here.
         */
        boolean rawBytes() {
            return false;
        }

        void onBytes(byte[] buf, int start, int end) {
        }

        /** Writes {@code line} (which must end in a newline) now, or queues what the socket did not take. */
        final void send(String line) {
            send(line.getBytes(StandardCharsets.UTF_8));
        }

        final void send(byte[] bytes) {
            if (closed) {
                return;
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            try {
                if (pending == null || pending.isEmpty()) {
                    channel.write(buf);
                    if (!buf.hasRemaining()) {
                        return;
                    }
                    if (pending == null) {
                        pending = new ArrayDeque<>();
                    }
                    key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
                }
                pending.add(buf);
            } catch (IOException e) {
                loop.kill(this, e);
            }
        }

        final void close() {
            loop.kill(this, null);
        }

        private void flush() throws IOException {
            while (pending != null && !pending.isEmpty()) {
                ByteBuffer head = pending.peek();
                channel.write(head);
                if (head.hasRemaining()) {
                    return;
                }
                pending.poll();
            }
            key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        }
    }

    private final Selector selector;
    private final ByteBuffer readBuf = ByteBuffer.allocateDirect(1 << 18);
    private final byte[] readArr = new byte[1 << 18];
    private int open;

    NioLoop() throws IOException {
        selector = Selector.open();
    }

    int openConnections() {
        return open;
    }

    /** Starts a non-blocking connect; {@link Conn#onConnect} runs when it completes. */
    void connect(Conn c, InetSocketAddress address) {
        c.loop = this;
        try {
            SocketChannel ch = SocketChannel.open();
            c.channel = ch;
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            open++;
            if (ch.connect(address)) {
                c.key = ch.register(selector, SelectionKey.OP_READ, c);
                c.onConnect();
            } else {
                c.key = ch.register(selector, SelectionKey.OP_CONNECT, c);
            }
        } catch (IOException e) {
            kill(c, e);
        }
    }

    void kill(Conn c, IOException cause) {
        if (c.closed) {
            return;
        }
        c.closed = true;
        if (c.channel != null) {
            open--;
            try {
                c.channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        c.onClose(cause);
    }

    /**
     * Runs the loop until {@code done} is true or the deadline ({@link System#nanoTime}) passes,
     * calling {@code tick} at least every millisecond or so.
     */
    void runUntil(BooleanSupplier done, long deadline, Runnable tick) throws IOException {
        while (!done.getAsBoolean() && System.nanoTime() - deadline < 0) {
            selector.select(1);
            var keys = selector.selectedKeys();
            for (SelectionKey key : keys) {
                Conn c = (Conn) key.attachment();
                if (c.closed || !key.isValid()) {
                    continue;
                }
                try {
                    if (key.isConnectable()) {
                        c.channel.finishConnect();
                        key.interestOps(SelectionKey.OP_READ);
                        c.onConnect();
                        continue;
                    }
                    if (key.isWritable()) {
                        c.flush();
                    }
                    if (key.isReadable()) {
                        read(c);
                    }
                } catch (IOException e) {
                    kill(c, e);
                }
            }
            keys.clear();
            if (tick != null) {
                tick.run();
            }
        }
    }

    private void read(Conn c) throws IOException {
        for (int rounds = 0; rounds < 4 && !c.closed; rounds++) {
            readBuf.clear();
            int n = c.channel.read(readBuf);
            if (n < 0) {
                kill(c, null);
                return;
            }
            if (n == 0) {
                return;
            }
            readBuf.flip();
            readBuf.get(readArr, 0, n);
            if (c.rawBytes()) {
                c.onBytes(readArr, 0, n);
                if (n < readBuf.capacity()) {
                    return;
                }
                continue;
            }
            int start = 0;
            for (int i = 0; i < n && !c.closed; i++) {
                if (readArr[i] != '\n') {
                    continue;
                }
                if (c.carryLen == 0 && c.onLineBytes(readArr, start, i)) {
                    start = i + 1;
                    continue;
                }
                String line;
                if (c.carryLen > 0) {
                    byte[] joined = Arrays.copyOf(c.carry, c.carryLen + (i - start));
                    System.arraycopy(readArr, start, joined, c.carryLen, i - start);
                    line = new String(joined, StandardCharsets.ISO_8859_1);
                    c.carryLen = 0;
                    if (c.carry.length > 4096) {
                        c.carry = new byte[0];
                    }
                } else {
                    line = new String(readArr, start, i - start, StandardCharsets.ISO_8859_1);
                }
                start = i + 1;
                c.onLine(line);
            }
            if (start < n && !c.closed) {
                int rest = n - start;
                if (c.carry.length < c.carryLen + rest) {
                    c.carry = Arrays.copyOf(c.carry, Math.max(c.carryLen + rest, 256));
                }
                System.arraycopy(readArr, start, c.carry, c.carryLen, rest);
                c.carryLen += rest;
            }
            if (n < readBuf.capacity()) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        List<Conn> all = new ArrayList<>();
        for (SelectionKey k : selector.keys()) {
            all.add((Conn) k.attachment());
        }
        for (Conn c : all) {
            kill(c, null);
        }
        selector.close();
    }

    /** The first index of {@code needle} in {@code buf[from, to)}, or -1. */
    static int indexOf(byte[] buf, int from, int to, byte[] needle) {
        byte first = needle[0];
        outer:
        for (int i = from, last = to - needle.length; i <= last; i++) {
            if (buf[i] != first) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (buf[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** The string value of {@code "name":"..."} in a compact JSON line (no escapes expected), or null. */
    static String field(String line, String name) {
        String needle = "\"" + name + "\":";
        int i = line.indexOf(needle);
        if (i < 0) {
            return null;
        }
        i += needle.length();
        while (i < line.length() && line.charAt(i) == ' ') {
            i++;
        }
        if (i >= line.length() || line.charAt(i) != '"') {
            return null;
        }
        int end = line.indexOf('"', i + 1);
        return end < 0 ? null : line.substring(i + 1, end);
    }

    /** The {@code type} of a server frame: the first {@code "type":"..."} in the line. */
    static String type(String line) {
        return field(line, "type");
    }
}
