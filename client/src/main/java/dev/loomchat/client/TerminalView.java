package dev.loomchat.client;

import dev.loomchat.protocol.ServerMessage;
import org.jline.reader.LineReader;
import org.jline.reader.impl.LineReaderImpl;

import java.time.Clock;

/**
 * Interactive output: every event as a {@link TerminalFormat} line printed <em>above</em> the
 * prompt with {@link LineReader#printAbove(String)}, which erases the prompt line, prints, and
 * redraws the prompt with whatever the user had typed so far, so incoming messages never
 * garble a half-typed line. Thread-safe (JLine takes its own lock).
 */
final class TerminalView implements ChatView {

    private final LineReader reader;
    private final TerminalFormat format;
    private final Clock clock;

    TerminalView(LineReader reader, TerminalFormat format, Clock clock) {
        this.reader = reader;
        this.format = format;
        this.clock = clock;
    }

    /** The prompt for {@code room} (null: no current room). */
    static String prompt(String room) {
        return room == null ? "> " : room + "> ";
    }

    @Override
    public void frame(ServerMessage frame, String raw, FrameContext context) {
        print(format.format(frame, context, clock.millis()));
    }

    @Override
    public void notice(Notice notice) {
        print(format.format(notice, clock.millis()));
    }

    @Override
    public void currentRoomChanged(String room) {
        // Normally the next readLine picks the new prompt up; this covers a change while reading.
        if (reader.isReading() && reader instanceof LineReaderImpl impl) {
            try {
                impl.setPrompt(prompt(room));
                reader.callWidget(LineReader.REDRAW_LINE);
                reader.callWidget(LineReader.REDISPLAY);
            } catch (IllegalStateException e) {
                // readLine returned meanwhile: the next one shows the new prompt anyway
            }
        }
    }

    private void print(String line) {
        if (line != null) {
            reader.printAbove(line);
        }
    }
}
