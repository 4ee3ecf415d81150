package dev.loomchat.server;

import dev.loomchat.server.door.irc.IrcConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/** Servers with the IRC door for tests: loopback, free ports, no flood control unless a test sets it. */
final class IrcServers {

    private IrcServers() {
    }

    /** The IRC door on 127.0.0.1, a free port, no MOTD, the default registration timeout. */
    static IrcConfig door() {
        return IrcConfig.on(new InetSocketAddress("127.0.0.1", 0));
    }

    static IrcConfig door(List<String> motd, Duration registrationTimeout) {
        return new IrcConfig(new InetSocketAddress("127.0.0.1", 0), motd, registrationTimeout, null);
    }

    /** {@link TestServers#config()} with the IRC door. */
    static ChatConfig.Builder config() {
        return TestServers.config().irc(door());
    }

    static InetSocketAddress irc(ChatServer server) {
        return server.ircAddress().orElseThrow();
    }
}
