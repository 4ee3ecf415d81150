package dev.loomchat.client;

import java.util.Objects;

/**
 * One line the user typed, parsed: a slash command or plain text. {@link CommandParser} makes
 * them; {@link ChatClient} carries them out. Room names are already normalised (a missing
 * {@code #} added); an absent optional room means "the current room".
 */
sealed interface Command {

    /** Plain text for the current room; a line starting with {@code //} is text starting with {@code /}. */
    record Say(String text) implements Command {
        public Say {
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code /me TEXT}: an action in the current room, sent as a say whose text starts with {@code "/me "}. */
    record Me(String text) implements Command {
        public Me {
            Objects.requireNonNull(text, "text");
        }
    }

    /** {@code /nick NICK}. */
    record Nick(String nick) implements Command {
    }

    /** {@code /join ROOM}. */
    record Join(String room) implements Command {
    }

    /** {@code /part [ROOM]}; {@code room} is null for the current room. */
    record Part(String room) implements Command {
    }

    /** {@code /msg NICK TEXT}. */
    record Msg(String nick, String text) implements Command {
    }

    /** {@code /who [ROOM]}; {@code room} is null for the current room. */
    record Who(String room) implements Command {
    }

    /** {@code /rooms}. */
    record Rooms() implements Command {
    }

    /** {@code /history [ROOM] [N]}; null room = current room, null limit = all the server keeps. */
    record History(String room, Integer limit) implements Command {
    }

    /** {@code /switch ROOM}: make a joined room the current one (local, nothing is sent). */
    record Switch(String room) implements Command {
    }

    /** {@code /kill NICK [reason]}: a server operator disconnects a client. */
    record Kill(String nick, String reason) implements Command {
    }

    /**
     * {@code /ban TARGET [DURATION] [reason]}: a server operator bans an account or, when
     * {@code target} looks like an IP address or network, an address; {@code seconds} null: until lifted.
     */
    record Ban(String target, Long seconds, String reason) implements Command {
        boolean address() {
            return target.indexOf('.') >= 0 || target.indexOf(':') >= 0;
        }
    }

    /** {@code /unban TARGET}: lifts the ban on an account or an address. */
    record Unban(String target) implements Command {
        boolean address() {
            return target.indexOf('.') >= 0 || target.indexOf(':') >= 0;
        }
    }

    /** {@code /bans}: lists the server's bans. */
    record Bans() implements Command {
    }

    /**
     * {@code /register PASSWORD}: register the current nick as an account (and log in to it).
     * {@code password} null: none typed, ask for it (interactive mode only). Never printed:
     * {@link #toString()} hides it.
     */
    record Register(String password) implements Command {
        @Override
        public String toString() {
            return "Register[password=" + hidden(password) + "]";
        }
    }

    /** {@code /password OLD NEW}: change the account's password; nulls: ask for them (interactive mode only). */
    record Password(String oldPassword, String newPassword) implements Command {
        @Override
        public String toString() {
            return "Password[oldPassword=" + hidden(oldPassword) + ", newPassword=" + hidden(newPassword) + "]";
        }
    }

    /** {@code /unregister PASSWORD}: delete the account logged in to; null: ask for it (interactive mode only). */
    record Unregister(String password) implements Command {
        @Override
        public String toString() {
            return "Unregister[password=" + hidden(password) + "]";
        }
    }

    /** How a password shows in a {@code toString}: never itself. */
    private static String hidden(String password) {
        return password == null ? "(to ask)" : "***";
    }

    /** {@code /quit}. */
    record Quit() implements Command {
    }

    /** {@code /help}. */
    record Help() implements Command {
    }

    /** A blank line: nothing to do. */
    record Empty() implements Command {
    }

    /**
     * A line that is not a valid command.
     *
     * @param code    {@code unknown_command}, {@code usage}, {@code bad_nick} or {@code bad_room}
     * @param message one line for the user; for {@code usage} the usage line ({@code /join #room})
     */
    record Invalid(String code, String message) implements Command {
        static final String UNKNOWN_COMMAND = "unknown_command";
        static final String USAGE = "usage";
        /** The same codes the server would answer with. */
        static final String BAD_NICK = "bad_nick";
        static final String BAD_ROOM = "bad_room";
    }
}
