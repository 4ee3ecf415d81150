package dev.loomchat.server.door;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that watches every parked connection of the process: a {@link Selector} on
 * which a quiet connection waits for input without a reader thread of its own (see
 * {@link ConnectionParking}). When input arrives, the connection closes, or a writer needs the
 * connection back in blocking mode, this thread takes the channel off the selector, puts it back
 * in blocking mode and starts a new reader virtual thread for it.
 *
 * <p>Why one platform thread: it is the JDK's own design for its I/O poller, and a parked
 * connection then costs a selection key instead of a parked virtual thread and its stack.
 * Commands come from other threads through a queue and a {@link Selector#wakeup()}; the keys
 * and the per-connection watch state are touched by this thread only.
 */
final class ParkedConnections {

    private static final Logger LOG = LoggerFactory.getLogger(ParkedConnections.class);

    private static final class Holder {
        static final ParkedConnections SHARED = start();
    }

    private final Selector selector;
    private final Queue<Command> commands = new ConcurrentLinkedQueue<>();
    private final List<ConnectionParking> resuming = new ArrayList<>();

    /** Park a connection ({@code wake} false), or wake it ({@code wake} true). */
    private record Command(ConnectionParking connection, boolean wake) {
    }

    private ParkedConnections(Selector selector) {
        this.selector = selector;
    }

    /** The process's watcher, started on first use. */
    static ParkedConnections shared() {
        return Holder.SHARED;
    }

    private static ParkedConnections start() {
        try {
            ParkedConnections watcher = new ParkedConnections(Selector.open());
            Thread.ofPlatform().name("loomchat-parked-connections").daemon(true).start(watcher::run);
            return watcher;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the selector for parked connections", e);
        }
    }

    /** Watches {@code connection}, already in non-blocking mode, for input. Any thread. */
    void park(ConnectionParking connection) {
        commands.add(new Command(connection, false));
        selector.wakeup();
    }

    /** Gives {@code connection} a reader thread again if it is parked or about to park. Any thread. */
    void wake(ConnectionParking connection) {
        commands.add(new Command(connection, true));
        selector.wakeup();
    }

    private void run() {
        while (true) {
            try {
                selector.select();
                takeCommands();
                takeReady();
                while (!resuming.isEmpty()) {
                    List<ConnectionParking> batch = List.copyOf(resuming);
                    resuming.clear();
                    selector.selectNow(); // deregisters the batch's cancelled keys, so its channels can block again
                    takeReady(); // input that arrived meanwhile: the next batch
                    batch.forEach(ConnectionParking::resumeOnWatcher);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("parked connections: {}", e.toString());
            }
        }
    }

    private void takeCommands() {
        Command command;
        while ((command = commands.poll()) != null) {
            ConnectionParking connection = command.connection();
            if (command.wake()) {
                SelectionKey key = connection.key;
                if (key != null) {
                    key.cancel();
                    connection.key = null;
                    resuming.add(connection);
                } else {
                    connection.wakeRequested = true; // it is about to park: resume it at once
                }
            } else if (connection.wakeRequested) {
                connection.wakeRequested = false;
                resuming.add(connection);
            } else {
                try {
                    connection.key = connection.channel().register(selector, SelectionKey.OP_READ, connection);
                } catch (ClosedChannelException e) {
                    resuming.add(connection); // its reader ends the session
                }
            }
        }
    }

    private void takeReady() {
        for (SelectionKey key : selector.selectedKeys()) {
            key.cancel();
            ConnectionParking connection = (ConnectionParking) key.attachment();
            if (connection.key == key) {
                connection.key = null;
                resuming.add(connection);
            }
        }
        selector.selectedKeys().clear();
    }
}
