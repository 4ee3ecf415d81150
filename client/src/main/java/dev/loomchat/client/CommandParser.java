package dev.loomchat.client;

import java.util.List;
import java.util.Locale;

/**
 * Parses one input line into a {@link Command}. Pure and thread-safe.
 *
 * <p>Rules: a line starting with {@code /} is a command (the command word is case-insensitive);
 * {@code //} at the start escapes a slash, so {@code //shrug} says {@code "/shrug"}; a blank line
 * is {@link Command.Empty}; anything else is text for the current room, sent as typed. Room
 * arguments get a leading {@code #} if they lack one ({@code /join java} joins {@code #java}).
 * The nick of {@code /nick} and the room of {@code /join} are checked against the content rules
 * ({@link NameRules}), so that a mistake is explained before anything is sent; the server enforces
 * the rest (text length, the rooms of other commands).
 *
 * <p>Account passwords ({@code /register}, {@code /password}, {@code /unregister}) are words or
 * {@code "quoted phrases"}; given none, the command asks for them (interactive mode). Such a
 * line is secret past its command word ({@link #visiblePrefix}).
 *
 * <p>Errors: {@code unknown_command}, {@code usage} (the message is the usage line, e.g.
 * {@code /join #room}), {@code bad_nick}, {@code bad_room} (the message says what is wrong).
 */
final class CommandParser {

    /** One command for {@code /help} and completion. */
    record Spec(String name, String args, String description) {
        String usage() {
            return args.isEmpty() ? name : name + " " + args;
        }
    }

    /** Every command, in the order {@code /help} lists them. */
    static final List<Spec> COMMANDS = List.of(
            new Spec("/join", "#room", "join a room (and make it the current room)"),
            new Spec("/part", "[#room]", "leave a room (default: the current room)"),
            new Spec("/switch", "#room", "make a joined room the current room"),
            new Spec("/msg", "nick text", "send a private message"),
            new Spec("/me", "text", "an action in the current room (shown as * nick text)"),
            new Spec("/nick", "nick", "change your nick"),
            new Spec("/who", "[#room]", "list the members of a room (default: the current room)"),
            new Spec("/rooms", "", "list the rooms on the server"),
            new Spec("/history", "[#room] [n]", "replay the last n messages of a room; again: the n before those"),
            new Spec("/kill", "nick [reason]", "server operators: disconnect a client"),
            new Spec("/ban", "account|ip[/bits] [duration] [reason]",
                    "server operators: ban an account or an address, for a duration (90s, 30m, 2h, 1d) or until lifted"),
            new Spec("/unban", "account|ip[/bits]", "server operators: lift a ban"),
            new Spec("/bans", "", "server operators: list the bans"),
            new Spec("/register", "password", "register your nick as an account, with this password"),
            new Spec("/password", "old new", "change your account's password"),
            new Spec("/unregister", "password", "delete your account (your nick is then anyone's)"),
            new Spec("/help", "", "this list"),
            new Spec("/quit", "", "leave"));

    private CommandParser() {
    }

    static Command parse(String line) {
        String text = stripNewline(line);
        if (text.isBlank()) {
            return new Command.Empty();
        }
        if (!text.startsWith("/")) {
            return new Command.Say(text);
        }
        if (text.startsWith("//")) {
            return new Command.Say(text.substring(1));
        }
        String trimmed = text.strip();
        int space = indexOfWhitespace(trimmed);
        String word = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
        String rest = space < 0 ? "" : trimmed.substring(space + 1).strip();
        return switch (word) {
            case "/join" -> oneWord(rest, "/join").map(CommandParser::join);
            case "/part", "/leave" -> optionalWord(rest, "/part")
                    .map(room -> (Command) new Command.Part(room == null ? null : room(room)));
            case "/switch" -> oneWord(rest, "/switch")
                    .map(room -> (Command) new Command.Switch(room(room)));
            case "/nick" -> rest.isEmpty() ? usage("/nick") : nick(rest);
            case "/who", "/names" -> optionalWord(rest, "/who")
                    .map(room -> (Command) new Command.Who(room == null ? null : room(room)));
            case "/rooms", "/list" -> rest.isEmpty() ? new Command.Rooms() : usage("/rooms");
            case "/help" -> new Command.Help();
            case "/quit", "/exit" -> new Command.Quit();
            case "/me" -> rest.isEmpty() ? usage("/me") : new Command.Me(rest);
            case "/msg", "/query" -> msg(rest);
            case "/history" -> history(rest);
            case "/kill" -> kill(rest);
            case "/ban" -> ban(rest);
            case "/unban" -> oneWord(rest, "/unban").map(target -> (Command) new Command.Unban(target));
            case "/bans" -> rest.isEmpty() ? new Command.Bans() : usage("/bans");
            case "/register" -> passwords(rest, 1, "/register").map(p -> new Command.Register(p.getFirst()));
            case "/password" -> passwords(rest, 2, "/password").map(p -> new Command.Password(p.get(0), p.get(1)));
            case "/unregister" -> passwords(rest, 1, "/unregister").map(p -> new Command.Unregister(p.getFirst()));
            default -> new Command.Invalid(Command.Invalid.UNKNOWN_COMMAND,
                    "unknown command " + word + " (try /help)");
        };
    }

