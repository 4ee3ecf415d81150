package dev.loomchat.server.chat;

import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.server.ChatConfig;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every open session: opening one (within the connection limit), closing it, the keepalive
 * sweep, and the graceful shutdown (stop opening, tell every client, wait for them to drain).
 *
 * <p>Threading: safe from any thread. Opening and the start of a shutdown exclude each other, so
 * a session is either told to go or never opened.
 */
final class SessionRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);

    private final ChatConfig config;
    private final ServerCounters counters;
    private final ScheduledExecutorService timers;
    private final Set<Session> sessions = ConcurrentHashMap.newKeySet();
    /** Refusals by source limit, until the door asks why ({@link #addressRefusal}). */
    private final ConcurrentHashMap<String, ServerMessage.Error> lastAddressRefusal = new ConcurrentHashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition sessionClosed = lock.newCondition();
    /** Set once under the lock; read without it where a stale value is harmless. */
    private volatile boolean shuttingDown;
    private final AddressLimits addressLimits;
    private final ServerBans bans;

    SessionRegistry(ChatConfig config, ServerCounters counters, ScheduledExecutorService timers, ServerBans bans) {
        this.bans = bans;
        this.config = config;
        this.counters = counters;
        this.timers = timers;
        this.addressLimits = new AddressLimits(config.maxConnectionsPerAddress(), config.connectRatePerAddress(),
                ChatConfig.connectBurst(config.maxConnectionsPerAddress()), config.exemptLoopback());
    }

    /** A new session, or {@code null} when the server is full or shutting down. */
    Session open(Peer peer, String address, FloodPolicy floodPolicy) {
        counters.accepted.increment();
        // Under the lock that beginShutdown takes: a session is either in its snapshot (and told
        // to go) or never opened. One opened after the snapshot would be left waiting for its
        // client, and the shutdown would wait for its handler forever.
        lock.lock();
        try {
            if (shuttingDown) {
                return null;
            }
            if (counters.connections.get() >= config.maxConnections()) {
                counters.refusedFull.increment();
                LOG.warn("refused {}: server full ({} connections)", address, config.maxConnections());
                return null;
            }
            ServerBan ban = bans.onAddress(AddressLimits.sourceOf(address));
            if (ban != null) {
                counters.banned.increment();
                LOG.info("refused {}: {}", address, ban.describe());
                lastAddressRefusal.put(address, new ServerMessage.Error(ErrorCode.SERVER_BANNED, ban.describe(), null));
                return null;
            }
            String overLimit = addressLimits.admit(address, System.nanoTime());
            if (overLimit != null) {
                counters.refusedAddress.increment();
                LOG.info("refused {}: {}", address, overLimit);
                lastAddressRefusal.put(address, new ServerMessage.Error(ErrorCode.TOO_MANY_CONNECTIONS, overLimit, null));
                return null;
            }
            counters.connections.incrementAndGet();
            Session session = new Session(peer, address, floodPolicy, config, counters, timers);
            sessions.add(session);
            LOG.debug("connect {}", address); // INFO once it says hello: health checks and probes stay quiet
            return session;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets a closed session and wakes a shutdown waiting for the last one. */
    void remove(Session session, String reason) {
        if (sessions.remove(session)) {
            counters.connections.decrementAndGet();
            addressLimits.release(session.address());
        }
        if (session.nick() != null) {
            LOG.info("disconnect {} nick={} reason={}", session.address(), session.nick(), reason);
        } else {
            LOG.debug("disconnect {} nick=- reason={}", session.address(), reason);
        }
        lock.lock();
        try {
            sessionClosed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The open sessions that {@code which} picks (a ban's victims). */
    List<Session> matching(java.util.function.Predicate<Session> which) {
        return sessions.stream().filter(session -> session.endReason() == null && which.test(session)).toList();
    }

    /** Whether a shutdown has begun: nobody is told that others leave from then on. */
    boolean shuttingDown() {
        return shuttingDown;
    }

    /**
     * Why {@link #open} refused {@code address} for its source's limits or a ban, once (the door asks
     * right after the refusal), or {@code null} if it did not.
     */
    ServerMessage.Error addressRefusal(String address) {
        return address == null ? null : lastAddressRefusal.remove(address);
    }

    /** Forgets sources that have nothing open and may connect freely again. */
    void sweepAddresses(long nowNanos) {
        addressLimits.sweep(nowNanos);
        lastAddressRefusal.clear(); // a door that never asked: nothing to keep
    }

    /**
     * The graceful shutdown of every session: stops opening new ones, queues the
     * {@code shutdown} notice to every open one and ends it once its queue is sent, waits up to
     * {@code grace} for them to close, then closes the connections of the rest.
     */
    void shutdown(Duration grace) throws InterruptedException {
        List<Session> open;
        lock.lock();
        try {
            shuttingDown = true;
            open = List.copyOf(sessions);
        } finally {
            lock.unlock();
        }
        if (open.isEmpty()) {
            return;
        }
        LOG.info("shutting down: notifying {} clients", open.size());
        Outgoing notice = new Outgoing(new ServerMessage.Shutdown(ChatCore.SHUTDOWN_MESSAGE));
        for (Session session : open) {
            session.send(notice);
            session.finish(ChatCore.REASON_SHUTDOWN);
        }
        if (!awaitNoSessions(grace)) {
            LOG.info("shutting down: closing {} connections that did not drain in {} ms", sessions.size(),
                    grace.toMillis());
            sessions.forEach(Session::closeConnection);
        }
    }

    private boolean awaitNoSessions(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (!sessions.isEmpty()) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = sessionClosed.awaitNanos(nanos);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Sends {@code ping} to clients silent for the idle timeout; drops those silent since a ping. */
    void keepalive(long nowNanos) {
        long idle = config.idleTimeout().toNanos();
        long grace = config.pingTimeout().toNanos();
        Outgoing ping = null; // one encoding per sweep, shared by every client pinged
        for (Session session : sessions) {
            if (session.endReason() != null) {
                continue;
            }
            long pingSent = session.pingSentNanos();
            if (pingSent == 0 && nowNanos - session.lastHeardNanos() >= idle) {
                session.pingSent(nowNanos);
                if (ping == null) {
                    ping = new Outgoing(new ServerMessage.Ping());
                }
                session.send(ping);
            } else if (pingSent != 0 && nowNanos - pingSent >= grace) {
                session.drop(ServerMessage.Parted.REASON_IDLE_TIMEOUT, ErrorCode.IDLE_TIMEOUT,
                        "no frame for " + (config.idleTimeout().plus(config.pingTimeout()).toMillis()) + " ms",
                        counters.idleTimeouts);
            }
        }
    }
}
