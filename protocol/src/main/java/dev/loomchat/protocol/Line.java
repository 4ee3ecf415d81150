package dev.loomchat.protocol;

import java.util.Objects;

/** One result of {@link LineReader#read()}: the framing layer only, before any JSON. */
public sealed interface Line {

    /**
     * A complete, non-blank line without its {@code \n} or {@code \r\n} terminator. The array is
     * the caller's own copy.
     */
    record Text(byte[] bytes) implements Line {
        public Text {
            Objects.requireNonNull(bytes, "bytes");
        }
    }

    /**
     * A line longer than the reader's limit. Reported as soon as the limit is passed; the rest of
     * it, up to and including its newline, is discarded as it arrives, and the next read starts
     * with the following line.
     *
     * @param limit the limit that was exceeded, in bytes
     */
    record TooLong(int limit) implements Line {
    }

    /**
     * The stream ended in the middle of a line (bytes after the last newline). The bytes are
     * dropped; the next read returns {@link End}.
     *
     * @param bytes how many bytes the unfinished line had
     */
    record Truncated(int bytes) implements Line {
    }

    /** The stream ended at a line boundary; every later read returns this too. */
    record End() implements Line {
    }
}