    /** The usage line of {@code name}, e.g. {@code "/msg nick text"}. */
    static String usageOf(String name) {
        for (Spec spec : COMMANDS) {
            if (spec.name().equals(name)) {
                return spec.usage();
            }
        }
        throw new IllegalArgumentException(name);
    }

    /** {@code name} with a leading {@code #} if it had none. */
    static String room(String name) {
        return name.startsWith("#") ? name : "#" + name;
    }

    private static Command nick(String nick) {
        String error = NameRules.nickError(nick);
        return error == null ? new Command.Nick(nick) : new Command.Invalid(Command.Invalid.BAD_NICK, error);
    }

    private static Command join(String name) {
        String room = room(name);
        String error = NameRules.roomError(room);
        return error == null ? new Command.Join(room) : new Command.Invalid(Command.Invalid.BAD_ROOM, error);
    }

    private static Command msg(String rest) {
        int space = indexOfWhitespace(rest);
        if (space < 0) {
            return usage("/msg");
        }
        String text = rest.substring(space + 1).strip();
        return text.isEmpty() ? usage("/msg") : new Command.Msg(rest.substring(0, space), text);
    }

    private static Command history(String rest) {
        String room = null;
        Integer limit = null;
        for (String arg : rest.isEmpty() ? new String[0] : rest.split("\\s+")) {
            if (arg.matches("\\d{1,9}") && limit == null) {
                limit = Integer.parseInt(arg);
                if (limit < 1) {
                    return usage("/history");
                }
            } else if (room == null && limit == null && !arg.matches("-?\\d+")) {
                room = room(arg);
            } else {
                return usage("/history");
            }
        }
        return new Command.History(room, limit);
    }

    private static Command kill(String rest) {
        if (rest.isEmpty()) {
            return usage("/kill");
        }
        int space = indexOfWhitespace(rest);
        return space < 0 ? new Command.Kill(rest, null)
                : new Command.Kill(rest.substring(0, space), rest.substring(space + 1).strip());
    }

    /** {@code /ban TARGET [DURATION] [reason]}: a second word like 90s, 30m, 2h, 1d or 1w is the duration. */
    private static Command ban(String rest) {
        if (rest.isEmpty()) {
            return usage("/ban");
        }
        String[] words = rest.split("\\s+", 3);
        Long seconds = words.length > 1 ? seconds(words[1]) : null;
        int reasonFrom = seconds == null ? 1 : 2;
        String reason = words.length > reasonFrom
                ? String.join(" ", java.util.Arrays.asList(words).subList(reasonFrom, words.length)) : null;
        return new Command.Ban(words[0], seconds, reason);
    }

    /** Seconds of {@code 90s}, {@code 30m}, {@code 2h}, {@code 1d}, {@code 1w}, or {@code null} if it is not one. */
    static Long seconds(String word) {
        var matcher = java.util.regex.Pattern.compile("(\\d{1,7})([smhdw])").matcher(word.toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            return null;
        }
        long unit = switch (matcher.group(2)) {
            case "s" -> 1;
            case "m" -> 60;
            case "h" -> 3600;
            case "d" -> 86_400;
            default -> 7 * 86_400;
        };
        return Long.parseLong(matcher.group(1)) * unit;
    }

