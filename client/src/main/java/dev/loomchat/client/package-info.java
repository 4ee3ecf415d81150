/**
 * The loomchat console chat client ({@code ./loomchat client}), entry point
 * {@link dev.loomchat.client.ChatClientMain}.
 *
 * <h2>Modes</h2>
 * <ul>
 *   <li><b>Interactive</b> (stdin and stdout are a terminal): a JLine line editor with history and
 *       tab completion; events are printed above the prompt, which names the current room
 *       ({@code InteractiveConsole}, {@code TerminalView}, {@code TerminalFormat}).</li>
 *   <li><b>Non-interactive</b> (otherwise): commands and text from stdin, one stable plain line per
 *       event on stdout ({@code ScriptConsole}, {@code PlainFormat}, whose javadoc lists every line),
 *       or the raw server frames with {@code --json}. Each request waits for its reply before the
 *       next line is read; at the end of input the client quits and waits for {@code bye}.</li>
 * </ul>
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>{@code /me TEXT} is sent as an ordinary {@code say} whose text is {@code "/me TEXT"}; the
 *       protocol stays unchanged, interactive mode shows such messages as {@code * nick TEXT}, the
 *       plain format prints the text as it is. A line starting with {@code //} says a text
 *       starting with {@code /}.</li>
 *   <li>The client reconnects after any drop it did not ask for, a server {@code shutdown}
 *       included (a restart is the common case), with exponential backoff (0.5 s doubling to
 *       10 s, +-20 % jitter), and re-joins its rooms, replaying only the messages missed;
 *       {@code --no-reconnect} ends the session instead (exit status 1). It insists on its own
 *       nick for 30 s after the drop (the nick is usually still held by its own old session or a
 *       dead cluster node's lease), then takes {@code nick_}.</li>
 *   <li>It notices a silent server (a dead network path) itself: a {@code ping} after 30 s
 *       without any frame, and a drop when 15 s more pass without one ({@code Keepalive},
 *       {@code --ping-after}, {@code --ping-timeout}).</li>
 *   <li>In a terminal, a line the server echoes (text, {@code /me}, {@code /msg}) is erased
 *       on Enter, so it shows once, as echoed.</li>
 *   <li>An error is said once: a refused {@code hello} is one line on stderr, not also an
 *       event.</li>
 *   <li>Requests are paced to the server's announced rate ({@code welcome.limits}), so a long
 *       script is slowed down rather than answered with {@code rate_limited}.</li>
 *   <li>Exit status: 0 normal end, 1 connection failure (no server at start, hello refused,
 *       connection lost for good, a request left unanswered), 2 bad command line.</li>
 * </ul>
 *
 * <p>Layers: {@code Connection} (TCP or Unix socket, reader thread, keepalive, ref-matched replies,
 * locked writes) under {@code ChatClient} (session, state, reconnect), which is shown through a
 * {@code ChatView}.
 */
package dev.loomchat.client;
