package dev.loomchat.socketserver.fork;

import dev.loomchat.socketserver.BaseServer;
import dev.loomchat.socketserver.Forking;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.newsclub.net.unix.AFUNIXSocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Forking#preforkedPool(int)}: N long-lived worker JVMs, each handling one request at a
 * time, handed connections by descriptor passing (Apache prefork, gunicorn's sync workers).
 *
 * <p>The workers start when the server activates. {@link #processRequest} queues the request and
 * returns; each worker's session thread takes the next request, hands it over, waits for DONE,
 * and takes the next. The queue holds at most {@value #QUEUE_CAPACITY} requests; when it is full
 * {@code processRequest} waits, so the listen backlog takes the strain. A worker that exits (a
 * handler called {@code System.exit}, a crash) is logged with its status and replaced; only the
 * request it was handling is lost. Workers that keep dying before they are ready (e.g. the
 * handler class is missing from the class path) stop the pool after {@value #START_FAILURES}
 * failures in a row per worker, instead of restarting JVMs forever.
 */
final class PreforkedPool extends ChildProcesses {

    static final int QUEUE_CAPACITY = 1024;
    static final int START_FAILURES = 3;

    private static final Logger LOG = LoggerFactory.getLogger(Forking.class);
    private static final long POLL_MILLIS = 50;

    private final int size;
    private final BlockingQueue<PendingRequest<?>> queue = new LinkedBlockingQueue<>(QUEUE_CAPACITY);
    private final Map<Long, Process> workers = new ConcurrentHashMap<>();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicInteger failedStarts = new AtomicInteger();
    private volatile boolean closing;
    private volatile boolean broken;

    PreforkedPool(ChildJvm jvm, boolean blockOnClose, int size) {
        super(jvm, blockOnClose);
        this.size = size;
    }

    @Override
    boolean oneShot() {
        return false;
    }

    int size() {
        return size;
    }

    @Override
    void activated() throws IOException {
        for (int i = 0; i < size; i++) {
            startWorker();
        }
    }

    private void startWorker() throws IOException {
        String token = HandoffListener.newToken();
        AtomicBoolean ready = new AtomicBoolean();
        handoff().expect(token, control -> workerSession(control, ready));
        Process process;
        try {
            process = jvm.start(handoff().path(), token);
        } catch (IOException | RuntimeException e) {
            handoff().forget(token);
            throw e;
        }
        workers.put(process.pid(), process);
        process.onExit().thenRun(() -> workerExited(process, token, ready));
    }

    /** Runs on the worker's session thread for the worker's whole life. */
    private void workerSession(AFUNIXSocketChannel control, AtomicBoolean ready) throws IOException {
        if (!setUp(control)) {
            return;
        }
        ready.set(true);
        failedStarts.set(0);
        while (true) {
            PendingRequest<?> job;
            try {
                job = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (job == null) {
                if (closing) {
                    return; // closing the control socket tells the worker to exit
                }
                continue;
            }
            busy.incrementAndGet();
            try {
                try {
                    job.handOver(control);
                } catch (IOException | RuntimeException e) {
                    job.abandon();
                    throw e;
                }
                if (Handoff.read(control) == null) {
                    return; // the worker died with the request; workerExited logs it
                }
            } finally {
                busy.decrementAndGet();
                signalChange();
            }
        }
    }

    private void workerExited(Process process, String token, AtomicBoolean ready) {
        handoff().forget(token);
        workers.remove(process.pid());
        int status = process.exitValue();
        if (!closing) {
            LOG.warn("pool worker process {} exited with status {}; starting another", process.pid(), status);
            if (!ready.get() && failedStarts.incrementAndGet() >= START_FAILURES * size) {
                broken = true;
                LOG.error("pool workers keep exiting before they are ready (last status {}): the pool is stopped;"
                        + " requests are closed unanswered until the server is restarted", status);
                abandonQueued();
            } else {
                try {
                    startWorker();
                } catch (IOException | RuntimeException e) {
                    LOG.error("cannot start a pool worker", e);
                }
            }
        } else if (status != 0) {
            LOG.warn("pool worker process {} exited with status {}", process.pid(), status);
        }
        signalChange();
    }

    @Override
    public <R> void processRequest(BaseServer<R> server, R request, SocketAddress clientAddress) throws IOException {
        activate(server);
        if (broken) {
            throw new IllegalStateException("the pre-forked pool is stopped: its workers kept exiting at start-up");
        }
        PendingRequest<R> pending = PendingRequest.of(server, request, clientAddress);
        try {
            queue.put(pending);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while queueing a request for the pool");
        }
        if (broken) {
            abandonQueued(); // the pool stopped while this request was being queued
        }
    }

    private void abandonQueued() {
        List<PendingRequest<?>> left = new ArrayList<>();
        queue.drainTo(left);
        left.forEach(PendingRequest::abandon);
    }

    /** Workers are replaced as they exit; nothing to reap here. */
    @Override
    public void collectChildren(boolean blocking) {
    }

    @Override
    public void serverClose() {
        if (!isActive()) {
            return;
        }
        closing = true;
        try {
            if (blockOnClose) {
                // Python's block_on_close: every request taken is answered before close returns.
                awaitUntil(() -> (queue.isEmpty() && busy.get() == 0) || workers.isEmpty());
            }
            abandonQueued();
            if (blockOnClose) {
                // Each session returns on the empty queue; its worker sees EOF and exits.
                for (Process worker : List.copyOf(workers.values())) {
                    worker.waitFor();
                }
            }
        } catch (InterruptedIOException e) {
            // Interrupted: stop waiting; the workers exit on their own.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeHandoff();
    }

    @Override
    public Set<ProcessHandle> activeChildren() {
        return workers.values().stream().map(Process::toHandle).collect(Collectors.toUnmodifiableSet());
    }
}