    /** The commands that carry account passwords: their lines are masked, kept out of the history, never echoed. */
    static final List<String> PASSWORD_COMMANDS = List.of("/register", "/password", "/unregister");

    /**
     * The length of the part of {@code line} that is not secret: the whole line, unless it is a
     * password command, then its command word and the whitespace after it (the rest is
     * passwords). Works on a line still being typed.
     */
    static int visiblePrefix(String line) {
        int start = 0;
        while (start < line.length() && Character.isWhitespace(line.charAt(start))) {
            start++;
        }
        int end = start;
        while (end < line.length() && !Character.isWhitespace(line.charAt(end))) {
            end++;
        }
        String word = line.substring(start, end).toLowerCase(Locale.ROOT);
        if (end == line.length() || !PASSWORD_COMMANDS.contains(word)) {
            return line.length();
        }
        while (end < line.length() && Character.isWhitespace(line.charAt(end))) {
            end++;
        }
        return end;
    }

    /** Whether {@code line} is a password command (with or without its passwords). */
    static boolean carriesPassword(String line) {
        Command command = parse(line);
        return command instanceof Command.Register || command instanceof Command.Password
                || command instanceof Command.Unregister
                || visiblePrefix(line) < line.length();
    }

    /**
     * Exactly {@code count} passwords, or none at all (a list of nulls: to be asked for), or a
     * usage error. A password is a word, or a {@code "quoted phrase"} for one with spaces
     * ({@code \"} and {@code \\} inside quotes stand for {@code "} and {@code \}).
     */
    private static ParsedList passwords(String rest, int count, String name) {
        if (rest.isEmpty()) {
            return new ParsedList(java.util.Collections.nCopies(count, null), null);
        }
        List<String> words = new java.util.ArrayList<>();
        int i = 0;
        while (i < rest.length()) {
            if (Character.isWhitespace(rest.charAt(i))) {
                i++;
                continue;
            }
            StringBuilder word = new StringBuilder();
            if (rest.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < rest.length()) {
                    char c = rest.charAt(i++);
                    if (c == '\\' && i < rest.length() && (rest.charAt(i) == '"' || rest.charAt(i) == '\\')) {
                        word.append(rest.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        word.append(c);
                    }
                }
                if (!closed || i < rest.length() && !Character.isWhitespace(rest.charAt(i))) {
                    return new ParsedList(null, usage(name));
                }
            } else {
                while (i < rest.length() && !Character.isWhitespace(rest.charAt(i))) {
                    word.append(rest.charAt(i++));
                }
            }
            words.add(word.toString());
        }
        return words.size() == count ? new ParsedList(words, null) : new ParsedList(null, usage(name));
    }

    /** Exactly one word, or a usage error. */
    private static Parsed oneWord(String rest, String name) {
        if (rest.isEmpty() || indexOfWhitespace(rest) >= 0) {
            return new Parsed(null, usage(name));
        }
        return new Parsed(rest, null);
    }

    /** Zero or one word (null when absent), or a usage error. */
    private static Parsed optionalWord(String rest, String name) {
        if (indexOfWhitespace(rest) >= 0) {
            return new Parsed(null, usage(name));
        }
        return new Parsed(rest.isEmpty() ? null : rest, null);
    }

    private static Command.Invalid usage(String name) {
        return new Command.Invalid(Command.Invalid.USAGE, usageOf(name));
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String stripNewline(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\n' || line.charAt(end - 1) == '\r')) {
            end--;
        }
        return line.substring(0, end);
    }

    /** Some words or a usage error; {@link #map} builds the command from the words. */
    private record ParsedList(List<String> words, Command.Invalid error) {
        Command map(java.util.function.Function<List<String>, Command> build) {
            return error != null ? error : build.apply(words);
        }
    }

    /** A word or a usage error; {@link #map} builds the command from the word. */
    private record Parsed(String word, Command.Invalid error) {
        Command map(java.util.function.Function<String, Command> build) {
            return error != null ? error : build.apply(word);
        }
    }
}
