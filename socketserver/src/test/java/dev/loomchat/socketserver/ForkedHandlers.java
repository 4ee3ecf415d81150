package dev.loomchat.socketserver;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Handlers that forking tests name by class (so they are top-level or static nested with a
 * no-arg constructor: a child JVM builds them by name). Each reply ends with the PID of the
 * process that handled the request.
 */
final class ForkedHandlers {

    private ForkedHandlers() {
    }

    static long pid() {
        return ProcessHandle.current().pid();
    }

    /** Reads a line, answers {@code LINE-UPPER-CASED pid=N}. */
    static class PidUpperStream extends StreamRequestHandler {
        @Override
        protected void handle() throws Exception {
            String line = new String(rfile().readline(), StandardCharsets.UTF_8).strip();
            wfile().write((line.toUpperCase(Locale.ROOT) + " pid=" + pid() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Answers a datagram with {@code PACKET-UPPER-CASED pid=N}. */
    static class PidUpperDatagram extends DatagramRequestHandler {
        @Override
        protected void handle() throws Exception {
            String text = new String(packet(), StandardCharsets.UTF_8).strip();
            wfile().write((text.toUpperCase(Locale.ROOT) + " pid=" + pid()).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Reads the line, sends {@code pid=N}, then ends its process with status 3 mid-request. */
    static class ExitingStream extends StreamRequestHandler {
        @Override
        protected void handle() throws Exception {
            rfile().readline(); // unread input would make the kernel reset the connection at exit
            wfile().write(("pid=" + pid() + "\n").getBytes(StandardCharsets.UTF_8));
            wfile().flush();
            System.exit(3);
        }
    }

    /** Reads the line, sends {@code pid=N}, then throws. */
    static class ThrowingStream extends StreamRequestHandler {
        @Override
        protected void handle() throws Exception {
            rfile().readline();
            wfile().write(("pid=" + pid() + "\n").getBytes(StandardCharsets.UTF_8));
            throw new IllegalArgumentException("ValueError from the forked handler");
        }
    }

}
