package dev.loomchat.client;

import dev.loomchat.protocol.ServerMessage;

import java.io.PrintStream;

/**
 * {@code --json} output: every frame from the server exactly as received, one per line, on
 * {@code out} (keepalive pings and frames human views hide included: it is a transcript); the client's
 * own notices in the {@link PlainFormat} on {@code err}. Thread-safe.
 */
final class JsonView implements ChatView {

    private final PrintStream out;
    private final PrintStream err;

    JsonView(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    @Override
    public void frame(ServerMessage frame, String raw, FrameContext context) {
        out.println(raw);
        out.flush();
    }

    @Override
    public void notice(Notice notice) {
        String line = PlainFormat.format(notice);
        if (line != null) {
            err.println(line);
            err.flush();
        }
    }
}
