package dev.loomchat.socketserver.fork;

import dev.loomchat.socketserver.BaseServer;
import dev.loomchat.socketserver.Forking;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Forking#processPerRequest()}: Python's {@code ForkingMixIn}, one child JVM per request.
 *
 * <p>{@link #processRequest} waits until fewer than {@code maxChildren} children are alive
 * (Python's {@code collect_children} bound), starts a child and returns; the child calls back,
 * is handed the request's socket, and handles it while the server goes on. The parent's copy of
 * the socket is closed once the child has it. A child that exits before taking its request (it
 * could not start) has the request ended by the parent. Children are reaped — dropped from
 * {@link #activeChildren()}, a non-zero exit status logged — by {@link #collectChildren}, which
 * {@code serviceActions} calls.
 */
final class ProcessPerRequest extends ChildProcesses {

    private static final Logger LOG = LoggerFactory.getLogger(Forking.class);

    private record Child(Process process, SocketAddress clientAddress) {
    }

    private final int maxChildren;
    private final Map<Long, Child> active = new ConcurrentHashMap<>(); // Python's active_children
    // Tokens of children started but not yet handed their request (Python's child has it at once).
    private final Set<String> handingOver = ConcurrentHashMap.newKeySet();

    ProcessPerRequest(ChildJvm jvm, boolean blockOnClose, int maxChildren) {
        super(jvm, blockOnClose);
        this.maxChildren = maxChildren;
    }

    @Override
    boolean oneShot() {
        return true;
    }

    @Override
    public <R> void processRequest(BaseServer<R> server, R request, SocketAddress clientAddress) throws IOException {
        activate(server);
        PendingRequest<R> pending = PendingRequest.of(server, request, clientAddress);
        waitForRoom();
        String token = HandoffListener.newToken();
        handingOver.add(token);
        handoff().expect(token, control -> {
            boolean handedOver = false;
            try {
                if (setUp(control)) {
                    pending.handOver(control);
                    handedOver = true;
                }
            } finally {
                if (!handedOver) {
                    pending.abandon();
                }
                handedOver(token);
            }
        });
        Process process;
        try {
            process = jvm.start(handoff().path(), token);
        } catch (IOException | RuntimeException e) {
            handoff().forget(token);
            handedOver(token);
            throw e; // BaseServer reports it and shuts the request down
        }
        active.put(process.pid(), new Child(process, clientAddress));
        process.onExit().thenRun(() -> {
            if (handoff().forget(token)) {
                LOG.error("child process {} exited with status {} before taking the request from {}",
                        process.pid(), process.exitValue(), clientAddress);
                pending.abandon();
                handedOver(token);
            }
            signalChange();
        });
    }

    private void handedOver(String token) {
        handingOver.remove(token);
        signalChange();
    }

    /** Python's bound in {@code collect_children}: wait while {@code maxChildren} children live. */
    private void waitForRoom() throws InterruptedIOException {
        awaitUntil(() -> {
            reapExited();
            return active.size() < maxChildren;
        });
    }

    /** Drops children that have exited, logging a non-zero exit status. */
    private void reapExited() {
        for (Map.Entry<Long, Child> entry : active.entrySet()) {
            Process process = entry.getValue().process();
            if (!process.isAlive() && active.remove(entry.getKey()) != null) {
                int status = process.exitValue();
                if (status != 0) {
                    LOG.warn("child process {} (request from {}) exited with status {}",
                            process.pid(), entry.getValue().clientAddress(), status);
                }
            }
        }
    }

    @Override
    public void collectChildren(boolean blocking) throws InterruptedIOException {
        waitForRoom();
        if (blocking) {
            for (Child child : List.copyOf(active.values())) {
                try {
                    child.process().waitFor();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for child processes");
                }
            }
        }
        reapExited();
    }

    @Override
    public void serverClose() {
        if (!isActive()) {
            return;
        }
        try {
            // Even without blockOnClose, a child still starting is let take its request (it is
            // the child's from processRequest on, as after fork()); only then can the handoff close.
            awaitUntil(handingOver::isEmpty);
            collectChildren(blockOnClose);
        } catch (InterruptedIOException e) {
            // Interrupted: stop waiting; the children go on and the JDK reaps them when they end.
        }
        closeHandoff();
    }

    @Override
    public Set<ProcessHandle> activeChildren() {
        return active.values().stream().map(c -> c.process().toHandle()).collect(Collectors.toUnmodifiableSet());
    }

    int maxChildren() {
        return maxChildren;
    }
}
