package dev.loomchat.server.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The data directory, held by one server at a time: created if missing, and locked through
 * {@code loomchat.lock} (an OS file lock, released by the OS when the process dies, so a crash
 * never leaves a stale lock; the file holds the owner's pid for the message a second server
 * prints).
 */
final class DataDirectory implements AutoCloseable {

    static final String LOCK_FILE = "loomchat.lock";
    static final String DATABASE_FILE = "loomchat.db";

    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path path, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Creates (if needed) and locks {@code path}.
     *
     * @throws StoreOpenException if it cannot be created or written, or another server holds it
     */
    static DataDirectory lock(Path path) throws StoreOpenException {
        Path dir = path.toAbsolutePath().normalize();
        FileChannel channel;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StoreOpenException("cannot use data directory " + dir + ": " + reason(e)
                    + " (the server must be able to write there: fix its owner or mode, or pick another with --data)",
                    e);
        }
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this very process (another server in the same JVM)
        } catch (IOException e) {
            closeQuietly(channel);
            throw new StoreOpenException("cannot lock data directory " + dir + ": " + reason(e), e);
        }
        if (lock == null) {
            String owner = owner(channel);
            closeQuietly(channel);
            throw new StoreOpenException("data directory " + dir + " is in use by another loomchat server"
                    + (owner.isEmpty() ? "" : " (pid " + owner + ")")
                    + ": stop that one, or give this one its own --data directory");
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        } catch (IOException e) {
            // The lock is what matters; the pid is only for the message above.
        }
        return new DataDirectory(dir, channel, lock);
    }

    Path path() {
        return path;
    }

    Path database() {
        return path.resolve(DATABASE_FILE);
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException e) {
            // Released with the channel anyway.
        }
        closeQuietly(lockChannel);
    }

    private static String owner(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(32);
            channel.read(buffer, 0);
            return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "";
        }
    }

    /** An I/O failure in words: "permission denied", "read-only file system", ... */
    static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // Closed either way.
        }
    }
}
