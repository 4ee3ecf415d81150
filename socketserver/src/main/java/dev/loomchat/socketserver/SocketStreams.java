package dev.loomchat.socketserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Raw byte streams over a connected, blocking {@link SocketChannel}, TCP or AF_UNIX, whose
 * {@code close()} leaves the connection open (the server closes it in {@code shutdownRequest}).
 *
 * <p>Reads and writes go straight to the channel, which has separate read and write locks, so
 * one thread may read while another writes (a chat handler's writer thread) and a virtual thread
 * blocked in either unmounts. No {@code synchronized} is involved (it would pin on JDK 21-23).
 *
 * <p>Read timeouts: for TCP the JDK's socket adaptor gives a timed read and the connection stays
 * usable after a {@link SocketTimeoutException}, as in Python. AF_UNIX channels have no timed
 * read, so there the timeout closes the connection and the read throws
 * {@link SocketTimeoutException}: the handler can only end, which is what handlers do on a
 * timeout anyway.
 */
final class SocketStreams {

    private static final ScheduledExecutorService UNIX_READ_TIMER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("socketserver-unix-read-timeout").daemon(true).factory());

    private SocketStreams() {
    }

    /** An input stream over {@code channel}; {@code timeout} null means reads block forever. */
    static InputStream input(SocketChannel channel, Duration timeout) throws IOException {
        boolean unix = isUnix(channel);
        if (!unix && timeout != null) {
            channel.socket().setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis())));
            return new NonClosingInput(channel.socket().getInputStream());
        }
        return new ChannelInput(channel, unix ? timeout : null);
    }

    /**
     * An output stream over {@code channel}: with {@code bufferSize} 0 unbuffered (every write is
     * sent in full at once), otherwise writes are held in a buffer of that size until it fills or
     * is flushed. Once closed (closing flushes), every write and flush throws.
     */
    static OutputStream output(SocketChannel channel, int bufferSize) {
        if (bufferSize < 0) {
            throw new IllegalArgumentException("bufferSize must be >= 0: " + bufferSize);
        }
        return new ChannelOutput(channel, bufferSize == 0 ? null : ByteBuffer.allocate(bufferSize));
    }

    private static boolean isUnix(SocketChannel channel) throws IOException {
        return channel.getLocalAddress() instanceof UnixDomainSocketAddress
                || channel.getRemoteAddress() instanceof UnixDomainSocketAddress;
    }

    /** Reads from the channel; with a timeout (AF_UNIX only) an alarm closes it. */
    private static final class ChannelInput extends InputStream {
        private final SocketChannel channel;
        private final Duration timeout;
        private volatile boolean timedOut;

        ChannelInput(SocketChannel channel, Duration timeout) {
            this.channel = channel;
            this.timeout = timeout;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            ByteBuffer target = ByteBuffer.wrap(b, off, len);
            if (timeout == null) {
                return channel.read(target);
            }
            ScheduledFuture<?> alarm = UNIX_READ_TIMER.schedule(this::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
            try {
                return channel.read(target);
            } catch (AsynchronousCloseException e) {
                if (timedOut) {
                    throw new SocketTimeoutException("read timed out after " + timeout.toMillis() + " ms");
                }
                throw e;
            } finally {
                alarm.cancel(false);
            }
        }

        private void expire() {
            timedOut = true;
            try {
                channel.close();
            } catch (IOException e) {
                // The reader sees the closed channel either way.
            }
        }
    }

    /**
     * Writes every byte before returning (blocking channel writes are complete), through a buffer
     * if it has one. Not thread-safe when buffered; unbuffered, one writer at a time is the
     * channel's own rule.
     */
    private static final class ChannelOutput extends OutputStream {
        private final SocketChannel channel;
        private final ByteBuffer buffer; // null: unbuffered
        private volatile boolean closed;

        ChannelOutput(SocketChannel channel, ByteBuffer buffer) {
            this.channel = channel;
            this.buffer = buffer;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            ensureOpen();
            if (buffer == null) {
                writeFully(ByteBuffer.wrap(b, off, len));
                return;
            }
            if (len > buffer.remaining()) {
                flushBuffer();
            }
            if (len >= buffer.capacity()) {
                writeFully(ByteBuffer.wrap(b, off, len)); // a large write bypasses the buffer
            } else {
                buffer.put(b, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            ensureOpen();
            flushBuffer();
        }

        /** Flushes what is buffered, then refuses every further write (Python: "write to closed file"). */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            try {
                flushBuffer();
            } finally {
                closed = true;
            }
        }

        private void flushBuffer() throws IOException {
            if (buffer == null || buffer.position() == 0) {
                return;
            }
            buffer.flip();
            try {
                writeFully(buffer);
            } finally {
                buffer.clear(); // what a failed write did not send is lost with the connection
            }
        }

        private void writeFully(ByteBuffer source) throws IOException {
            while (source.hasRemaining()) {
                channel.write(source);
            }
        }

        private void ensureOpen() throws IOException {
            if (closed) {
                throw new IOException("write to closed file: wfile is closed (finish() closes it)");
            }
        }
    }

    /** The JDK adaptor's stream, whose close would close the channel: close does nothing here. */
    private static final class NonClosingInput extends InputStream {
        private final InputStream in;

        NonClosingInput(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return in.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }
    }

}
