package dev.loomchat.bench;

import java.nio.charset.StandardCharsets;

/**
 * A room member speaking loomchat's JSON lines: {@code hello}, {@code join}, then {@code say}s;
 * in the room after the join's {@code history} trailer. Its own copy of a say is the one that
 * carries the say's {@code ref}.
 */
class LoomchatRoomChatter extends RoomScenario.Chatter {

    private static final byte[] MESSAGE_TYPE = "\"type\":\"message\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TEXT_S = "\"text\":\"s".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REF_FIELD = "\"ref\":".getBytes(StandardCharsets.US_ASCII);

    private final String roomName;
    private final String sayHead;

    LoomchatRoomChatter(RoomScenario room, int id, String roomName) {
        super(room, id);
        this.roomName = roomName;
        this.sayHead = "{\"type\":\"say\",\"room\":\"" + roomName + "\",\"text\":\"";
    }

    @Override
    void onConnect() {
        super.onConnect();
        hello();
    }

    /** Starts the session: the {@code hello}. */
    final void hello() {
        sendFrame("{\"type\":\"hello\",\"nick\":\"r" + room.tag + "_" + id + "\",\"ref\":\"h\"}\n");
    }

    /** Sends one frame, {@code line} (a JSON object and its newline): as it is, on JSON lines. */
    void sendFrame(String line) {
        send(line);
    }

    @Override
    void writeSay(int seq, String text) {
        StringBuilder sb = new StringBuilder(room.o.lineBytes + 16).append(sayHead).append(text);
        int tail = "\",\"ref\":\"\"}\n".length() + String.valueOf(seq).length();
        while (sb.length() + tail < room.o.lineBytes) {
            sb.append('x');
        }
        sendFrame(sb.append("\",\"ref\":\"").append(seq).append("\"}\n").toString());
    }

    /** The live chat message, parsed in place; anything else goes the String way. */
    @Override
    boolean onLineBytes(byte[] buf, int start, int end) {
        if (!in || NioLoop.indexOf(buf, start, end, MESSAGE_TYPE) < 0) {
            return false;
        }
        int p = NioLoop.indexOf(buf, start, end, TEXT_S);
        return p >= 0 && deliveredText(buf, p + TEXT_S.length - 1, end,
                NioLoop.indexOf(buf, p, end, REF_FIELD) >= 0);
    }

    @Override
    void onLine(String line) {
        String type = NioLoop.type(line);
        if ("message".equals(type)) {
            if (line.contains("\"replay\":true")) {
                return;
            }
            byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
            int p = NioLoop.indexOf(b, 0, b.length, TEXT_S);
            if (p < 0 || !deliveredText(b, p + TEXT_S.length - 1, b.length, NioLoop.indexOf(b, p, b.length, REF_FIELD) >= 0)) {
                error("unexpected message " + line);
            }
        } else if ("history".equals(type)) {
            joined();
        } else if ("welcome".equals(type)) {
            sendFrame("{\"type\":\"join\",\"room\":\"" + roomName + "\",\"ref\":\"j\"}\n");
        } else if ("error".equals(type)) {
            if (in) {
                error(line);
            } else {
                failedToJoin("server said " + line.strip());
            }
        }
    }
}
