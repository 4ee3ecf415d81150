package dev.loomchat.client;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/** A thread-safe output capture that can be read as text or lines while it is written. */
final class Captured extends OutputStream {

    private final ReentrantLock lock = new ReentrantLock();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public void write(int b) {
        lock.lock();
        try {
            bytes.write(b);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) {
        lock.lock();
        try {
            bytes.write(b, off, len);
        } finally {
            lock.unlock();
        }
    }

    PrintStream printStream() {
        return new PrintStream(this, true, StandardCharsets.UTF_8);
    }

    String text() {
        lock.lock();
        try {
            return bytes.toString(StandardCharsets.UTF_8);
        } finally {
            lock.unlock();
        }
    }

    List<String> lines() {
        return text().lines().toList();
    }
}
