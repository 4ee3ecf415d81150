package dev.loomchat.client;

import dev.loomchat.protocol.ServerMessage;

import java.io.PrintStream;

/** Non-interactive output: one {@link PlainFormat} line per event on {@code out}. Thread-safe. */
final class PlainView implements ChatView {

    private final PrintStream out;

    PlainView(PrintStream out) {
        this.out = out;
    }

    @Override
    public void frame(ServerMessage frame, String raw, FrameContext context) {
        print(PlainFormat.format(frame, context));
    }

    @Override
    public void notice(Notice notice) {
        print(PlainFormat.format(notice));
    }

    private void print(String line) {
        if (line != null) {
            out.println(line); // PrintStream locks per call, so lines from two threads never interleave
            out.flush();
        }
    }
}
