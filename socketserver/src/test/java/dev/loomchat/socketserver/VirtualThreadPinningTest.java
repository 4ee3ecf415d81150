package dev.loomchat.socketserver;

import static dev.loomchat.socketserver.TestNet.PATIENCE;
import static dev.loomchat.socketserver.TestNet.loopback;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * No pinning: a threaded workload over every server type runs under a JFR recording of
 * {@code jdk.VirtualThreadPinned} (threshold 0, with stack traces), and the test fails if any
 * pinned event has a frame in {@code dev.loomchat.socketserver} (or a truncated stack that could
 * hide one).
 *
 * <p>Why JFR and not {@code -Djdk.tracePinnedThreads}: that flag was removed in JDK 24; the JFR
 * event exists on every JDK from 21 on. What it can see depends on the JDK running the tests: on
 * JDK 21-23 a virtual thread that blocks inside {@code synchronized} pins its carrier, and this
 * test catches it; from JDK 24 on (JEP 491) {@code synchronized} no longer pins, so on the JDK 25
 * used here this test only catches the pins that remain (blocking in native frames or class
 * initialisers). The project targets Java 21, where {@code synchronized} around blocking I/O
 * does pin: {@link NoSynchronizedInSocketServerTest} guards that at the source level, whatever
 * JDK runs the tests.
 *
 * <p>The workload runs twice and only the second run is recorded: loading and initialising a
 * class pins a virtual thread on every JDK (the JVM's doing, once per class: the first run shows
 * e.g. "Waited for initialization of sun.nio.ch.Poller by another thread"), which says nothing
 * about the steady state this test is about.
 *
 * <p>{@link #theRecordingSeesAPinInThisPackage()} proves the detector works: it blocks a virtual
 * thread inside a class initialiser of this package (pinned on every JDK) and expects the event.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class VirtualThreadPinningTest {

    static final String PACKAGE = "dev.loomchat.socketserver.";

    @TempDir
    Path dir;

    /** What the test keeps of an event (JFR may reuse event objects after the callback). */
    record Pinned(String summary, List<String> frames, boolean truncated) {
        boolean inPackage() {
            return frames.stream().anyMatch(f -> f.startsWith(PACKAGE));
        }

        static Pinned of(RecordedEvent event) {
            List<String> frames = new ArrayList<>();
            RecordedStackTrace stack = event.getStackTrace();
            if (stack != null) {
                for (RecordedFrame frame : stack.getFrames()) {
                    if (frame.isJavaFrame()) {
                        frames.add(frame.getMethod().getType().getName() + "." + frame.getMethod().getName()
                                + ":" + frame.getLineNumber());
                    }
                }
            }
            String reason = event.hasField("pinnedReason") ? event.getString("pinnedReason") : "?";
            return new Pinned("pinned " + event.getDuration() + " (" + reason + ")", frames,
                    stack == null || stack.isTruncated());
        }
    }

    interface Workload {
        void run() throws Exception;
    }

    /**
     * Runs {@code workload} while recording every pinned park of a virtual thread. Fails if an
     * event could not be read, so that a broken collector cannot pass for "no pins".
     */
    static List<Pinned> pinnedDuring(Workload workload) throws Exception {
        List<Pinned> pinned = new CopyOnWriteArrayList<>();
        List<Throwable> collectorFailures = new CopyOnWriteArrayList<>();
        try (RecordingStream recording = new RecordingStream()) {
            recording.enable("jdk.VirtualThreadPinned").withThreshold(Duration.ZERO).withStackTrace();
            recording.onEvent("jdk.VirtualThreadPinned", event -> {
                try {
                    pinned.add(Pinned.of(event));
                } catch (Throwable t) {
                    collectorFailures.add(t);
                }
            });
            recording.startAsync();
            workload.run();
            recording.stop(); // returns once every recorded event has been consumed
        }
        if (!collectorFailures.isEmpty()) {
            throw new AssertionError("could not read a pinned event", collectorFailures.get(0));
        }
        return pinned;
    }

    @Test
    void threadedServersDoNotPinVirtualThreads() throws Exception {
        threadedWorkload("warm-up"); // loads and initialises every class involved, unrecorded
        List<Pinned> pinned = pinnedDuring(() -> threadedWorkload("recorded"));
        List<Pinned> ours = pinned.stream().filter(p -> p.inPackage() || p.truncated()).toList();
        assertEquals(List.of(), ours, "virtual threads pinned in dev.loomchat.socketserver (all pins: " + pinned + ")");
    }

    /** TCP, AF_UNIX (with a read timeout) and UDP threading servers, served from virtual threads. */
    private void threadedWorkload(String round) throws Exception {
        HandlerErrors errors = new HandlerErrors();
        int clients = 40;
        int lines = 5;
        RequestHandlerFactory<SocketChannel> lineEcho = () -> new StreamRequestHandler() {
            @Override
            protected Duration timeout() {
                return PATIENCE; // timed reads too
            }

            @Override
            protected int wbufsize() {
                return -1; // and the buffered writer
            }

            @Override
            protected void handle() throws Exception {
                for (byte[] line = rfile().readline(); line.length > 0; line = rfile().readline()) {
                    wfile().write(line);
                    wfile().flush();
                }
            }
        };
        try (ThreadingTCPServer tcp = new ThreadingTCPServer(loopback(), lineEcho) {
                @Override
                public int requestQueueSize() {
                    return 128;
                }

                @Override
                public void handleError(SocketChannel request, SocketAddress clientAddress, Exception error) {
                    errors.add(clientAddress, error);
                }
            };
             ThreadingUnixStreamServer unix = new ThreadingUnixStreamServer(dir.resolve(round + ".sock"), lineEcho) {
                 @Override
                 public int requestQueueSize() {
                     return 128;
                 }

                 @Override
                 public void handleError(SocketChannel request, SocketAddress clientAddress, Exception error) {
                     errors.add(clientAddress, error);
                 }
             };
             ThreadingUDPServer udp = new ThreadingUDPServer(loopback(), EchoDatagramHandler::new) {
                 @Override
                 public void handleError(DatagramRequest request, SocketAddress clientAddress, Exception error) {
                     errors.add(clientAddress, error);
                 }
             };
             ExecutorService clientPool = Executors.newFixedThreadPool(8)) {
            List<Thread> loops = new ArrayList<>();
            for (BaseServer<?> server : List.<BaseServer<?>>of(tcp, unix, udp)) {
                loops.add(Thread.ofVirtual().name("serve-" + server.getClass().getSimpleName()).start(() -> {
                    try {
                        server.serveForever(Duration.ofMillis(50));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                SocketAddress stream = c % 2 == 0 ? tcp.serverAddress() : unix.serverAddress();
                int client = c;
                done.add(clientPool.submit(() -> {
                    try (SocketChannel channel = SocketChannel.open(stream)) {
                        OutputStream out = Channels.newOutputStream(channel);
                        InputStream in = Channels.newInputStream(channel);
                        for (int i = 0; i < lines; i++) {
                            String line = "client " + client + " line " + i + "\n";
                            out.write(line.getBytes(StandardCharsets.UTF_8));
                            assertEquals(line, TestNet.readLineString(in));
                        }
                    }
                    TestNet.dgramExamine(udp.serverAddress());
                    return null;
                }));
            }
            for (Future<?> future : done) {
                future.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }

            // serverClose joining a handler that is still running, and a timed-out AF_UNIX read
            CountDownLatch release = new CountDownLatch(1);
            AtomicReference<Exception> timeoutSeen = new AtomicReference<>();
            try (ThreadingUnixStreamServer slow = new ThreadingUnixStreamServer(dir.resolve(round + "-slow.sock"),
                    () -> new StreamRequestHandler() {
                        @Override
                        protected Duration timeout() {
                            return Duration.ofMillis(100);
                        }

                        @Override
                        protected void handle() throws Exception {
                            try {
                                rfile().readline();
                            } catch (java.net.SocketTimeoutException e) {
                                timeoutSeen.set(e);
                            }
                            release.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                        }
                    });
                 SocketChannel client = SocketChannel.open(slow.serverAddress())) {
                assertTrue(client.isConnected());
                slow.handleRequest();
                await().atMost(PATIENCE).until(() -> timeoutSeen.get() != null);
                Thread closer = Thread.ofVirtual().start(slow::serverClose);
                await().atMost(PATIENCE).until(() -> !slow.fileno().isOpen());
                release.countDown();
                closer.join(PATIENCE);
                assertFalse(closer.isAlive());
            }

            // shutdown() from a virtual thread, waiting on the loops
            Thread stopper = Thread.ofVirtual().start(() -> {
                tcp.shutdown();
                unix.shutdown();
                udp.shutdown();
            });
            stopper.join(PATIENCE);
            for (Thread loop : loops) {
                loop.join(PATIENCE);
                assertFalse(loop.isAlive(), loop.getName());
            }
        }
        errors.assertNone();
    }

    /** Released by the test; outside {@link PinsInInitializer}, whose initialisation it ends. */
    static final CountDownLatch RELEASE_INITIALIZER = new CountDownLatch(1);

    /** Blocks in its class initialiser until released: pinned on every JDK (a VM frame is on the stack). */
    static final class PinsInInitializer {
        static {
            try {
                RELEASE_INITIALIZER.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        static void touch() {
        }
    }

    @Test
    void theRecordingSeesAPinInThisPackage() throws Exception {
        List<Pinned> pinned = pinnedDuring(() -> {
            Thread thread = Thread.ofVirtual().start(PinsInInitializer::touch);
            await().atMost(PATIENCE).until(() -> thread.getState() == Thread.State.TIMED_WAITING);
            RELEASE_INITIALIZER.countDown();
            thread.join(PATIENCE);
            assertFalse(thread.isAlive());
        });
        assertTrue(pinned.stream().anyMatch(Pinned::inPackage), "the deliberate pin was recorded: " + pinned);
    }
}
