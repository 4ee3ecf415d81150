package dev.loomchat.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a test server, whose current connections can be made a
 * dead network path: {@link #freeze()} keeps their sockets open but forwards nothing more in
 * either direction (what arrives is dropped), so neither end sees a close. Connections made
 * later pass normally. Closed by {@link #close()}.
 */
final class TcpProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<AtomicBoolean> frozen = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();

    TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("proxy-accept").start(this::acceptLoop);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted so far. */
    int accepted() {
        return accepted.get();
    }

    /** Makes every current connection a dead path (see the class comment). */
    void freeze() {
        frozen.forEach(flag -> flag.set(true));
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
                sockets.add(client);
                sockets.add(server);
                var flag = new AtomicBoolean();
                frozen.add(flag);
                accepted.incrementAndGet();
                Thread.ofVirtual().name("proxy-up").start(() -> pump(client, server, flag));
                Thread.ofVirtual().name("proxy-down").start(() -> pump(server, client, flag));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private static void pump(Socket from, Socket to, AtomicBoolean frozen) {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (!frozen.get()) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
            if (!frozen.get()) {
                to.shutdownOutput();
            }
        } catch (IOException e) {
            // one side closed: the other pump or close() ends the rest
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
