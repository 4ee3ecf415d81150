package dev.loomchat.bench;

import java.nio.charset.StandardCharsets;

/**
 * A room member speaking NATS's text protocol: after the server's {@code INFO} it sends
 * {@code CONNECT} (no {@code +OK}s, echo on), {@code SUB <subject> 1} and {@code PING}; the
 * {@code PONG} says the subscription is in place, so the member is in the room. A say is
 * {@code PUB <subject> <len>} with a small JSON payload {@code {"text":"s<id>q<seq>t<nanos>.xxx"}},
 * padded so that the whole frame is {@code --line-bytes} long like a loomchat say line; every
 * member, the sender included, gets it as {@code MSG <subject> 1 <len>} and the payload on the
 * next line. The sender's own copy is the acknowledgement. Server {@code PING}s get a
 * {@code PONG}; {@code -ERR} lines count as errors.
 */
final class NatsRoomChatter extends RoomScenario.Chatter {

    private static final byte[] TEXT_S = "\"text\":\"s".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MSG = "MSG ".getBytes(StandardCharsets.US_ASCII);

    private final String subject;
    private boolean connected;
    /** The payload length announced by the last {@code MSG} line; -1 when no payload is due. */
    private int payloadDue = -1;

    NatsRoomChatter(RoomScenario room, int id, String subject) {
        super(room, id);
        this.subject = subject;
    }

    @Override
    void writeSay(int seq, String text) {
        StringBuilder payload = new StringBuilder(room.o.lineBytes).append("{\"text\":\"").append(text);
        // PUB <subject> <len>\r\n<payload>\r\n, with a payload of two or three digits' length
        int frame = "PUB ".length() + subject.length() + " 000\r\n".length() + "\"}\r\n".length();
        while (frame + payload.length() < room.o.lineBytes) {
            payload.append('x');
        }
        payload.append("\"}");
        send("PUB " + subject + " " + payload.length() + "\r\n" + payload + "\r\n");
    }

    @Override
    boolean onLineBytes(byte[] buf, int start, int end) {
        if (end > start && buf[end - 1] == '\r') {
            end--;
        }
        if (payloadDue >= 0) {
            int due = payloadDue;
            payloadDue = -1;
            int p = NioLoop.indexOf(buf, start, end, TEXT_S);
            if (end - start != due || p < 0 || !deliveredText(buf, p + TEXT_S.length - 1, end, true)) {
                error("unexpected payload " + new String(buf, start, end - start, StandardCharsets.ISO_8859_1));
            }
            return true;
        }
        if (end - start > MSG.length && NioLoop.indexOf(buf, start, start + MSG.length, MSG) == start) {
            // MSG <subject> <sid> <len>: the payload's length is the last field
            int len = 0;
            int p = end - 1;
            int scale = 1;
            for (; p > start && buf[p] >= '0' && buf[p] <= '9'; p--) {
                len += (buf[p] - '0') * scale;
                scale *= 10;
            }
            payloadDue = len;
            return true;
        }
        return false;
    }

    @Override
    void onLine(String raw) {
        String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        if (line.startsWith("MSG ")) {
            // only when the line was split across reads; the fast path takes the rest
            byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
            onLineBytes(b, 0, b.length);
        } else if (payloadDue >= 0) {
            byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
            onLineBytes(b, 0, b.length);
        } else if (line.startsWith("INFO ")) {
            if (!connected) {
                connected = true;
                send("CONNECT {\"verbose\":false,\"pedantic\":false,\"echo\":true,\"name\":\"bench-" + room.tag + "-" + id
                        + "\",\"lang\":\"java\",\"version\":\"0\",\"protocol\":1}\r\nSUB " + subject + " 1\r\nPING\r\n");
            }
        } else if (line.equals("PONG")) {
            joined();
        } else if (line.equals("PING")) {
            send("PONG\r\n");
        } else if (line.startsWith("-ERR")) {
            if (in) {
                error(line);
            } else {
                failedToJoin("server said " + line);
            }
        } else if (!line.equals("+OK")) {
            error("unexpected line " + line);
        }
    }
}
