package dev.loomchat.client;

/** Something the client itself has to tell the user (not a server frame). */
sealed interface Notice {

    /**
     * A request that could not be made or was not answered. Codes: {@code unknown_command},
     * {@code usage} (the message is the usage line), {@code bad_nick}, {@code bad_room} (a
     * {@code /nick} or {@code /join} that breaks the name rules), {@code no_room} (no current room), {@code not_in_room} ({@code /switch} to a
     * room not joined), {@code not_connected}, {@code not_acknowledged} (the connection dropped
     * before the reply), {@code timeout}, {@code bad_frame} (the server sent a line the client
     * could not read).
     */
    record Error(String code, String message) implements Notice {
        static final String NO_ROOM = "no_room";
        static final String NOT_IN_ROOM = "not_in_room";
        static final String NOT_CONNECTED = "not_connected";
        static final String NOT_ACKNOWLEDGED = "not_acknowledged";
        static final String TIMEOUT = "timeout";
        static final String BAD_FRAME = "bad_frame";
    }

    /** Free text, e.g. a line of {@code /help}. */
    record Info(String text) implements Notice {
    }

    /** The connection dropped; {@code reconnecting} says whether the client tries again. */
    record ConnectionLost(String reason, boolean reconnecting) implements Notice {
    }

    /**
     * A new connection is welcomed, as {@code nick}; the rooms are re-joined next.
     *
     * @param nick   the nick the server welcomed
     * @param server the address connected to
     * @param wanted the session's nick before the drop: differs from {@code nick} when it was
     *               still taken after {@link ClientConfig#keepNickFor()}
     */
    record Reconnected(String nick, String server, String wanted) implements Notice {
    }

    /**
     * While reconnecting, {@code nick} is still taken (most likely by the session just lost, which
     * the server has not seen go yet); the client keeps trying it for {@code keepTrying} after the
     * drop. Said once per reconnect.
     */
    record NickTaken(String nick, java.time.Duration keepTrying) implements Notice {
    }

    /** {@code /switch} made {@code room} the current room. */
    record Switched(String room) implements Notice {
    }
}
