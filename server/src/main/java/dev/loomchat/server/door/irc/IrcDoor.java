package dev.loomchat.server.door.irc;

import dev.loomchat.server.chat.ChatCore;
import dev.loomchat.server.tls.ServerTls;
import dev.loomchat.socketserver.BaseServer;
import dev.loomchat.socketserver.Threading;
import dev.loomchat.server.door.TcpListener;
import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;

/**
 * The IRC door onto a {@link ChatCore}: what its connections share (the settings, the one wire
 * format, the registered IRC users, the timers that end registrations that never complete) and
 * its TCP listener, one {@code IrcHandler} (a virtual thread) per connection.
 */
public final class IrcDoor {

    private final ChatCore core;
    private final IrcSettings settings;
    private final IrcUsers users;
    private final IrcWireFormat format;
    private final ScheduledExecutorService timers;

    /**
     * @param timers  runs the registration timeouts (never blocks in them)
     * @param version the server software version, for {@code 002}, {@code 004} and {@code VERSION}
     */
    public IrcDoor(ChatCore core, IrcConfig irc, ScheduledExecutorService timers, String version) {
        this.core = core;
        this.timers = timers;
        this.settings = new IrcSettings(core.config(), irc, version, Instant.now());
        this.users = new IrcUsers(core);
        this.format = new IrcWireFormat(settings, users);
    }

    /** The door's listener on its configured address, unbound (the caller binds, activates and serves it). */
    public BaseServer<SocketChannel> listener(Threading threading, int backlog) throws IOException {
        return new TcpListener(settings.irc().address(), () -> new IrcHandler(this, null), threading, backlog);
    }

    /**
     * The door's TLS listener on {@code address} (by convention port 6697), unbound: the same IRC
     * inside TLS; a client that speaks plain text there gets an {@code ERROR} line saying so.
     */
    public BaseServer<SocketChannel> tlsListener(java.net.InetSocketAddress address, ServerTls tls, Threading threading,
                                                 int backlog) throws IOException {
        return new TcpListener(address, () -> new IrcHandler(this, tls), threading, backlog);
    }

    ChatCore core() {
        return core;
    }

    IrcSettings settings() {
        return settings;
    }

    IrcUsers users() {
        return users;
    }

    IrcWireFormat format() {
        return format;
    }

    ScheduledExecutorService timers() {
        return timers;
    }
}
