package dev.loomchat.server.door.lines;

import dev.loomchat.server.chat.ChatCore;
import dev.loomchat.server.tls.ServerTls;
import dev.loomchat.server.door.TcpListener;
import dev.loomchat.socketserver.BaseServer;
import dev.loomchat.socketserver.RequestHandlerFactory;
import dev.loomchat.socketserver.Threading;
import dev.loomchat.socketserver.ThreadingUnixStreamServer;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * The JSON-lines door's listeners: a {@link TcpListener} (plain or TLS) and a
 * {@link ThreadingUnixStreamServer} whose handlers are {@code LinesHandler}s on one
 * {@link ChatCore}. Unbound: the caller binds, activates and serves them (Python's
 * {@code server_bind}, {@code server_activate}, {@code serve_forever}).
 */
public final class LinesListeners {

    private LinesListeners() {
    }

    /** A TCP listener on {@code address} with the chat's backlog; a restart rebinds at once. */
    public static BaseServer<SocketChannel> tcp(ChatCore core, SocketAddress address, Threading threading,
                                                int backlog) throws IOException {
        return new TcpListener(address, () -> new LinesHandler(core, null), threading, backlog);
    }

    /** A TCP listener whose connections speak the protocol over TLS ({@code tls} handshakes first). */
    public static BaseServer<SocketChannel> tls(ChatCore core, SocketAddress address, ServerTls tls,
                                                Threading threading, int backlog) throws IOException {
        return new TcpListener(address, () -> new LinesHandler(core, tls), threading, backlog);
    }

    /** A Unix stream listener on {@code path}; a stale socket file left by a crash is replaced. */
    public static BaseServer<SocketChannel> unix(ChatCore core, Path path, Threading threading, int backlog)
            throws IOException {
        return new UnixListener(path, () -> new LinesHandler(core, null), threading, backlog);
    }

    private static final class UnixListener extends ThreadingUnixStreamServer {
        private final int backlog;

        UnixListener(Path path, RequestHandlerFactory<SocketChannel> handlers, Threading threading, int backlog)
                throws IOException {
            super(path, handlers, threading, false);
            this.backlog = backlog;
        }

        @Override
        public int requestQueueSize() {
            return backlog;
        }

        @Override
        public boolean allowReuseAddress() {
            return true;
        }
    }
}
