package dev.loomchat.socketserver.fork;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.channels.Channel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.SelectorProvider;
import org.newsclub.net.unix.AFSocket;
import org.newsclub.net.unix.AFSocketCapability;
import org.newsclub.net.unix.AFUNIXDatagramChannel;
import org.newsclub.net.unix.AFUNIXSocket;
import org.newsclub.net.unix.FileDescriptorAccess;
import org.newsclub.net.unix.FileDescriptorCast;

/**
 * The file descriptor under a channel, and a channel over a received descriptor: the two ends of
 * handing a socket to a child JVM.
 *
 * <p>The JDK has no public API for either (only {@code System.inheritedChannel()} for fd 0), so
 * for the JDK's own channels this uses {@code sun.nio.ch} — {@code SelChImpl.getFD()} and the
 * constructors the JDK itself uses after {@code accept()} — which needs
 * {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED} (the launcher, the tests and the child
 * JVMs pass it). The child then holds the same channel classes the parent had. junixsocket's
 * channels (AF_UNIX datagrams) expose their descriptor publicly. The two {@code require...}
 * checks make a forking strategy fail at construction where either way is missing.
 */
final class ChannelDescriptors {

    static final String OPENS_FLAG = "--add-opens java.base/sun.nio.ch=ALL-UNNAMED";

    private ChannelDescriptors() {
    }

    private static String platform() {
        return System.getProperty("os.name") + "/" + System.getProperty("os.arch");
    }

    /** @throws UnsupportedOperationException unless file descriptors can be passed over AF_UNIX sockets here */
    static void requireFileDescriptorPassing() {
        if (!AFUNIXSocket.isSupported() || !AFSocket.supports(AFSocketCapability.CAPABILITY_FILE_DESCRIPTORS)) {
            throw new UnsupportedOperationException("forking servers are not supported on " + platform()
                    + ": the JVM cannot fork(), so a child JVM receives each connection by file-descriptor passing"
                    + " over an AF_UNIX socket (SCM_RIGHTS), and junixsocket's native library (which provides it)"
                    + " is not available for this platform; use Threading.virtual() instead");
        }
    }

    /** Whether {@code sun.nio.ch} is open to this code. */
    static boolean jdkInternalsOpen() {
        return Object.class.getModule().isOpen("sun.nio.ch", ChannelDescriptors.class.getModule());
    }

    /** @throws UnsupportedOperationException unless {@code sun.nio.ch} is open to this code */
    static void requireJdkInternalsOpen() {
        if (!jdkInternalsOpen()) {
            throw new UnsupportedOperationException("forking servers hand each socket to a child JVM by its file"
                    + " descriptor, which the JDK only exposes internally: start the JVM with " + OPENS_FLAG
                    + " (./loomchat and the tests do)");
        }
    }

    /** The descriptor of {@code channel}, a JDK socket channel or a junixsocket channel. */
    static FileDescriptor of(Channel channel) throws IOException {
        if (channel instanceof FileDescriptorAccess access) {
            return access.getFileDescriptor();
        }
        try {
            Method getFD = Class.forName("sun.nio.ch.SelChImpl").getMethod("getFD");
            return (FileDescriptor) getFD.invoke(channel);
        } catch (InvocationTargetException e) {
            throw new IOException("cannot get the descriptor of " + channel, e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot get the descriptor of " + channel + " (needs " + OPENS_FLAG + ")", e);
        }
    }

    /** A connected JDK {@link SocketChannel} over a received descriptor (blocking, as accepted). */
    static SocketChannel socketChannel(FileDescriptor fd, ProtocolFamily family, SocketAddress remote) throws IOException {
        try {
            Constructor<?> constructor = Class.forName("sun.nio.ch.SocketChannelImpl").getDeclaredConstructor(
                    SelectorProvider.class, ProtocolFamily.class, FileDescriptor.class, SocketAddress.class);
            constructor.setAccessible(true);
            return (SocketChannel) constructor.newInstance(SelectorProvider.provider(), family, fd, remote);
        } catch (InvocationTargetException e) {
            throw new IOException("cannot open a channel over the received socket", e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot open a channel over the received socket (needs " + OPENS_FLAG + ")", e);
        }
    }

    /** A JDK {@link DatagramChannel} over a received IP datagram socket of {@code family}. */
    static DatagramChannel datagramChannel(FileDescriptor fd, ProtocolFamily family) throws IOException {
        try {
            Class<?> impl = Class.forName("sun.nio.ch.DatagramChannelImpl");
            Constructor<?> constructor = impl.getDeclaredConstructor(SelectorProvider.class, FileDescriptor.class);
            constructor.setAccessible(true);
            DatagramChannel channel = (DatagramChannel) constructor.newInstance(SelectorProvider.provider(), fd);
            // That constructor assumes INET6 whenever IPv6 is available; an AF_INET socket then
            // fails every send with EAFNOSUPPORT. The socket's real family is known: set it.
            Field familyField = impl.getDeclaredField("family");
            familyField.setAccessible(true);
            familyField.set(channel, family);
            return channel;
        } catch (InvocationTargetException e) {
            throw new IOException("cannot open a channel over the received socket", e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IOException("cannot open a channel over the received socket (needs " + OPENS_FLAG + ")", e);
        }
    }

    /** junixsocket's AF_UNIX datagram channel over a received descriptor. */
    static DatagramChannel unixDatagramChannel(FileDescriptor fd) throws IOException {
        AFUNIXDatagramChannel channel = FileDescriptorCast.using(fd).as(AFUNIXDatagramChannel.class);
        // This is a copy of the server's socket: closing it must neither delete the server's
        // socket file nor shut the shared socket down (junixsocket does both by default).
        channel.setDeleteOnClose(false);
        channel.setShutdownOnClose(false);
        return channel;
    }
}
