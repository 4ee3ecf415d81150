package dev.loomchat.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;

/** Input streams that deliver bytes the awkward ways a socket can. */
final class TestStreams {

    private TestStreams() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Returns at most one byte per read call. */
    static InputStream oneByteAtATime(byte[] data) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < data.length ? data[pos++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                int c = read();
                if (c < 0) {
                    return -1;
                }
                b[off] = (byte) c;
                return 1;
            }
        };
    }

    /** Returns chunks of random size (1 to maxChunk) per read call. */
    static InputStream randomChunks(byte[] data, SplittableRandom random, int maxChunk) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() {
                return pos < data.length ? data[pos++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                if (pos >= data.length) {
                    return -1;
                }
                int n = Math.min(Math.min(len, data.length - pos), 1 + random.nextInt(maxChunk));
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    /** Returns exactly the given chunks, one (or part of one, if the caller's room is smaller) per read. */
    static InputStream chunks(List<byte[]> chunks) {
        Deque<byte[]> queue = new ArrayDeque<>(chunks);
        return new InputStream() {
            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                byte[] head = queue.poll();
                if (head == null) {
                    return -1;
                }
                int n = Math.min(len, head.length);
                System.arraycopy(head, 0, b, off, n);
                if (n < head.length) {
                    byte[] rest = new byte[head.length - n];
                    System.arraycopy(head, n, rest, 0, rest.length);
                    queue.addFirst(rest);
                }
                return n;
            }
        };
    }

    /** {@code count} bytes of {@code fill}, generated on demand (never held), then {@code tail}. */
    /**
     * One read per entry of {@code script}, each returning that chunk, or, for a {@code null}
     * entry, throwing {@link java.net.SocketTimeoutException} (an idle check, a quiet client);
     * then EOF.
     */
    static InputStream scripted(byte[]... script) {
        return new InputStream() {
            private int step;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (step >= script.length) {
                    return -1;
                }
                byte[] chunk = script[step++];
                if (chunk == null) {
                    throw new java.net.SocketTimeoutException("quiet");
                }
                System.arraycopy(chunk, 0, b, off, chunk.length);
                return chunk.length;
            }
        };
    }

    static InputStream generated(long count, byte fill, byte[] tail) {
        return new InputStream() {
            private long produced;
            private int tailPos;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (len == 0) {
                    return 0;
                }
                if (produced < count) {
                    int n = (int) Math.min(len, count - produced);
                    java.util.Arrays.fill(b, off, off + n, fill);
                    produced += n;
                    return n;
                }
                if (tailPos >= tail.length) {
                    return -1;
                }
                int n = Math.min(len, tail.length - tailPos);
                System.arraycopy(tail, tailPos, b, off, n);
                tailPos += n;
                return n;
            }
        };
    }

    /** Serves {@code data}, then fails the test if anyone reads further. */
    static InputStream thenFail(byte[] data) {
        return new InputStream() {
            private int pos;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= data.length) {
                    throw new AssertionError("read past the data the test expected to be enough");
                }
                int n = Math.min(len, data.length - pos);
                System.arraycopy(data, pos, b, off, n);
                pos += n;
                return n;
            }
        };
    }

    /** Splits {@code data} into chunks of {@code size} bytes. */
    static List<byte[]> split(byte[] data, int size) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < data.length; i += size) {
            out.add(java.util.Arrays.copyOfRange(data, i, Math.min(data.length, i + size)));
        }
        return out;
    }
}
