package dev.loomchat.client;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.Protocol;
import dev.loomchat.protocol.ProtocolError;
import dev.loomchat.protocol.ServerMessage;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The chat session, independent of how it is shown: connects and says hello, carries out
 * {@link Command}s, keeps the {@link SessionState} up to date from incoming frames, answers
 * keepalive pings, and reconnects when the connection drops.
 *
 * <p><b>Reconnect.</b> When the connection drops (also after a server {@code shutdown}: a
 * restarted server is the common case, and after a {@link Keepalive} ping went unanswered) and
 * the user has not quit, the client says "connection lost", then tries every server address in
 * turn with {@link Backoff exponential backoff}, says hello with the same nick, says
 * "reconnected", re-joins every room it was in, and only then accepts commands again. While its
 * nick is still taken (most likely by its own old session, which the server has not yet seen
 * go, or by a dead cluster node's lease) it keeps trying that nick for
 * {@link ClientConfig#keepNickFor()} (30 s), then settles for {@code nick_}. Replayed messages
 * already shown before the drop are not shown again, and the re-join's {@code history} trailer
 * tells the view how many were skipped. A {@code hello} that fails for good
 * ({@code bad_password}, {@code bad_nick}, ...) ends the attempts.
 *
 * <p><b>Errors said once.</b> An error that refuses a {@code hello} (or the connection, like
 * {@code server_full}) is not shown as a frame: the client reports it in its own line (at start
 * "the server refused hello: ...", on a reconnect "reconnecting stopped: ..."), or not at all
 * while reconnecting retries. The one exception is {@code nick_in_use} at start, which is shown
 * before the client says hello again with {@code nick_}.
 *
 * <p>Threading: {@link #execute}, {@link #quit} and {@link #close} are called from the input
 * thread; frames are handled on the connection's reader thread; reconnecting runs on its own
 * virtual thread. Shared state is guarded by a {@link ReentrantLock} or is itself thread-safe.
 */
final class ChatClient implements AutoCloseable {

    static final String CLIENT_NAME = "loomchat-client/" + version();
    private static final int MAX_NICK_RETRIES = 8;
    private static final int SEEN_MESSAGES = 10_000;

    private final ClientConfig config;
    /**
     * The password a {@code hello} (a reconnect's too) logs in with: {@code --account-password},
     * then the one this session registered or changed to; null: a guest. Kept in memory only.
     */
    private volatile String accountPassword;
    /** The account {@link #accountPassword} is for, once this session registered or changed it; null: the nick's. */
    private volatile String accountName;
    private final ChatView view;
    private final SessionState state;
    private final SeenMessages seen = new SeenMessages(SEEN_MESSAGES);
    private final AtomicLong refs = new AtomicLong();
    /** Refs of join requests (the user's and re-joins), to tell the view a frame answers a join. */
    private final Set<String> joinRefs = ConcurrentHashMap.newKeySet();
    /** Refs of re-joins after a reconnect, whose replayed messages already shown are skipped (and counted). */
    private final Map<String, AtomicInteger> rejoinRefs = new ConcurrentHashMap<>();
    /** Refs of re-joins and of their catch-up pages: the room's catch-up (see {@link CatchUp}). */
    private final Map<String, CatchUp> catchUps = new ConcurrentHashMap<>();
    /** Per room (folded): the greatest message id received, where a catch-up after a reconnect starts. */
    private final Map<String, Long> lastIds = new ConcurrentHashMap<>();
    /** Per room (folded): the oldest id the last {@code /history} showed; the next one pages back from it. */
    private final Map<String, Long> pagedBackTo = new ConcurrentHashMap<>();
    /** Refs of {@code /history} requests: their room (folded), and the oldest id they replayed so far. */
    private final Map<String, long[]> historyOldest = new ConcurrentHashMap<>();
    private final Map<String, String> historyRooms = new ConcurrentHashMap<>();
    /** Refs of hellos in flight; true where a {@code nick_in_use} reply is shown (a retry with {@code nick_} follows). */
    private final Map<String, Boolean> helloRefs = new ConcurrentHashMap<>();
    private final AtomicBoolean unacknowledged = new AtomicBoolean();
    private final RandomGenerator random = RandomGenerator.getDefault();
    private final Connection.Listener listener = new FrameHandler();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** The live session: welcomed and rooms re-joined; null while (re)connecting. Guarded by lock. */
    private Connection connection;
    /** The user quit (or input ended): a drop is the end, not a reason to reconnect. Guarded by lock. */
    private boolean quitting;
    /** Reconnecting was off or failed for good. Guarded by lock. */
    private boolean gaveUp;
    private Thread reconnector;
    private volatile Runnable onGiveUp = () -> { };
    private volatile boolean welcomedBefore;
    private volatile Connection shutdownAnnouncedOn;

    ChatClient(ClientConfig config, ChatView view) {
        this(config, view, new SessionState(config.nick()));
    }

    /** A client that keeps its session in {@code state} (shared with, e.g., a completer). */
    ChatClient(ClientConfig config, ChatView view, SessionState state) {
        this.config = config;
        this.accountPassword = config.accountPassword();
        this.view = view;
        this.state = state;
    }

    SessionState state() {
        return state;
    }

    /** Runs {@code action} (on some client thread) when the session is over for good: dropped and not reconnecting. */
    void onGiveUp(Runnable action) {
        this.onGiveUp = action;
    }

    /** Thrown by {@link #start()} when the session could not begin; the message is one line for the user. */
    static final class StartupException extends Exception {
        StartupException(String message) {
            super(message);
        }
    }

    /** While reconnecting: the session's nick is still taken (tried again later). */
    private static final class NickStillTaken extends IOException {
        NickStillTaken(String nick, String message) {
            super("nick " + nick + " still in use: " + message);
        }
    }

    /** A hello that cannot succeed by retrying (bad password, bad nick, ...). */
    private static final class HelloRefused extends Exception {
        HelloRefused(ServerMessage.Error error) {
            super(error.code().wire() + ": " + error.message());
        }
    }

    /**
     * Connects to the first server that answers, says hello and joins the configured rooms.
     *
     * @throws StartupException if no server could be reached or the hello was refused
     */
    void start() throws StartupException, InterruptedException {
        Connection c;
        try {
            c = connectAny();
        } catch (NoServer e) {
            throw new StartupException("cannot connect to " + e.getMessage() + e.hint());
        }
        try {
            hello(c, false, false);
            for (String room : config.rooms()) {
                join(c, room, false);
            }
        } catch (IOException e) {
            c.close();
            ServerMessage.Error refusal = c.refusal();
            throw new StartupException(refusal != null
                    ? "the server refused the connection: " + refusal.code().wire() + ": " + refusal.message()
                    : "connection to " + c.address() + " lost: " + e.getMessage());
        } catch (HelloRefused e) {
            c.close();
            throw new StartupException("the server refused hello: " + e.getMessage());
        }
        publish(c);
    }

    /**
     * Carries out a command (not {@link Command.Quit}: see {@link #quit}). Local results (usage
     * errors, {@code /help}, {@code /switch}) go straight to the view.
     *
     * @return the future of the request's final reply (completed after the view has shown it),
     *         or null if nothing was sent
     */
    CompletableFuture<ServerMessage> execute(Command command) throws InterruptedException {
        return switch (command) {
            case Command.Empty e -> null;
            case Command.Help h -> {
                help();
                yield null;
            }
            case Command.Invalid i -> {
                view.notice(new Notice.Error(i.code(), i.message()));
                yield null;
            }
            case Command.Switch s -> {
                if (state.switchTo(s.room())) {
                    view.notice(new Notice.Switched(state.current()));
                    view.currentRoomChanged(state.current());
                } else {
                    view.notice(new Notice.Error(Notice.Error.NOT_IN_ROOM,
                            "you are not in " + s.room() + " (/join " + s.room() + " first)"));
                }
                yield null;
            }
            case Command.Quit q -> throw new IllegalArgumentException("quit is not a request: use quit()");
            case Command.Say s -> inRoom(null, room -> ref -> new ClientMessage.Say(room, s.text(), ref));
            case Command.Me m -> inRoom(null, room -> ref -> new ClientMessage.Say(room, "/me " + m.text(), ref));
            case Command.Part p -> inRoom(p.room(), room -> ref -> new ClientMessage.Part(room, ref));
            case Command.Who w -> inRoom(w.room(), room -> ref -> new ClientMessage.Who(room, ref));
            case Command.History h -> inRoom(h.room(), room -> ref -> pageBack(room, h.limit(), ref));
            case Command.Nick n -> send(ref -> new ClientMessage.Nick(n.nick(), ref), false);
            case Command.Msg m -> send(ref -> new ClientMessage.Msg(m.nick(), m.text(), ref), false);
            case Command.Rooms r -> send(ClientMessage.Rooms::new, false);
            case Command.Kill k -> send(ref -> new ClientMessage.Kill(k.nick(), k.reason(), ref), false);
            case Command.Ban b -> send(ref -> new ClientMessage.Ban(b.address() ? null : b.target(),
                    b.address() ? b.target() : null, b.seconds(), b.reason(), ref), false);
            case Command.Unban u -> send(ref -> new ClientMessage.Unban(u.address() ? null : u.target(),
                    u.address() ? u.target() : null, ref), false);
            case Command.Bans b -> send(ClientMessage.Bans::new, false);
            case Command.Join j -> {
                var reply = send(ref -> new ClientMessage.Join(j.room(), ref), true);
                yield reply == null ? null : reply.thenApply(this::joinedNowCurrent);
            }
            case Command.Register r -> r.password() == null ? passwordsMissing("/register")
                    : account(send(ref -> new ClientMessage.Register(r.password(), null, ref), false), r.password());
            case Command.Password p -> p.oldPassword() == null || p.newPassword() == null
                    ? passwordsMissing("/password")
                    : account(send(ref -> new ClientMessage.Password(p.oldPassword(), p.newPassword(), ref), false),
                    p.newPassword());
            case Command.Unregister u -> u.password() == null ? passwordsMissing("/unregister")
                    : account(send(ref -> new ClientMessage.Unregister(u.password(), ref), false), null);
        };
    }

    /** A password command without its passwords where none can be asked for (not interactive). */
    private CompletableFuture<ServerMessage> passwordsMissing(String name) {
        view.notice(new Notice.Error(Command.Invalid.USAGE, CommandParser.usageOf(name)));
        return null;
    }

    /**
     * An account request's reply: once the server confirms, a reconnect logs in with
     * {@code password} (the one registered or changed to; null after a deletion: a guest).
     */
    private CompletableFuture<ServerMessage> account(CompletableFuture<ServerMessage> reply, String password) {
        return reply == null ? null : reply.thenApply(answer -> {
            if (answer instanceof ServerMessage.Account confirmed) {
                accountName = confirmed.account();
                accountPassword = password;
            }
            return answer;
        });
    }

    /**
     * Waits for a request's final reply.
     *
     * @param report whether to tell the user (and count for the exit status) when none came
     * @return true if it came; false if the connection dropped first or {@code timeout} passed
     */
    boolean awaitReply(CompletableFuture<ServerMessage> reply, Duration timeout, boolean report)
            throws InterruptedException {
        try {
            reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (ExecutionException e) {
            if (report) {
                unacknowledged.set(true);
                view.notice(new Notice.Error(Notice.Error.NOT_ACKNOWLEDGED,
                        "no reply, the request may be lost (" + e.getCause().getMessage() + ")"));
            }
            return false;
        } catch (TimeoutException e) {
            if (report) {
                unacknowledged.set(true);
                view.notice(new Notice.Error(Notice.Error.TIMEOUT,
                        "no reply from the server within " + timeout.toSeconds() + " s"));
            }
            return false;
        }
    }

    /**
     * Waits until the session is live (at once, unless reconnecting).
     *
     * @return false if it never will be: reconnecting is off or failed, or the client quit
     */
    boolean awaitConnected() throws InterruptedException {
        lock.lock();
        try {
            while (connection == null && !gaveUp && !quitting) {
                changed.await();
            }
            return connection != null;
        } finally {
            lock.unlock();
        }
    }

    boolean isConnected() {
        lock.lock();
        try {
            return connection != null;
        } finally {
            lock.unlock();
        }
    }

    /** True if some request got no reply (the connection dropped, or a timeout). */
    boolean anyUnacknowledged() {
        return unacknowledged.get();
    }

    /**
     * Ends the session: stops reconnecting, sends {@code quit} if connected, waits for
     * {@code bye} (at most {@code timeout}), closes.
     *
     * @return true if the server confirmed with {@code bye}
     */
    boolean quit(Duration timeout) throws InterruptedException {
        Connection c;
        lock.lock();
        try {
            quitting = true;
            c = connection;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        boolean confirmed = false;
        if (c != null) {
            try {
                var reply = c.request(new ClientMessage.Quit(nextRef()));
                confirmed = reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS) instanceof ServerMessage.Bye;
            } catch (IOException | ExecutionException | TimeoutException e) {
                confirmed = false;
            }
        }
        close();
        return confirmed;
    }

    /** Closes the connection and stops reconnecting, without a quit. Idempotent. */
    @Override
    public void close() {
        Connection c;
        Thread r;
        lock.lock();
        try {
            quitting = true;
            c = connection;
            connection = null;
            r = reconnector;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        if (r != null) {
            r.interrupt();
        }
        if (c != null) {
            c.close();
        }
    }

    private CompletableFuture<ServerMessage> inRoom(String room,
            Function<String, Function<String, ClientMessage>> build) throws InterruptedException {
        String target = room != null ? room : state.current();
        if (target == null) {
            view.notice(new Notice.Error(Notice.Error.NO_ROOM, "you are not in a room: /join #room first"));
            return null;
        }
        return send(build.apply(target), false);
    }

    private CompletableFuture<ServerMessage> send(Function<String, ClientMessage> build, boolean join)
            throws InterruptedException {
        Connection c;
        lock.lock();
        try {
            c = connection;
        } finally {
            lock.unlock();
        }
        if (c == null) {
            view.notice(new Notice.Error(Notice.Error.NOT_CONNECTED,
                    config.reconnect() ? "not connected (reconnecting); not sent" : "not connected; not sent"));
            return null;
        }
        String ref = nextRef();
        if (join) {
            joinRefs.add(ref);
        }
        try {
            return c.request(build.apply(ref));
        } catch (IOException e) {
            unacknowledged.set(true);
            view.notice(new Notice.Error(Notice.Error.NOT_ACKNOWLEDGED, "not sent: " + e.getMessage()));
            return null;
        }
    }

    /**
     * A {@code /history}: the room's latest messages the first time, then each time the page
     * before the oldest one shown, until the server says there is nothing older (then it starts
     * again from the latest). A server without paging ignores {@code before} and replays the
     * latest each time.
     */
    private ClientMessage.History pageBack(String room, Integer limit, String ref) {
        String key = dev.loomchat.protocol.ContentRules.fold(room);
        historyRooms.put(ref, key);
        historyOldest.put(ref, new long[] {Long.MAX_VALUE});
        return new ClientMessage.History(room, limit, pagedBackTo.get(key), null, ref);
    }

    private ServerMessage joinedNowCurrent(ServerMessage reply) {
        if (reply instanceof ServerMessage.History history && state.switchTo(history.room())) {
            view.currentRoomChanged(state.current());
        }
        return reply;
    }

    private void help() {
        view.notice(new Notice.Info("commands:"));
        for (var spec : CommandParser.COMMANDS) {
            view.notice(new Notice.Info(String.format("  %-22s %s", spec.usage(), spec.description())));
        }
        view.notice(new Notice.Info("other lines go to the current room; start a line with // to say something "
                + "that starts with /"));
        view.notice(new Notice.Info("a password with spaces goes in quotes (\"correct horse battery\"); typed "
                + "without one, /register, /password and /unregister ask for it without showing it"));
    }

    private String nextRef() {
        return Long.toString(refs.incrementAndGet());
    }

    // --- connecting --------------------------------------------------------------------------

    /** No server could be reached; the message lists why each failed. */
    private static final class NoServer extends IOException {
        /** The first address where nothing listens (refused, or no socket file), or null. */
        private final ServerAddress nobodyThere;

        NoServer(String message, ServerAddress nobodyThere) {
            super(message);
            this.nobodyThere = nobodyThere;
        }

        /** Advice for the user, with a leading space, or "". */
        String hint() {
            if (nobodyThere == null) {
                return "";
            }
            return nobodyThere.isLocal()
                    ? " (is a server running? start one with ./loomchat server" + nobodyThere.serverOptions() + ")"
                    : " (is a server running there?)";
        }
    }

    /** Connects to the first server that answers. */
    private Connection connectAny() throws NoServer {
        List<String> failures = new ArrayList<>();
        ServerAddress nobodyThere = null;
        for (ServerAddress server : config.servers()) {
            try {
                return Connection.open(server, config.tls(), config.connectTimeout(), config.keepalive(), listener);
            } catch (IOException e) {
                failures.add(server + ": " + describe(e));
                if (nobodyThere == null && nobodyListens(e)) {
                    nobodyThere = server;
                }
            }
        }
        throw new NoServer(String.join("; ", failures), nobodyThere);
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        if (e instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** Connection refused (TCP, or a socket file without a server), or no socket file at all. */
    private static boolean nobodyListens(IOException e) {
        return e instanceof java.net.ConnectException
                || (e.getMessage() != null && e.getMessage().contains("No such file or directory"));
    }

    /**
     * Says hello with the session's nick, adding {@code _} while it is in use; with
     * {@code keepNick}, "in use" fails like a lost connection instead (the reconnect tries again
     * later), because the nick is most likely still held for this very client: by a server that
     * has not noticed the drop yet, or by a dead cluster node until its lease expires.
     *
     * @param reconnect whether this is a reconnect (its error replies are not shown)
     */
    private String hello(Connection c, boolean reconnect, boolean keepNick)
            throws IOException, InterruptedException, HelloRefused {
        String nick = state.nick();
        for (int attempt = 0; ; attempt++) {
            // A login is to the account of this nick: another nick would not be it.
            String login = accountPassword;
            if (login != null && accountName != null
                    && !dev.loomchat.protocol.ContentRules.fold(nick).equals(accountName)) {
                login = null; // the session's account is another nick's: this one comes back as a guest
            }
            boolean mayRetry = !keepNick && login == null && attempt < MAX_NICK_RETRIES
                    && nick.length() < dev.loomchat.protocol.ContentRules.MAX_NICK_LENGTH;
            String ref = nextRef();
            helloRefs.put(ref, mayRetry && !reconnect);
            ServerMessage reply;
            try {
                reply = await(c.request(new ClientMessage.Hello(nick, config.password(), CLIENT_NAME,
                        Protocol.VERSION, login, ref)));
            } finally {
                helloRefs.remove(ref);
            }
            if (reply instanceof ServerMessage.Welcome welcome) {
                return welcome.nick();
            }
            if (reply instanceof ServerMessage.Error error && error.code() == ErrorCode.NICK_IN_USE) {
                if (keepNick) {
                    throw new NickStillTaken(nick, error.message());
                }
                if (mayRetry) {
                    nick = nick + "_";
                    continue;
                }
            }
            if (reply instanceof ServerMessage.Error error && error.code() == ErrorCode.UNAVAILABLE) {
                // Transient (e.g. a cluster node that lost its store): retried like a lost connection.
                throw new IOException("the server is unavailable: " + error.message());
            }
            if (reply instanceof ServerMessage.Error error) {
                throw new HelloRefused(error);
            }
            throw new IOException("unexpected reply to hello: " + reply.type());
        }
    }

    /**
     * Joins {@code room}: at start (it becomes the current room) or as a re-join after a
     * reconnect (the current room stays). An error reply (already shown) is not fatal.
     *
     * @return true if joined
     */
    private boolean join(Connection c, String room, boolean rejoin) throws IOException, InterruptedException {
        String ref = nextRef();
        joinRefs.add(ref);
        CatchUp catchUp = null;
        if (rejoin) {
            rejoinRefs.put(ref, new AtomicInteger());
            catchUp = new CatchUp(lastIds.get(dev.loomchat.protocol.ContentRules.fold(room)));
            catchUps.put(ref, catchUp);
        }
        try {
            ServerMessage reply = await(c.request(new ClientMessage.Join(room, ref)));
            if (reply instanceof ServerMessage.History history) {
                if (!rejoin) {
                    joinedNowCurrent(history);
                } else if (catchUp.needed()) {
                    catchUp(c, room, catchUp);
                }
                return true;
            }
            return false;
        } finally {
            rejoinRefs.remove(ref);
            catchUps.remove(ref);
        }
    }

    /** Everything of {@code room} after the last id seen, page by page, each message shown once. */
    private void catchUp(Connection c, String room, CatchUp catchUp) throws IOException, InterruptedException {
        long after = catchUp.lastSeen();
        while (true) {
            String ref = nextRef();
            joinRefs.add(ref);
            catchUps.put(ref, catchUp);
            long[] newest = {after};
            historyOldest.put(ref, newest); // the page's newest id, for the next page
            try {
                ServerMessage reply = await(c.request(new ClientMessage.History(room, null, null, after, ref)));
                if (!(reply instanceof ServerMessage.History page) || !page.more() || page.count() == 0
                        || newest[0] <= after) {
                    return;
                }
                after = newest[0];
            } finally {
                catchUps.remove(ref);
                historyOldest.remove(ref);
                joinRefs.remove(ref);
            }
        }
    }

    private ServerMessage await(CompletableFuture<ServerMessage> reply) throws IOException, InterruptedException {
        try {
            return reply.get(config.replyTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no reply within " + config.replyTimeout().toSeconds() + " s");
        }
    }

    /** Makes {@code c} the live connection, unless it already died; then reconnecting starts. */
    private void publish(Connection c) {
        lock.lock();
        try {
            if (quitting) {
                c.close();
                return;
            }
            if (c.isOpen()) {
                connection = c;
                changed.signalAll();
                return;
            }
        } finally {
            lock.unlock();
        }
        lost(c, "connection closed");
    }

    /** The live connection {@code c} ended. */
    private void lost(Connection c, String reason) {
        boolean retry;
        lock.lock();
        try {
            if (connection == c) {
                connection = null;
            }
            if (quitting) {
                changed.signalAll();
                return;
            }
            retry = config.reconnect();
            gaveUp = !retry;
            changed.signalAll();
            if (retry) {
                reconnector = Thread.ofVirtual().name("loomchat-reconnect").start(this::reconnectLoop);
            }
        } finally {
            lock.unlock();
        }
        String why = shutdownAnnouncedOn == c ? "server shut down" : reason;
        view.notice(new Notice.ConnectionLost(why, retry));
        if (!retry) {
            onGiveUp.run();
        }
    }

    private void reconnectLoop() {
        long droppedAt = System.nanoTime();
        boolean toldNickTaken = false;
        for (int attempt = 0; ; attempt++) {
            try {
                if (!pause(config.backoff().delay(attempt, random))) {
                    return;
                }
            } catch (InterruptedException e) {
                return;
            }
            Connection c = null;
            try {
                c = connectAny();
                boolean keepNick = System.nanoTime() - droppedAt < config.keepNickFor().toNanos();
                String wanted = state.nick();
                String nick = hello(c, true, keepNick);
                view.notice(new Notice.Reconnected(nick, c.address().toString(), wanted));
                for (String room : state.rooms()) {
                    if (!join(c, room, true)) {
                        state.removeRoom(room);
                    }
                }
                lock.lock();
                try {
                    if (reconnector == Thread.currentThread()) {
                        reconnector = null;
                    }
                } finally {
                    lock.unlock();
                }
                publish(c);
                return;
            } catch (IOException e) {
                if (c != null) {
                    c.close();
                }
                if (e instanceof NickStillTaken && !toldNickTaken) {
                    toldNickTaken = true;
                    view.notice(new Notice.NickTaken(state.nick(), config.keepNickFor()));
                }
            } catch (HelloRefused e) {
                c.close();
                giveUp("reconnecting stopped: the server refused hello: " + e.getMessage());
                return;
            } catch (InterruptedException e) {
                if (c != null) {
                    c.close();
                }
                return;
            }
        }
    }

    /** Waits {@code delay}; false if the client quit meanwhile. */
    private boolean pause(Duration delay) throws InterruptedException {
        long nanos = delay.toNanos();
        lock.lock();
        try {
            while (!quitting && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            return !quitting;
        } finally {
            lock.unlock();
        }
    }

    private void giveUp(String why) {
        lock.lock();
        try {
            gaveUp = true;
            reconnector = null;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        view.notice(new Notice.Error(Notice.Error.NOT_CONNECTED, why));
        onGiveUp.run();
    }

    private static String version() {
        String version = ChatClient.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    // --- incoming frames ---------------------------------------------------------------------

    /** Runs on the reader thread of each connection, the ones still saying hello included. */
    private final class FrameHandler implements Connection.Listener {

        @Override
        public void frame(Connection c, ServerMessage frame, String raw) {
            String ownNick = state.nick();
            boolean hidden = false;
            int skipped = 0;
            switch (frame) {
                case ServerMessage.Welcome w -> {
                    state.nick(w.nick());
                    ownNick = w.nick();
                    c.welcomed(w.limits());
                    hidden = welcomedBefore;
                    welcomedBefore = true;
                }
                case ServerMessage.ChatMessage m -> {
                    state.sawNick(m.from());
                    if (m.room() != null) {
                        lastIds.merge(dev.loomchat.protocol.ContentRules.fold(m.room()), m.id(), Math::max);
                    }
                    String ref = m.replay() ? m.ref() : null;
                    long[] paged = ref == null ? null : historyOldest.get(ref);
                    if (paged != null) {
                        // A /history page (the oldest id) or a catch-up page (the newest).
                        paged[0] = catchUps.containsKey(ref) ? Math.max(paged[0], m.id()) : Math.min(paged[0], m.id());
                    }
                    CatchUp catchUp = ref == null ? null : catchUps.get(ref);
                    AtomicInteger rejoin = ref == null ? null : rejoinRefs.get(ref);
                    if (catchUp != null && rejoin != null) {
                        catchUp.hold(m, raw); // shown or dropped at the trailer
                        return;
                    }
                    // Only a re-join's replay and a catch-up are checked: an explicit /history shows everything.
                    boolean seenBefore = seen.seenBefore(m); // every message is recorded, live ones too
                    hidden = (rejoin != null || catchUp != null) && seenBefore;
                    if (!hidden && catchUp != null) {
                        catchUp.shownOne();
                    }
                }
                case ServerMessage.History h -> {
                    AtomicInteger rejoin = h.ref() != null ? rejoinRefs.get(h.ref()) : null;
                    CatchUp catchUp = h.ref() != null ? catchUps.get(h.ref()) : null;
                    if (catchUp != null && rejoin != null) {
                        if (catchUp.decide(h)) {
                            hidden = true; // the catch-up's pages show what was missed, in order
                        } else {
                            for (CatchUp.Held held : catchUp.held()) {
                                boolean seenBefore = seen.seenBefore(held.message());
                                if (seenBefore) {
                                    rejoin.incrementAndGet();
                                }
                                view.frame(held.message(), held.raw(), new FrameContext(ownNick, seenBefore, true, 0));
                            }
                        }
                    } else if (catchUp != null) {
                        // A catch-up page: only the last one's trailer is shown, counting every page's new messages.
                        hidden = h.more() && h.count() > 0;
                        skipped = h.count() - catchUp.shown();
                    } else if (h.ref() != null && historyRooms.containsKey(h.ref())) {
                        pagedBack(h);
                    }
                    if (rejoin != null && !hidden) {
                        skipped = rejoin.get();
                    }
                }
                case ServerMessage.Error e -> hidden = reportedElsewhere(c, e);
                case ServerMessage.Joined j -> {
                    state.sawNick(j.nick());
                    if (state.isMe(j.nick())) {
                        state.addRoom(j.room());
                    }
                }
                case ServerMessage.Parted p -> {
                    if (state.isMe(p.nick()) && state.removeRoom(p.room())) {
                        view.currentRoomChanged(state.current());
                    }
                }
                case ServerMessage.Kicked k -> {
                    if (state.isMe(k.nick()) && state.removeRoom(k.room())) {
                        view.currentRoomChanged(state.current());
                    }
                }
                case ServerMessage.Nick n -> {
                    if (state.isMe(n.old())) {
                        state.nick(n.nick());
                    }
                    state.renamedNick(n.old(), n.nick());
                }
                case ServerMessage.Who w -> state.sawNicks(w.nicks());
                case ServerMessage.Rooms r -> r.rooms().forEach(info -> state.sawRoom(info.room()));
                case ServerMessage.Ping p -> {
                    try {
                        c.send(new ClientMessage.Pong());
                    } catch (IOException e) {
                        // the reader sees the broken connection next
                    }
                }
                case ServerMessage.Shutdown s -> shutdownAnnouncedOn = c;
                default -> {
                }
            }
            boolean joinReply = frame.ref() != null && joinRefs.contains(frame.ref());
            if (joinReply && Connection.isFinalReply(frame)) {
                joinRefs.remove(frame.ref());
            }
            view.frame(frame, raw, new FrameContext(ownNick, hidden, joinReply, skipped));
        }

        /** A {@code /history} reply: the next one pages back from its oldest message, or starts again at the newest. */
        private void pagedBack(ServerMessage.History h) {
            String key = historyRooms.remove(h.ref());
            long[] oldest = historyOldest.remove(h.ref());
            if (h.more() && oldest != null && oldest[0] != Long.MAX_VALUE) {
                pagedBackTo.put(key, oldest[0]);
            } else {
                pagedBackTo.remove(key);
            }
        }

        /**
         * Whether the client reports {@code error} in its own words instead (see the class comment):
         * a refused hello, or an error sent unasked before any welcome (recorded as the refusal).
         */
        private boolean reportedElsewhere(Connection c, ServerMessage.Error error) {
            if (error.ref() == null) {
                if (c.isWelcomed()) {
                    return false;
                }
                c.refused(error);
                return true;
            }
            Boolean shownIfNickInUse = helloRefs.get(error.ref());
            return shownIfNickInUse != null && !(shownIfNickInUse && error.code() == ErrorCode.NICK_IN_USE);
        }

        @Override
        public void badFrame(Connection c, ProtocolError error) {
            if (error.code() == ErrorCode.UNKNOWN_TYPE) {
                return; // a newer server's frame type: ignored, as PROTOCOL.md section 12 asks
            }
            view.notice(new Notice.Error(Notice.Error.BAD_FRAME,
                    "unreadable frame from the server (" + error.code().wire() + ": " + error.message() + ")"));
        }

        @Override
        public void closed(Connection c, String reason) {
            boolean live;
            lock.lock();
            try {
                live = connection == c;
            } finally {
                lock.unlock();
            }
            if (live) {
                lost(c, reason);
            }
        }
    }
}
