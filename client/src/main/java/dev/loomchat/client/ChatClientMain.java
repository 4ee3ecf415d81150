package dev.loomchat.client;

import dev.loomchat.protocol.ContentRules;
import dev.loomchat.protocol.Protocol;
import org.jline.reader.LineReader;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Entry point of {@code ./loomchat client}: the console chat client.
 *
 * <p>Interactive when stdin and stdout are a terminal (a JLine line editor, see
 * {@link InteractiveConsole}); otherwise it reads commands from stdin and writes one line per
 * event in the {@link PlainFormat plain format} (or raw frames with {@code --json}), see
 * {@link ScriptConsole}. Exit status: 0 normal end, 1 connection failure (including "server not
 * there at start"), 2 bad command line.
 */
public final class ChatClientMain {

    private ChatClientMain() {
    }

    /** Exit status for a connection failure. */
    static final int EXIT_CONNECTION = 1;
    /** Exit status for a bad command line. */
    static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        var out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        var err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        var io = new ClientIo(new FileInputStream(FileDescriptor.in), out, err, System.getenv(), isTerminal(), null);
        int status = run(args, io);
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** Runs the client with {@code args} on {@code io}; returns the exit status. */
    static int run(String[] args, ClientIo io) {
        return run(args, io, Backoff.DEFAULT);
    }

    /** {@link #run(String[], ClientIo)} with a given reconnect schedule (tests use a fast one). */
    static int run(String[] args, ClientIo io, Backoff backoff) {
        var options = new Options();
        var cli = new CommandLine(options);
        cli.setOut(new java.io.PrintWriter(io.out(), true));
        cli.setErr(new java.io.PrintWriter(io.err(), true));
        CommandLine.ParseResult parsed;
        try {
            parsed = cli.parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            return usageError(io, e.getMessage());
        }
        if (parsed.isUsageHelpRequested()) {
            cli.usage(io.out());
            return 0;
        }
        if (parsed.isVersionHelpRequested()) {
            io.out().println("loomchat client " + ChatClient.CLIENT_NAME.substring(ChatClient.CLIENT_NAME.indexOf('/') + 1)
                    + " (protocol " + Protocol.VERSION + ")");
            return 0;
        }
        ClientConfig config;
        try {
            config = options.toConfig(io.env(), backoff);
        } catch (IllegalArgumentException e) {
            return usageError(io, e.getMessage());
        }
        if (config.tls() != null && config.tls().isInsecure()) {
            io.err().println("loomchat: warning: --tls-insecure: the server's certificate is not checked, so anyone "
                    + "on the network path can read and change this chat");
        }
        try {
            if (options.json || !io.interactive()) {
                return runPiped(config, options, io);
            }
            return runInteractive(config, options, io);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_CONNECTION;
        }
    }

    private static int runPiped(ClientConfig config, Options options, ClientIo io) throws InterruptedException {
        ChatView view = options.json ? new JsonView(io.out(), io.err()) : new PlainView(io.out());
        var client = new ChatClient(config, view);
        try {
            client.start();
        } catch (ChatClient.StartupException e) {
            client.close();
            io.err().println("loomchat: " + e.getMessage());
            return EXIT_CONNECTION;
        }
        var in = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
        return new ScriptConsole(client, in, config.replyTimeout()).run();
    }

    private static int runInteractive(ClientConfig config, Options options, ClientIo io) throws InterruptedException {
        Terminal terminal = io.terminal();
        boolean ownTerminal = terminal == null;
        try {
            if (ownTerminal) {
                terminal = TerminalBuilder.builder().system(true).name("loomchat").build();
            }
            boolean color = !options.noColor && !isSet(io.env().get("NO_COLOR"))
                    && InteractiveConsole.supportsColor(terminal);
            var state = new SessionState(config.nick());
            LineReader reader = InteractiveConsole.lineReader(terminal, state);
            var view = new TerminalView(reader, new TerminalFormat(color, ZoneId.systemDefault()), Clock.systemUTC());
            var client = new ChatClient(config, view, state);
            try {
                client.start();
            } catch (ChatClient.StartupException e) {
                client.close();
                io.err().println("loomchat: " + e.getMessage());
                return EXIT_CONNECTION;
            }
            return InteractiveConsole.run(client, reader);
        } catch (IOException e) {
            io.err().println("loomchat: cannot open the terminal: " + e.getMessage());
            return EXIT_CONNECTION;
        } finally {
            if (ownTerminal && terminal != null) {
                try {
                    terminal.close();
                } catch (IOException ignored) {
                    // the process is ending
                }
            }
        }
    }

    private static int usageError(ClientIo io, String message) {
        io.err().println("loomchat client: " + message + " (see --help)");
        return EXIT_USAGE;
    }

    private static boolean isSet(String value) {
        return value != null && !value.isEmpty();
    }

    /**
     * True if stdin and stdout are both a terminal. {@code System.console()} says so on JDK 21;
     * from JDK 22 it may return a console for redirected streams too, and
     * {@code Console.isTerminal()} (called reflectively: we compile for 21) tells.
     */
    static boolean isTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** The default nick: {@code $USER} made into a valid nick, else "guest". */
    static String defaultNick(Map<String, String> env) {
        String user = env.get("USER");
        if (user == null || user.isBlank()) {
            user = env.get("USERNAME");
        }
        if (user == null || user.isBlank()) {
            return "guest";
        }
        var sb = new StringBuilder();
        for (char c : user.toCharArray()) {
            sb.append(ContentRules.isValidNick("a" + c) ? c : '_');
        }
        String nick = sb.toString();
        if (!ContentRules.isValidNick(nick.substring(0, 1))) {
            nick = "_" + nick;
        }
        if (nick.length() > ContentRules.MAX_NICK_LENGTH) {
            nick = nick.substring(0, ContentRules.MAX_NICK_LENGTH);
        }
        return ContentRules.isValidNick(nick) ? nick : "guest";
    }

    @Command(name = "loomchat client", mixinStandardHelpOptions = true, usageHelpAutoWidth = true,
            description = {
                    "The loomchat console chat client.",
                    "",
                    "In a terminal: a line editor with history and tab completion; type /help for commands.",
                    "In a pipe (stdin or stdout not a terminal): reads commands and text from stdin, writes one "
                            + "line per event to stdout, and exits at the end of input once the server has "
                            + "answered everything.",
                    "Exit status: 0 ok, 1 connection failure, 2 bad command line."})
    static final class Options {
        @Option(names = "--host", split = ",", paramLabel = "HOST[:PORT]", defaultValue = "127.0.0.1",
                description = "server to connect to (default: ${DEFAULT-VALUE}); repeat or separate with commas "
                        + "to give fallbacks, tried in order")
        List<String> hosts = new ArrayList<>();

        @Option(names = "--port", paramLabel = "PORT",
                description = "server port, unless HOST names one (default: " + Protocol.DEFAULT_PORT + ", with --tls "
                        + Protocol.DEFAULT_TLS_PORT + ")")
        Integer port;

        @Option(names = "--tls", description = "connect over TLS, checking the server's certificate and host name "
                + "against the system's trust store (or --tls-ca)")
        boolean tls;

        @Option(names = "--tls-ca", paramLabel = "FILE",
                description = "trust the CA (or self-signed) certificates in this PEM file instead; implies --tls")
        Path tlsCa;

        @Option(names = "--tls-insecure", description = "TLS without checking the certificate: encrypted, but anyone "
                + "on the way can pretend to be the server (for testing only; said on every start); implies --tls")
        boolean tlsInsecure;

        @Option(names = "--unix", paramLabel = "PATH",
                description = "connect to the server's Unix socket (./loomchat server --unix PATH) instead of TCP; "
                        + "a --host or --port given as well is tried after it")
        String unix;

        @Option(names = "--nick", paramLabel = "NICK", description = "your nick (default: $USER, else guest)")
        String nick;

        @Option(names = "--room", split = ",", paramLabel = "#ROOM",
                description = "room to join at start; repeatable (the last one becomes current)")
        List<String> rooms = new ArrayList<>();

        @Option(names = "--password", paramLabel = "PASSWORD",
                description = "server password (default: $LOOMCHAT_PASSWORD)")
        String password;

        @Option(names = "--account-password", paramLabel = "PASSWORD",
                description = "log in to the account that owns your nick (default: $LOOMCHAT_ACCOUNT_PASSWORD)")
        String accountPassword;

        @Option(names = "--json", description = "non-interactive, and print raw server frames (JSON lines)")
        boolean json;

        @Option(names = "--no-color", description = "no colours (also when NO_COLOR is set)")
        boolean noColor;

        @Option(names = "--no-reconnect", description = "exit when the connection drops instead of reconnecting")
        boolean noReconnect;

        @Option(names = "--ping-after", paramLabel = "DURATION", defaultValue = "30s",
                description = "ping the server when nothing has arrived for this long (default: ${DEFAULT-VALUE}; "
                        + "0 = never), to notice a dead connection")
        String pingAfter;

        @Option(names = "--ping-timeout", paramLabel = "DURATION", defaultValue = "15s",
                description = "a ping unanswered this long means the connection is lost: reconnect "
                        + "(default: ${DEFAULT-VALUE})")
        String pingTimeout;

        /** Hidden: tests shorten it. */
        @Option(names = "--keep-nick-for", paramLabel = "DURATION", hidden = true, defaultValue = "30s",
                description = "after a drop, how long reconnecting waits for its own nick before taking nick_")
        String keepNickFor;

        /** Set by picocli: tells whether --host or --port was given (they have defaults). */
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        ClientConfig toConfig(Map<String, String> env, Backoff backoff) {
            if (tlsInsecure && tlsCa != null) {
                throw new IllegalArgumentException("--tls-ca and --tls-insecure contradict each other: give one");
            }
            ClientTls secure = tlsInsecure ? ClientTls.trustingAnyone()
                    : tls || tlsCa != null ? ClientTls.verifying(tlsCa) : null;
            int port = this.port != null ? this.port : secure != null ? Protocol.DEFAULT_TLS_PORT : Protocol.DEFAULT_PORT;
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("--port must be 1-65535: " + port);
            }
            List<ServerAddress> servers = new ArrayList<>();
            if (unix != null) {
                if (unix.isBlank()) {
                    throw new IllegalArgumentException("--unix is empty");
                }
                try {
                    servers.add(new UnixPath(Path.of(unix)));
                } catch (InvalidPathException e) {
                    throw new IllegalArgumentException("bad --unix path '" + unix + "': " + e.getReason());
                }
            }
            if (unix == null || given("--host") || given("--port")) {
                for (String host : hosts) {
                    if (!host.isBlank()) {
                        servers.add(HostPort.parse(host, port));
                    }
                }
                if (servers.isEmpty()) {
                    throw new IllegalArgumentException("--host is empty");
                }
            }
            String wanted = nick != null ? nick : defaultNick(env);
            String nickError = NameRules.nickError(wanted);
            if (nickError != null) {
                throw new IllegalArgumentException(nickError);
            }
            List<String> joins = new ArrayList<>();
            for (String room : rooms) {
                String name = CommandParser.room(room.strip());
                String roomError = NameRules.roomError(name);
                if (roomError != null) {
                    throw new IllegalArgumentException(roomError);
                }
                joins.add(name);
            }
            String pass = password != null ? password : env.get("LOOMCHAT_PASSWORD");
            if (pass != null && pass.isEmpty()) {
                pass = null;
            }
            String account = accountPassword != null ? accountPassword : env.get("LOOMCHAT_ACCOUNT_PASSWORD");
            if (account != null && account.isEmpty()) {
                account = null;
            }
            var keepalive = new Keepalive(duration("--ping-after", pingAfter), positive("--ping-timeout", pingTimeout));
            return new ClientConfig(servers, wanted, joins, pass, !noReconnect, backoff,
                    duration("--keep-nick-for", keepNickFor), keepalive,
                    ClientConfig.DEFAULT_CONNECT_TIMEOUT, ClientConfig.DEFAULT_REPLY_TIMEOUT, secure, account);
        }

        private boolean given(String option) {
            return spec != null && spec.commandLine() != null && spec.commandLine().getParseResult() != null
                    && spec.commandLine().getParseResult().hasMatchedOption(option);
        }

        private static Duration duration(String option, String text) {
            try {
                return Durations.parse(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(option + ": " + e.getMessage());
            }
        }

        private static Duration positive(String option, String text) {
            Duration d = duration(option, text);
            if (d.isZero()) {
                throw new IllegalArgumentException(option + " must be more than 0");
            }
            return d;
        }
    }
}
