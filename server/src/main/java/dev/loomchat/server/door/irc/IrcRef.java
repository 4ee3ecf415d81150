package dev.loomchat.server.door.irc;

/**
 * What the IRC door puts in the {@code ref} of a request it hands the core: the IRC command the
 * request came from and what its answer needs, so that the wire format can turn the core's reply
 * (which carries the ref back, to the requester alone) into the numerics IRC wants. The core's
 * {@code who} answers both {@code NAMES} (353/366) and {@code WHO} (352/315); its
 * {@code nick_in_use} is 433 with the nick asked for; a numeric names its recipient.
 *
 * <p>On the wire of the core, as a string: {@code VERB FLAGS NICK [ARG]}, where FLAGS are the
 * letters of {@link #tags} ({@code t}), {@link #echo} ({@code e}), {@link #quiet} ({@code q}),
 * {@link #batch} ({@code b}), {@link #multiPrefix} ({@code m}), or {@code -}; ARG, the rest, may hold spaces.
 *
 * @param verb  the IRC command ({@code JOIN}, {@code NAMES}, …)
 * @param nick  the requester's nick, or {@code *} before registration: the first parameter of numerics
 * @param tags  the client takes message tags
 * @param echo  the client negotiated {@code echo-message}: its own messages come back to it
 * @param quiet errors get no reply ({@code NOTICE}: RFC 2812 forbids automatic replies)
 * @param batch the client negotiated {@code batch}: a replay comes as a {@code chathistory} batch
 * @param multiPrefix the client negotiated {@code multi-prefix}: NAMES and WHO show {@code @+}, not only the highest
 * @param arg   the request's argument the reply needs (a channel, a nick, a ping token), or {@code ""}
 */
record IrcRef(String verb, String nick, boolean tags, boolean echo, boolean quiet, boolean batch, boolean multiPrefix,
              String arg) {

    IrcRef(String verb, String nick, boolean tags, boolean echo, boolean quiet, boolean batch, String arg) {
        this(verb, nick, tags, echo, quiet, batch, false, arg);
    }

    /** The ref string the core carries. */
    String encode() {
        StringBuilder flags = new StringBuilder(4);
        if (tags) {
            flags.append('t');
        }
        if (echo) {
            flags.append('e');
        }
        if (quiet) {
            flags.append('q');
        }
        if (batch) {
            flags.append('b');
        }
        if (multiPrefix) {
            flags.append('m');
        }
        return verb + ' ' + (flags.isEmpty() ? "-" : flags) + ' ' + nick + ' ' + arg;
    }

    /** The ref of a core reply, or {@code null} for an event that answers no request of this door (fan-out). */
    static IrcRef decode(String ref) {
        if (ref == null) {
            return null;
        }
        String[] parts = ref.split(" ", 4);
        if (parts.length < 3) {
            return null;
        }
        String flags = parts[1];
        return new IrcRef(parts[0], parts[2], flags.indexOf('t') >= 0, flags.indexOf('e') >= 0,
                flags.indexOf('q') >= 0, flags.indexOf('b') >= 0, flags.indexOf('m') >= 0, parts.length > 3 ? parts[3] : "");
    }

    /** This ref for another verb and argument. */
    IrcRef with(String otherVerb, String otherArg) {
        return new IrcRef(otherVerb, nick, tags, echo, quiet, batch, multiPrefix, otherArg);
    }
}
