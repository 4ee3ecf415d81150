package dev.loomchat.socketserver;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/** The file-system side of AF_UNIX servers: stale socket files before bind, removal after close. */
final class UnixSocketFiles {

    private UnixSocketFiles() {
    }

    /**
     * Removes a leftover socket file at {@code address} (only a socket, never a regular file or
     * directory), so that bind can succeed: what {@code allowReuseAddress()} means for AF_UNIX.
     */
    static void removeStale(SocketAddress address) throws IOException {
        if (address instanceof UnixDomainSocketAddress unix) {
            Path path = unix.getPath();
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)
                    && Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther()) {
                Files.delete(path);
            }
        }
    }

    /** Deletes the socket file this server bound, ignoring one that is already gone. */
    static void removeBound(SocketAddress address) {
        if (address instanceof UnixDomainSocketAddress unix && !unix.getPath().toString().isEmpty()) {
            try {
                Files.deleteIfExists(unix.getPath());
            } catch (IOException e) {
                // Best effort: a leftover file only makes the next bind fail with a clear error.
            }
        }
    }
}
