package dev.loomchat.client;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.Codec;
import dev.loomchat.protocol.Decoded;
import dev.loomchat.protocol.FrameWriter;
import dev.loomchat.protocol.Limits;
import dev.loomchat.protocol.Line;
import dev.loomchat.protocol.LineReader;
import dev.loomchat.protocol.ServerMessage;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fake chat server on 127.0.0.1 whose first connection goes silent after the welcome: it
 * stops reading and answering but keeps the socket open, like a hung server or a dead network
 * path. Later connections get a working minimal server: {@code welcome} for {@code hello},
 * {@code pong} for {@code ping}, {@code bye} for {@code quit}.
 */
final class SilentServer implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();

    SilentServer() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("silent-accept").start(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    int accepted() {
        return connections.size();
    }

    /**
     * What the client sent on the first connection after its hello, which this server never
     * read: waits up to a second for more, so call it once that connection is given up.
     */
    String unreadOnFirst() throws IOException {
        Socket first = connections.getFirst();
        first.setSoTimeout(1000);
        var text = new StringBuilder();
        InputStream in = first.getInputStream();
        byte[] buffer = new byte[4096];
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // nothing more, or the client reset the connection when it gave up
        }
        return text.toString();
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                boolean goesSilent = connections.isEmpty();
                connections.add(socket);
                Thread.ofVirtual().name("silent-conn").start(() -> serve(socket, goesSilent));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void serve(Socket socket, boolean goesSilent) {
        try {
            // One byte at a time, so that nothing after the hello is read into a buffer here.
            var lines = new LineReader(new OneByteAtATime(socket.getInputStream()), 65536);
            var out = new FrameWriter(socket.getOutputStream());
            while (true) {
                Line line = lines.read();
                if (!(line instanceof Line.Text text)) {
                    return;
                }
                if (!(Codec.CLIENT_TO_SERVER.decode(text.bytes()) instanceof Decoded.Ok<ClientMessage> ok)) {
                    continue;
                }
                switch (ok.message()) {
                    case ClientMessage.Hello hello -> out.write(new ServerMessage.Welcome(hello.nick(), "silent", "0",
                            1, Limits.DEFAULTS, hello.ref()));
                    case ClientMessage.Ping ping -> out.write(new ServerMessage.Pong(ping.ref()));
                    case ClientMessage.Quit quit -> {
                        out.write(new ServerMessage.Bye(quit.ref()));
                        out.flush();
                        return;
                    }
                    default -> {
                    }
                }
                out.flush();
                if (goesSilent) {
                    return; // the socket stays open; nothing reads or writes it any more
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : connections) {
            socket.close();
        }
    }

    /** Reads at most one byte per call, so a line reader never reads past the line it returns. */
    private static final class OneByteAtATime extends InputStream {
        private final InputStream in;

        OneByteAtATime(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return len == 0 ? 0 : in.read(b, off, 1);
        }
    }
}
