package dev.loomchat.socketserver.fork;

import dev.loomchat.socketserver.BaseRequestHandler;
import dev.loomchat.socketserver.BaseServer;
import dev.loomchat.socketserver.DatagramRequest;
import dev.loomchat.socketserver.NamedHandlerFactory;
import dev.loomchat.socketserver.RequestHandlerFactory;
import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.newsclub.net.unix.AFUNIXSocketAddress;
import org.newsclub.net.unix.AFUNIXSocketChannel;

/**
 * The main class of a forking server's child JVM (started by {@link ChildJvm}; not for people to
 * run): calls the parent's handoff socket back, loads the named handler, then handles what it is
 * handed — one request for {@link dev.loomchat.socketserver.Forking#processPerRequest()} (then
 * exits with Python's child status: 0, or 1 if the handler threw), or requests until the parent
 * closes the socket for a {@link dev.loomchat.socketserver.Forking#preforkedPool pool} worker.
 * Exit status 2: the child could not start (its message is on standard error).
 */
final class ForkedChild {

    private ForkedChild() {
    }

    public static void main(String[] args) {
        int status;
        try {
            if (args.length != 2) {
                throw new IllegalArgumentException("usage: ForkedChild HANDOFF_SOCKET TOKEN (started by a forking server)");
            }
            status = run(Path.of(args[0]), args[1]);
        } catch (Exception e) {
            System.err.println("loomchat forked child: cannot serve: " + e);
            e.printStackTrace();
            status = 2;
        }
        System.exit(status);
    }

    private static int run(Path handoff, String token) throws Exception {
        try (AFUNIXSocketChannel control = AFUNIXSocketChannel.open(AFUNIXSocketAddress.of(handoff))) {
            control.setAncillaryReceiveBufferSize(1024);
            Handoff.write(control, Handoff.hello(token), null);
            Handoff.Frame setupFrame = Handoff.read(control);
            if (setupFrame == null) {
                return 0; // the server closed before handing anything over
            }
            Handoff.Setup setup = Handoff.readSetup(setupFrame);
            RequestHandlerFactory<?> factory = handlerFactory(setup.handlerClass(), setup.factoryClass());
            Handoff.write(control, Handoff.status(0), null); // READY
            while (true) {
                Handoff.Frame frame = Handoff.read(control);
                if (frame == null) {
                    return 0; // a pool worker told to stop
                }
                int status = handle(setup.serverAddress(), factory, Handoff.readJob(frame));
                if (setup.oneShot()) {
                    return status;
                }
                Handoff.write(control, Handoff.status(status), null); // DONE
            }
        }
    }

    /**
     * The factory the server named: {@link NamedHandlerFactory} builds a factory class once, so a
     * pool worker reuses one factory instance for all its requests.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static RequestHandlerFactory<?> handlerFactory(String className, boolean factoryClass)
            throws ClassNotFoundException {
        Class<?> loaded = Class.forName(className, true, ClassLoader.getSystemClassLoader());
        Class<?> expected = factoryClass ? RequestHandlerFactory.class : BaseRequestHandler.class;
        if (!expected.isAssignableFrom(loaded)) {
            throw new IllegalArgumentException(className + " is not a " + expected.getSimpleName());
        }
        return factoryClass
                ? NamedHandlerFactory.ofFactory((Class) loaded)
                : NamedHandlerFactory.ofClass((Class) loaded);
    }

    /** Python's child branch of {@code ForkingMixIn.process_request}; returns the exit status. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int handle(SocketAddress serverAddress, RequestHandlerFactory<?> factory, Handoff.Job job)
            throws IOException {
        Object request;
        SelectableChannel channel;
        if (job.kind() == Handoff.STREAM) {
            SocketChannel connection = ChannelDescriptors.socketChannel(job.socket(), job.family(), job.clientAddress());
            request = connection;
            channel = connection;
        } else {
            DatagramChannel socket = job.family() == StandardProtocolFamily.UNIX
                    ? ChannelDescriptors.unixDatagramChannel(job.socket())
                    : ChannelDescriptors.datagramChannel(job.socket(), job.family());
            request = new DatagramRequest(job.packet(), socket);
            channel = socket;
        }
        BaseServer server = new ChildServer(serverAddress, factory, channel);
        int status = 1;
        try {
            server.finishRequest(request, job.clientAddress());
            status = 0;
        } catch (Exception e) {
            server.handleError(request, job.clientAddress(), e);
        } finally {
            server.shutdownRequest(request);
        }
        return status;
    }
}
