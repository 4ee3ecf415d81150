package dev.loomchat.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CommandParserTest {

    private static Command parse(String line) {
        return CommandParser.parse(line);
    }

    private static void assertUsage(String line, String usage) {
        var invalid = assertInstanceOf(Command.Invalid.class, parse(line), line);
        assertEquals(Command.Invalid.USAGE, invalid.code());
        assertEquals(usage, invalid.message());
    }

    @Test
    void plainTextIsSaidAsTyped() {
        assertEquals(new Command.Say("hello there"), parse("hello there"));
        assertEquals(new Command.Say("  indented, trailing  "), parse("  indented, trailing  "));
        assertEquals(new Command.Say("crlf"), parse("crlf\r\n"));
        assertEquals(new Command.Say("don't \\ \"quote"), parse("don't \\ \"quote"));
    }

    @Test
    void doubleSlashEscapesASlash() {
        assertEquals(new Command.Say("/shrug"), parse("//shrug"));
        assertEquals(new Command.Say("/"), parse("//"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t", "\r\n"})
    void blankLinesAreEmpty(String line) {
        assertEquals(new Command.Empty(), parse(line));
    }

    @Test
    void join() {
        assertEquals(new Command.Join("#general"), parse("/join #general"));
        assertEquals(new Command.Join("#general"), parse("/join general"));
        assertEquals(new Command.Join("#a"), parse("/JOIN   #a  "));
        assertUsage("/join", "/join #room");
        assertUsage("/join #a #b", "/join #room");
        var bad = assertInstanceOf(Command.Invalid.class, parse("/join #caf\u00e9"));
        assertEquals(Command.Invalid.BAD_ROOM, bad.code());
        assertEquals("invalid room '#caf\u00e9': # and 1-49 of A-Z a-z 0-9 _ - .", bad.message());
    }

    @Test
    void part() {
        assertEquals(new Command.Part(null), parse("/part"));
        assertEquals(new Command.Part("#a"), parse("/part a"));
        assertEquals(new Command.Part("#a"), parse("/leave #a"));
        assertUsage("/part #a #b", "/part [#room]");
    }

    @Test
    void switchRoom() {
        assertEquals(new Command.Switch("#a"), parse("/switch #a"));
        assertEquals(new Command.Switch("#a"), parse("/switch a"));
        assertUsage("/switch", "/switch #room");
    }

    @Test
    void msg() {
        assertEquals(new Command.Msg("bob", "psst, over here"), parse("/msg bob psst, over here"));
        assertEquals(new Command.Msg("bob", "hi"), parse("/query bob   hi"));
        assertUsage("/msg", "/msg nick text");
        assertUsage("/msg bob", "/msg nick text");
        assertUsage("/msg bob   ", "/msg nick text");
    }

    @Test
    void me() {
        assertEquals(new Command.Me("waves at everyone"), parse("/me waves at everyone"));
        assertUsage("/me", "/me text");
    }

    @Test
    void nick() {
        assertEquals(new Command.Nick("alice_"), parse("/nick alice_"));
        assertUsage("/nick", "/nick nick");
    }

    @Test
    void aBadNickSaysWhatIsWrongAsTheCommandLineDoes() {
        for (String nick : List.of("bad nick", "9lives", "-x", "x".repeat(33), "caf\u00e9")) {
            var invalid = assertInstanceOf(Command.Invalid.class, parse("/nick " + nick), nick);
            assertEquals(Command.Invalid.BAD_NICK, invalid.code());
            assertEquals("invalid nick '" + nick + "': 1-32 of A-Z a-z 0-9 _ - [ ] \\ ^ { } | `, not starting with a digit or -",
                    invalid.message());
        }
    }

    @Test
    void who() {
        assertEquals(new Command.Who(null), parse("/who"));
        assertEquals(new Command.Who("#a"), parse("/who #a"));
        assertEquals(new Command.Who("#a"), parse("/names a"));
        assertUsage("/who #a #b", "/who [#room]");
    }

    @Test
    void rooms() {
        assertEquals(new Command.Rooms(), parse("/rooms"));
        assertEquals(new Command.Rooms(), parse("/list"));
        assertUsage("/rooms x", "/rooms");
    }

    @Test
    void history() {
        assertEquals(new Command.History(null, null), parse("/history"));
        assertEquals(new Command.History(null, 20), parse("/history 20"));
        assertEquals(new Command.History("#a", null), parse("/history #a"));
        assertEquals(new Command.History("#a", 5), parse("/history #a 5"));
        assertUsage("/history 0", "/history [#room] [n]");
        assertUsage("/history -3", "/history [#room] [n]");
        assertUsage("/history 5 #a", "/history [#room] [n]");
        assertUsage("/history 5 6", "/history [#room] [n]");
        assertUsage("/history 99999999999", "/history [#room] [n]");
    }

    @Test
    void quitAndHelp() {
        assertEquals(new Command.Quit(), parse("/quit"));
        assertEquals(new Command.Quit(), parse("/exit"));
        assertEquals(new Command.Help(), parse("/help"));
    }

    @Test
    void unknownCommandSaysSoInOneLine() {
        var invalid = assertInstanceOf(Command.Invalid.class, parse("/frobnicate now"));
        assertEquals(Command.Invalid.UNKNOWN_COMMAND, invalid.code());
        assertEquals("unknown command /frobnicate (try /help)", invalid.message());
        assertInstanceOf(Command.Invalid.class, parse("/"));
    }

    @Test
    void everyListedCommandParses() {
        for (var spec : CommandParser.COMMANDS) {
            String line = spec.name() + switch (spec.name()) {
                case "/join", "/switch" -> " #x";
                case "/msg" -> " bob hi";
                case "/me" -> " waves";
                case "/nick" -> " n";
                case "/kill", "/ban", "/unban" -> " bob";
                default -> "";
            };
            var command = parse(line);
            assertEquals(false, command instanceof Command.Invalid, line + " -> " + command);
        }
    }

    @Test
    void operatorCommandsNameAnAccountOrAnAddressWithAnOptionalDurationAndReason() {
        assertEquals(new Command.Kill("bob", "spamming the room"), parse("/kill bob spamming the room"));
        assertEquals(new Command.Kill("bob", null), parse("/kill bob"));
        assertEquals(new Command.Ban("bob", 7200L, "flooding"), parse("/ban bob 2h flooding"));
        assertEquals(new Command.Ban("203.0.113.0/24", null, "spam bots"), parse("/ban 203.0.113.0/24 spam bots"));
        assertEquals(true, ((Command.Ban) parse("/ban 2001:db8::/32 1d")).address());
        assertEquals(new Command.Unban("bob"), parse("/unban bob"));
        assertEquals(new Command.Bans(), parse("/bans"));
        for (String usage : List.of("/kill", "/ban", "/unban", "/unban a b", "/bans x")) {
            assertEquals(Command.Invalid.USAGE, ((Command.Invalid) parse(usage)).code(), usage);
        }
    }

    @Test
    void accountCommandsTakeWordsOrQuotedPhrasesAsPasswords() {
        assertEquals(new Command.Register("s3cretpass"), parse("/register s3cretpass"));
        assertEquals(new Command.Register("correct horse battery"), parse("/REGISTER \"correct horse battery\""));
        assertEquals(new Command.Register("say \"hi\" \\o/"), parse("/register \"say \\\"hi\\\" \\\\o/\""));
        assertEquals(new Command.Password("old words here", "newpassword"),
                parse("/password \"old words here\"   newpassword"));
        assertEquals(new Command.Unregister("s3cretpass"), parse("/unregister s3cretpass"));
        // None typed: to be asked for (interactive mode).
        assertEquals(new Command.Register(null), parse("/register"));
        assertEquals(new Command.Password(null, null), parse("/password"));
        assertEquals(new Command.Unregister(null), parse("/unregister "));
        assertUsage("/register correct horse battery", "/register password");
        assertUsage("/register \"unterminated", "/register password");
        assertUsage("/register \"glued\"on", "/register password");
        assertUsage("/password onlyone", "/password old new");
        assertUsage("/password a b c", "/password old new");
    }

    @Test
    void aPasswordNeverShowsInACommandsTextAndItsLineIsSecretPastTheCommandWord() {
        for (Command command : List.of(parse("/register s3cretpass"), parse("/password s3cretpass n3wpassword"),
                parse("/unregister s3cretpass"))) {
            assertFalse(command.toString().contains("s3cretpass") || command.toString().contains("n3wpassword"),
                    command.toString());
        }
        assertEquals("/register ".length(), CommandParser.visiblePrefix("/register s3cret"));
        assertEquals("  /Password  ".length(), CommandParser.visiblePrefix("  /Password  old new"));
        assertEquals("/register".length(), CommandParser.visiblePrefix("/register"));
        assertEquals("/msg bob hi".length(), CommandParser.visiblePrefix("/msg bob hi"));
        assertTrue(CommandParser.carriesPassword("/unregister \"half typed"));
        assertTrue(CommandParser.carriesPassword("/register"));
        assertFalse(CommandParser.carriesPassword("registering is easy"));
        assertFalse(CommandParser.carriesPassword("/msg bob /register"));
    }
}
