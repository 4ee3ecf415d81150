package dev.loomchat.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A room member on the web door's WebSocket ({@code /ws}, PROTOCOL.md §13): the same
 * {@code hello}, {@code join} and {@code say}s as {@link LoomchatRoomChatter}, each one JSON
 * object in a masked text frame, the server's text frames handed to the same parsing. A minimal
 * RFC 6455 client on the load generator's {@link NioLoop} thread: the upgrade request, then
 * frames (unfragmented text from the server; ping answered; close ends it). The masking key is
 * all zeros, which the RFC allows and which leaves the payload as it is: the load generator must
 * not spend its time masking.
 */
final class WebSocketRoomChatter extends LoomchatRoomChatter {

    private static final byte[] HEADERS_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    private final String hostPort;
    private boolean upgraded;
    /** Bytes read and not yet a whole frame (or, before the upgrade, the whole response so far). */
    private byte[] pending = new byte[1024];
    private int pendingLen;

    WebSocketRoomChatter(RoomScenario room, int id, String roomName, String hostPort) {
        super(room, id, roomName);
        this.hostPort = hostPort;
    }

    @Override
    boolean rawBytes() {
        return true;
    }

    @Override
    void onConnect() {
        up = true;
        send("GET /ws HTTP/1.1\r\nHost: " + hostPort + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: bG9vbWNoYXQtYmVuY2gtMQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    }

    /** One masked text frame holding {@code line} without its newline. */
    @Override
    void sendFrame(String line) {
        byte[] payload = line.substring(0, line.length() - 1).getBytes(StandardCharsets.UTF_8);
        int header = payload.length < 126 ? 2 : payload.length < 65_536 ? 4 : 10;
        byte[] frame = new byte[header + 4 + payload.length];
        frame[0] = (byte) 0x81; // FIN, text
        if (payload.length < 126) {
            frame[1] = (byte) (0x80 | payload.length);
        } else if (payload.length < 65_536) {
            frame[1] = (byte) (0x80 | 126);
            frame[2] = (byte) (payload.length >>> 8);
            frame[3] = (byte) payload.length;
        } else {
            frame[1] = (byte) (0x80 | 127);
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) payload.length >>> (56 - 8 * i));
            }
        }
        // frame[header .. header + 3] is the masking key: zeros.
        System.arraycopy(payload, 0, frame, header + 4, payload.length);
        send(frame);
    }

    @Override
    void onBytes(byte[] buf, int start, int end) {
        byte[] data = buf;
        int from = start;
        int to = end;
        if (pendingLen > 0) {
            append(buf, start, end);
            data = pending;
            from = 0;
            to = pendingLen;
        }
        int used = upgraded ? frames(data, from, to) : upgrade(data, from, to);
        if (used < to && upgraded && !closed) {
            used = frames(data, used, to);
        }
        int rest = to - used;
        if (data == pending) {
            System.arraycopy(pending, used, pending, 0, rest);
            pendingLen = rest;
        } else if (rest > 0) {
            pendingLen = 0;
            append(data, used, to);
        }
    }

    /** The upgrade response: 101 then frames; anything else fails the member. Returns the bytes used. */
    private int upgrade(byte[] b, int from, int to) {
        int end = NioLoop.indexOf(b, from, to, HEADERS_END);
        if (end < 0) {
            return from;
        }
        String status = new String(b, from, Math.max(0, NioLoop.indexOf(b, from, end + 2, "\r\n".getBytes(StandardCharsets.US_ASCII)) - from),
                StandardCharsets.ISO_8859_1);
        if (!status.startsWith("HTTP/1.1 101")) {
            failedToJoin("upgrade refused: " + status);
            return to;
        }
        upgraded = true;
        hello();
        return end + HEADERS_END.length;
    }

    /** Handles the whole frames in {@code b[from, to)}; returns where the first incomplete one starts. */
    private int frames(byte[] b, int from, int to) {
        int p = from;
        while (!closed && to - p >= 2) {
            int opcode = b[p] & 0x0f;
            int len = b[p + 1] & 0x7f;
            int header = 2;
            long length = len;
            if (len == 126) {
                if (to - p < 4) {
                    break;
                }
                length = ((b[p + 2] & 0xff) << 8) | (b[p + 3] & 0xff);
                header = 4;
            } else if (len == 127) {
                if (to - p < 10) {
                    break;
                }
                length = 0;
                for (int i = 0; i < 8; i++) {
                    length = (length << 8) | (b[p + 2 + i] & 0xff);
                }
                header = 10;
            }
            if (to - p - header < length) {
                break;
            }
            int payload = p + header;
            int payloadEnd = payload + (int) length;
            switch (opcode) {
                case 1 -> {
                    if (!onLineBytes(b, payload, payloadEnd)) {
                        onLine(new String(b, payload, payloadEnd - payload, StandardCharsets.ISO_8859_1));
                    }
                }
                case 9 -> send(new byte[] {(byte) 0x8a, (byte) 0x80, 0, 0, 0, 0}); // pong (empty)
                case 8 -> close();
                default -> { }
            }
            p = payloadEnd;
        }
        return p;
    }

    private void append(byte[] b, int from, int to) {
        int n = to - from;
        if (pending.length < pendingLen + n) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLen + n));
        }
        System.arraycopy(b, from, pending, pendingLen, n);
        pendingLen += n;
    }
}
