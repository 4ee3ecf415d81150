package dev.loomchat.socketserver.fork;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.newsclub.net.unix.AFUNIXServerSocketChannel;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where child JVMs call their forking server back to be handed a request: an AF_UNIX stream
 * socket in a fresh private directory (mode 700, so only this user's processes can connect), and
 * an acceptor thread. Each child is expected under a random token it was given on its command
 * line; the session registered for the token then runs on a thread of its own and owns the
 * control socket. A connection with an unknown token is closed.
 *
 * <p>Sessions run on platform threads: junixsocket's blocking calls are native and would pin a
 * virtual thread's carrier for as long as a pool worker waits.
 *
 * <p>Threading: {@link #expect}, {@link #forget} and {@link #close} are safe from any thread.
 */
final class HandoffListener implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HandoffListener.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A child's part of the conversation, run once the child with its token has connected. */
    interface Session {
        void run(AFUNIXSocketChannel control) throws IOException;
    }

    private final Path directory;
    private final Path socketPath;
    private final AFUNIXServerSocketChannel socket;
    private final Map<String, Session> expected = new ConcurrentHashMap<>();
    private final Thread acceptor;
    private volatile boolean closed;

    private HandoffListener() throws IOException {
        directory = Files.createTempDirectory("loomchat-fork-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        socketPath = directory.resolve("handoff.sock");
        try {
            socket = AFUNIXServerSocketChannel.open();
            socket.bind(AFUNIXSocketAddress.of(socketPath), 128);
        } catch (IOException | RuntimeException e) {
            deleteFiles();
            throw e;
        }
        acceptor = Thread.ofPlatform().daemon(true).name("fork-handoff-acceptor").start(this::acceptLoop);
    }

    static HandoffListener open() throws IOException {
        return new HandoffListener();
    }

    /** The socket children connect to. */
    Path path() {
        return socketPath;
    }

    /** A new unguessable token. */
    static String newToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Registers the session for the child started with {@code token}. */
    void expect(String token, Session session) {
        expected.put(token, session);
    }

    /**
     * Drops the session for {@code token} if its child has not connected yet.
     *
     * @return whether it was still waiting (so the caller, not the session, owns what it held)
     */
    boolean forget(String token) {
        return expected.remove(token) != null;
    }

    private void acceptLoop() {
        while (!closed) {
            AFUNIXSocketChannel control;
            try {
                control = socket.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("fork handoff: accept failed", e);
                }
                return;
            }
            Thread.ofPlatform().daemon(true).name("fork-handoff-session").start(() -> greet(control));
        }
    }

    private void greet(AFUNIXSocketChannel control) {
        try (control) {
            control.setAncillaryReceiveBufferSize(1024);
            Handoff.Frame hello = Handoff.read(control);
            Session session = hello == null ? null : expected.remove(Handoff.readHello(hello));
            if (session != null) {
                session.run(control);
            }
        } catch (IOException | RuntimeException e) {
            if (!closed) {
                LOG.warn("fork handoff: session with a child failed", e);
            }
        }
    }

    /** Stops accepting and removes the socket and its directory. Sessions running go on. */
    @Override
    public void close() {
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // Closed anyway.
        }
        try {
            acceptor.join(java.time.Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteFiles();
    }

    private void deleteFiles() {
        try {
            Files.deleteIfExists(socketPath);
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            // Best effort: a private empty directory in the temp dir.
        }
    }
}
