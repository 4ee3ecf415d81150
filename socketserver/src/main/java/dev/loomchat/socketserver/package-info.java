/**
 * Python's {@code socketserver} framework on Java 21: servers that accept requests and run one
 * blocking handler per request, on virtual threads when threaded.
 *
 * <p>The names follow Python's so its documentation applies: {@link dev.loomchat.socketserver.TCPServer},
 * {@link dev.loomchat.socketserver.UDPServer}, {@link dev.loomchat.socketserver.UnixStreamServer},
 * {@link dev.loomchat.socketserver.ThreadingTCPServer}, ...; handlers extend
 * {@link dev.loomchat.socketserver.StreamRequestHandler} or
 * {@link dev.loomchat.socketserver.DatagramRequestHandler} and override {@code handle()}.
 * Python's mix-ins become a {@link dev.loomchat.socketserver.RequestProcessing} strategy
 * ({@link dev.loomchat.socketserver.Threading#virtual()} by default in the threading classes).
 *
 * <pre>{@code
 * class MyTCPHandler extends StreamRequestHandler {
 *     protected void handle() throws IOException {
 *         byte[] line = rfile().readline();
 *         wfile().write(new String(line, UTF_8).toUpperCase().getBytes(UTF_8));
 *     }
 * }
 * try (var server = new ThreadingTCPServer(new InetSocketAddress("127.0.0.1", 9999), MyTCPHandler::new)) {
 *     server.serveForever();
 * }
 * }</pre>
 *
 * <p>The forking servers ({@link dev.loomchat.socketserver.ForkingTCPServer}, ...) run each request in a
 * child JVM handed the socket by file-descriptor passing, or in a pre-forked pool of worker
 * JVMs ({@link dev.loomchat.socketserver.Forking}).
 *
 * <p>This package knows nothing about chat or JSON. It depends on slf4j, and on junixsocket for
 * what the JDK lacks: AF_UNIX datagram sockets and file-descriptor passing.
 */
package dev.loomchat.socketserver;
