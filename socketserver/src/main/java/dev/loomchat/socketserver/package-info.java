/**
 * Python's {@code socketserver} module on Java 21: servers that accept requests and run one
 * blocking handler per request, on virtual threads when threaded.
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
 * <h2>What it owns</h2>
 * <ul>
 *   <li>The servers: {@link dev.loomchat.socketserver.BaseServer} (the request loop and its
 *       hooks), {@link dev.loomchat.socketserver.TCPServer}, {@link dev.loomchat.socketserver.UDPServer},
 *       {@link dev.loomchat.socketserver.UnixStreamServer}, {@link dev.loomchat.socketserver.UnixDatagramServer},
 *       and their {@code Threading*} and {@code Forking*} variants.</li>
 *   <li>The handlers: {@link dev.loomchat.socketserver.BaseRequestHandler},
 *       {@link dev.loomchat.socketserver.StreamRequestHandler},
 *       {@link dev.loomchat.socketserver.DatagramRequestHandler}, made per request by a
 *       {@link dev.loomchat.socketserver.RequestHandlerFactory}.</li>
 *   <li>The two processing strategies, Java's mix-ins ({@link dev.loomchat.socketserver.RequestProcessing}):
 *       {@link dev.loomchat.socketserver.Threading} and {@link dev.loomchat.socketserver.Forking}.
 *       Forking's machinery (child JVMs, descriptor passing, the pre-forked pool) is in
 *       {@link dev.loomchat.socketserver.fork}.</li>
 * </ul>
 *
 * <h2>Python's names</h2>
 * Python's classes keep their names. Its attributes and methods become camel-cased methods with
 * Python's defaults; class attributes are overridable getters:
 * <table>
 *   <caption>Python → Java</caption>
 *   <tr><th>Python</th><th>Java</th></tr>
 *   <tr><td>{@code RequestHandlerClass}</td><td>{@link dev.loomchat.socketserver.RequestHandlerFactory}
 *       ({@code MyHandler::new}); {@link dev.loomchat.socketserver.NamedHandlerFactory} for forking servers</td></tr>
 *   <tr><td>{@code ThreadingMixIn}, {@code ForkingMixIn}</td><td>{@link dev.loomchat.socketserver.Threading},
 *       {@link dev.loomchat.socketserver.Forking}, given to the server's constructor</td></tr>
 *   <tr><td>{@code server_address}, {@code timeout}, {@code fileno()}, {@code socket}</td>
 *       <td>{@code serverAddress()}, {@code timeout()} ({@code null} is {@code None}), {@code fileno()}
 *       (the channel), {@code socket()}</td></tr>
 *   <tr><td>{@code serve_forever}, {@code shutdown}, {@code handle_request}, {@code server_close},
 *       {@code with server:}</td><td>{@code serveForever}, {@code shutdown}, {@code handleRequest},
 *       {@code serverClose}, try-with-resources</td></tr>
 *   <tr><td>{@code get_request}, {@code verify_request}, {@code process_request},
 *       {@code finish_request}, {@code shutdown_request}, {@code close_request},
 *       {@code handle_error}, {@code handle_timeout}, {@code service_actions},
 *       {@code server_bind}, {@code server_activate}</td><td>the same, camel-cased;
 *       {@code getRequest} returns a {@link dev.loomchat.socketserver.ReceivedRequest},
 *       {@code handleError} is given the exception</td></tr>
 *   <tr><td>{@code address_family}, {@code request_queue_size}, {@code allow_reuse_address},
 *       {@code allow_reuse_port}, {@code max_packet_size}</td><td>{@code addressFamily()},
 *       {@code requestQueueSize()}, {@code allowReuseAddress()}, {@code allowReusePort()},
 *       {@code maxPacketSize()}</td></tr>
 *   <tr><td>{@code daemon_threads}, {@code block_on_close}, {@code max_children},
 *       {@code active_children}, {@code collect_children}</td><td>on the strategy:
 *       {@code Threading.daemonThreads()}, {@code blockOnClose()}, {@code Forking.maxChildren()},
 *       {@code activeChildren()}, {@code collectChildren(blocking)}</td></tr>
 *   <tr><td>{@code self.request}, {@code client_address}, {@code server}, {@code connection},
 *       {@code packet}, {@code socket}</td><td>{@code request()}, {@code clientAddress()},
 *       {@code server()}, {@code connection()}, {@code packet()}, {@code socket()}; a datagram
 *       request is a {@link dev.loomchat.socketserver.DatagramRequest}</td></tr>
 *   <tr><td>{@code rfile}, {@code wfile}, {@code rbufsize}, {@code wbufsize},
 *       {@code disable_nagle_algorithm}</td><td>{@code rfile()} (a
 *       {@link dev.loomchat.socketserver.LineInputStream} with {@code readline()}), {@code wfile()},
 *       {@code rbufsize()}, {@code wbufsize()}, {@code disableNagleAlgorithm()}</td></tr>
 *   <tr><td>{@code BaseException} (e.g. {@code SystemExit}) from a handler</td><td>an {@link Error}:
 *       not given to {@code handleError}</td></tr>
 * </table>
 * Where the Java class does something else than Python's, its javadoc says so.
 *
 * <p>This package knows nothing about chat or JSON. It depends on slf4j, and on junixsocket for
 * what the JDK lacks: AF_UNIX datagram sockets and file-descriptor passing.
 */
package dev.loomchat.socketserver;
