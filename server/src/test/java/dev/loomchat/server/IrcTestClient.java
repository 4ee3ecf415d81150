package dev.loomchat.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A blocking IRC client for tests: sends lines, reads the server's lines (CRLF-terminated, UTF-8)
 * with a read timeout that is only an upper bound against hanging, and knows the registration
 * dance. {@link #sync()} sends a {@code PING} with a fresh token and reads up to its {@code PONG}:
 * everything the server sent before it, so a test can also check that nothing else came.
 */
final class IrcTestClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private int syncs;
    private String nick;

    private IrcTestClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout((int) TestClient.READ_TIMEOUT.toMillis());
        socket.setTcpNoDelay(true);
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    static IrcTestClient connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        try {
            socket.connect(address, (int) TestClient.READ_TIMEOUT.toMillis());
            return new IrcTestClient(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** A client on a socket already connected (and handshaken, for TLS). */
    static IrcTestClient over(Socket socket) throws IOException {
        return new IrcTestClient(socket);
    }

    /** A client registered as {@code nick}, its welcome burst read up to the end of the MOTD (376 or 422). */
    static IrcTestClient registered(InetSocketAddress address, String nick) throws IOException {
        IrcTestClient client = connect(address);
        try {
            client.register(nick);
            return client;
        } catch (IOException | RuntimeException | AssertionError e) {
            client.close();
            throw e;
        }
    }

    /** NICK and USER, then reads up to the end of the MOTD; returns the lines, 001 first. */
    List<Line> register(String wanted) throws IOException {
        send("NICK " + wanted);
        send("USER " + wanted.toLowerCase() + " 0 * :Real " + wanted);
        List<Line> lines = readUntil(line -> line.command().equals("376") || line.command().equals("422"));
        assertEquals("001", lines.stream().filter(Line::numeric).findFirst().orElseThrow().command(),
                () -> "registered: " + lines);
        nick = wanted;
        return lines;
    }

    String nick() {
        return nick;
    }

    Socket socket() {
        return socket;
    }

    void send(String line) throws IOException {
        sendRaw((line + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next line, or {@code null} at the end of the stream. */
    Line nextOrEnd() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            while (true) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                if (b == '\n') {
                    byte[] bytes = line.toByteArray();
                    int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return Line.parse(new String(bytes, 0, length, StandardCharsets.UTF_8));
                }
                line.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no line from the server within " + TestClient.READ_TIMEOUT + " (had: " + line + ")");
        } catch (java.net.SocketException e) {
            return null; // reset by the server after it closed
        }
    }

    Line next() throws IOException {
        Line line = nextOrEnd();
        if (line == null) {
            fail("the server closed the connection");
        }
        return line;
    }

    /** Reads until a line matching {@code last}; returns every line read, that one included. */
    List<Line> readUntil(Predicate<Line> last) throws IOException {
        List<Line> lines = new ArrayList<>();
        while (true) {
            Line line = next();
            lines.add(line);
            if (last.test(line)) {
                return lines;
            }
        }
    }

    /** The next line, which must have {@code command}. */
    Line expectNumeric(String command) throws IOException {
        Line line = next();
        assertEquals(command, line.command(), () -> "expected " + command + ", got " + line);
        return line;
    }

    /** Reads until the first line with {@code command}, which it returns. */
    Line expect(String command) throws IOException {
        List<Line> lines = readUntil(line -> line.command().equals(command));
        return lines.getLast();
    }

    /** Everything the server sends before the answer to a fresh PING (which is not included). */
    List<Line> sync() throws IOException {
        String token = "sync" + ++syncs;
        send("PING :" + token);
        List<Line> lines = readUntil(line -> line.command().equals("PONG") && line.params().getLast().equals(token));
        return lines.subList(0, lines.size() - 1);
    }

    /** Reads until the server closes the connection; returns the lines. */
    List<Line> readUntilClosed() throws IOException {
        List<Line> lines = new ArrayList<>();
        for (Line line = nextOrEnd(); line != null; line = nextOrEnd()) {
            lines.add(line);
        }
        return lines;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /**
     * One server line, parsed.
     *
     * @param raw     the line as sent, without CRLF
     * @param tags    the tags part without {@code @}, or {@code ""}
     * @param source  the source without {@code :}, or {@code ""}
     */
    record Line(String raw, String tags, String source, String command, List<String> params) {

        static Line parse(String raw) {
            String rest = raw;
            String tags = "";
            String source = "";
            if (rest.startsWith("@")) {
                int space = rest.indexOf(' ');
                tags = rest.substring(1, space);
                rest = rest.substring(space + 1);
            }
            if (rest.startsWith(":")) {
                int space = rest.indexOf(' ');
                source = rest.substring(1, space);
                rest = rest.substring(space + 1);
            }
            List<String> params = new ArrayList<>();
            int space = rest.indexOf(' ');
            String command = space < 0 ? rest : rest.substring(0, space);
            rest = space < 0 ? "" : rest.substring(space + 1);
            while (!rest.isEmpty()) {
                if (rest.startsWith(":")) {
                    params.add(rest.substring(1));
                    break;
                }
                space = rest.indexOf(' ');
                params.add(space < 0 ? rest : rest.substring(0, space));
                rest = space < 0 ? "" : rest.substring(space + 1);
            }
            return new Line(raw, tags, source, command, List.copyOf(params));
        }

        boolean numeric() {
            return command.length() == 3 && command.chars().allMatch(Character::isDigit);
        }

        String param(int index) {
            return params.get(index);
        }

        /** The source's nick ({@code alice} of {@code alice!chat@loomchat}). */
        String sourceNick() {
            int bang = source.indexOf('!');
            return bang < 0 ? source : source.substring(0, bang);
        }

        @Override
        public String toString() {
            return raw;
        }
    }
}
