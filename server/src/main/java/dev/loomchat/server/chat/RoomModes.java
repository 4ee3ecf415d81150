package dev.loomchat.server.chat;

import dev.loomchat.protocol.ContentRules;
import dev.loomchat.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A room's topic, operators, voices, invitations and channel modes, as IRC has them: {@code +t}
 * (only operators set the topic), {@code +n} (no messages from outside), {@code +m} (only
 * operators and voiced members speak), {@code +i} (invited clients only), {@code +s} (secret),
 * {@code +k KEY}, {@code +l LIMIT}, {@code +b MASK} (bans, matched against {@code nick!chat@loomchat}).
 * A new room is {@code +nt}, and its first member is its operator.
 *
 * <p>Every node applies the same room events in the same order (the bus's), so every node's
 * copy agrees. Requests are checked here ({@link #check}) on the requester's node, and what
 * passed is published as one canonical change string, which {@link #apply} carries out.
 *
 * <p>Not thread-safe: used under the room's lock.
 */
final class RoomModes {

    /** The flags without argument this server knows. */
    static final String FLAGS = "imnst";
    /** The modes that take an argument (when set; {@code b} lists when given none). */
    static final String WITH_ARGUMENT = "bklov";
    /** The longest topic kept (ISUPPORT TOPICLEN). */
    static final int TOPIC_LENGTH = 390;
    static final int MAX_BANS = 100;

    private String topic = "";
    private String topicBy;
    private long topicTs;
    private final Set<Character> flags = new TreeSet<>(List.of('n', 't'));
    private String key;
    private int limit;
    private final BanList bans = new BanList();
    /** Folded nicks. */
    private final Set<String> ops = new HashSet<>();
    private final Set<String> voiced = new HashSet<>();
    private final Set<String> invited = new HashSet<>();

    String topic() {
        return topic;
    }

    String topicBy() {
        return topicBy;
    }

    long topicTs() {
        return topicTs;
    }

    void topic(String text, String by, long ts) {
        topic = text;
        topicBy = text.isEmpty() ? null : by;
        topicTs = text.isEmpty() ? 0 : ts;
    }

    boolean has(char flag) {
        return flags.contains(flag);
    }

    boolean isOp(String nick) {
        return ops.contains(ContentRules.fold(nick));
    }

    boolean isVoiced(String nick) {
        return voiced.contains(ContentRules.fold(nick));
    }

    /** {@code @} for an operator, {@code +} for a voiced member, both with {@code all} (multi-prefix), or "". */
    String prefix(String nick, boolean all) {
        String op = isOp(nick) ? "@" : "";
        String voice = isVoiced(nick) ? "+" : "";
        return all ? op + voice : op.isEmpty() ? voice : op;
    }

    /** The ban masks, in the order they were set. */
    List<String> bans() {
        return bans.masks();
    }

    /** The modes as {@code +ntk key}: the key shown only {@code withKey} (to members). */
    String describe(boolean withKey) {
        StringBuilder letters = new StringBuilder("+");
        StringBuilder args = new StringBuilder();
        for (char flag : flags) {
            letters.append(flag);
        }
        if (key != null) {
            letters.append('k');
            args.append(' ').append(withKey ? key : "*");
        }
        if (limit > 0) {
            letters.append('l');
            args.append(' ').append(limit);
        }
        return letters.append(args).toString();
    }

    /**
     * Why {@code nick} may not join with {@code givenKey} a room of {@code members} members, or
     * {@code null} if it may. An invitation lets it past the ban, {@code +i} and the limit, not the key.
     */
    ErrorCode refusal(String nick, String givenKey, int members) {
        boolean isInvited = invited.contains(ContentRules.fold(nick));
        if (!isInvited && banned(nick)) {
            return ErrorCode.BANNED;
        }
        if (!isInvited && flags.contains('i')) {
            return ErrorCode.INVITE_ONLY;
        }
        if (key != null && !key.equals(givenKey)) {
            return ErrorCode.BAD_KEY;
        }
        if (!isInvited && limit > 0 && members >= limit) {
            return ErrorCode.ROOM_FULL;
        }
        return null;
    }

    /** Whether a member (or, {@code outsider}, a client not in the room) may speak. */
    boolean maySpeak(String nick, boolean outsider) {
        if (outsider && flags.contains('n')) {
            return false;
        }
        return !flags.contains('m') || isOp(nick) || isVoiced(nick);
    }

    boolean banned(String nick) {
        return bans.matches(nick);
    }

    // ---------------------------------------------------------------- membership

    void joined(String nick, boolean op) {
        String key = ContentRules.fold(nick);
        invited.remove(key);
        if (op) {
            ops.add(key);
        }
    }

    void left(String nick) {
        String key = ContentRules.fold(nick);
        ops.remove(key);
        voiced.remove(key);
    }

    void renamed(String oldNick, String newNick) {
        String oldKey = ContentRules.fold(oldNick);
        String newKey = ContentRules.fold(newNick);
        if (ops.remove(oldKey)) {
            ops.add(newKey);
        }
        if (voiced.remove(oldKey)) {
            voiced.add(newKey);
        }
    }

    void invited(String nick) {
        invited.add(ContentRules.fold(nick));
    }

    // ---------------------------------------------------------------- changes

    /**
     * What a {@code mode} request asks, checked.
     *
     * @param applied   the canonical change to publish ({@code "+o-t bob"}), {@code ""} if none
     * @param errors    what was refused: the error and the letter or nick it concerns
     * @param listBans  the request asked for the ban list ({@code +b} without a mask)
     */
    record Checked(String applied, List<Refused> errors, boolean listBans) {
    }

    /** One refused part of a request. */
    record Refused(ErrorCode code, String subject) {
    }

    /**
     * Checks {@code request} (IRC's syntax: letters, then their arguments, space-separated) by an
     * operator; {@code member} finds a member's nick as the room spells it ({@code null}: not in it).
     * Changes that change nothing are left out, as IRC servers do.
     */
    Checked check(String request, Function<String, String> member) {
        String[] words = request.trim().split(" +");
        String letters = words.length == 0 ? "" : words[0];
        int next = 1;
        boolean adding = true;
        boolean listBans = false;
        List<Refused> errors = new ArrayList<>();
        StringBuilder plus = new StringBuilder();
        StringBuilder minus = new StringBuilder();
        List<String> plusArgs = new ArrayList<>();
        List<String> minusArgs = new ArrayList<>();
        for (char c : letters.toCharArray()) {
            if (c == '+' || c == '-') {
                adding = c == '+';
                continue;
            }
            StringBuilder out = adding ? plus : minus;
            List<String> outArgs = adding ? plusArgs : minusArgs;
            boolean takes = WITH_ARGUMENT.indexOf(c) >= 0 && (adding || c != 'l');
            String arg = takes && next < words.length ? words[next++] : null;
            switch (c) {
                case 'o', 'v' -> {
                    if (arg == null) {
                        continue;
                    }
                    String nick = member.apply(arg);
                    if (nick == null) {
                        errors.add(new Refused(ErrorCode.USER_NOT_IN_ROOM, arg));
                    } else if ((c == 'o' ? isOp(nick) : isVoiced(nick)) != adding) {
                        out.append(c);
                        outArgs.add(nick);
                    }
                }
                case 'b' -> {
                    if (arg == null) {
                        listBans = true;
                    } else if (bans.contains(arg) != adding && (!adding || bans.size() < MAX_BANS)) {
                        out.append(c);
                        outArgs.add(arg);
                    }
                }
                case 'k' -> {
                    if (adding && arg != null && !arg.isEmpty() && !arg.equals(key) && arg.indexOf(',') < 0) {
                        out.append(c);
                        outArgs.add(arg);
                    } else if (!adding && key != null) {
                        out.append(c);
                        outArgs.add("*");
                    }
                }
                case 'l' -> {
                    int value = adding ? parseLimit(arg) : 0;
                    if (adding && value > 0 && value != limit) {
                        out.append(c);
                        outArgs.add(Integer.toString(value));
                    } else if (!adding && limit > 0) {
                        out.append(c);
                    }
                }
                default -> {
                    if (FLAGS.indexOf(c) < 0) {
                        errors.add(new Refused(ErrorCode.UNKNOWN_MODE, String.valueOf(c)));
                    } else if (flags.contains(c) != adding) {
                        out.append(c);
                    }
                }
            }
        }
        StringBuilder applied = new StringBuilder();
        if (!plus.isEmpty()) {
            applied.append('+').append(plus);
        }
        if (!minus.isEmpty()) {
            applied.append('-').append(minus);
        }
        for (String arg : plusArgs) {
            applied.append(' ').append(arg);
        }
        for (String arg : minusArgs) {
            applied.append(' ').append(arg);
        }
        return new Checked(applied.toString(), errors, listBans);
    }

    /** Carries out a change that {@link #check} produced (on every node, in the room's order). */
    void apply(String change) {
        String[] words = change.split(" ");
        int next = 1;
        boolean adding = true;
        for (char c : words[0].toCharArray()) {
            if (c == '+' || c == '-') {
                adding = c == '+';
                continue;
            }
            boolean takes = WITH_ARGUMENT.indexOf(c) >= 0 && (adding || c != 'l');
            String arg = takes && next < words.length ? words[next++] : "";
            switch (c) {
                case 'o' -> toggle(ops, ContentRules.fold(arg), adding);
                case 'v' -> toggle(voiced, ContentRules.fold(arg), adding);
                case 'b' -> bans.set(arg, adding);
                case 'k' -> key = adding ? arg : null;
                case 'l' -> limit = adding ? parseLimit(arg) : 0;
                default -> {
                    if (adding) {
                        flags.add(c);
                    } else {
                        flags.remove(c);
                    }
                }
            }
        }
    }

    private static void toggle(Set<String> set, String key, boolean adding) {
        if (adding) {
            set.add(key);
        } else {
            set.remove(key);
        }
    }

    private static int parseLimit(String arg) {
        if (arg == null) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(arg));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
