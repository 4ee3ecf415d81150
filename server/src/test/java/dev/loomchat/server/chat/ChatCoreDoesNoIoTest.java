package dev.loomchat.server.chat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The chat core does no I/O and knows no wire format: its sources import only the JDK's
 * collections, time and concurrency, slf4j, the protocol's message records and rules, the bus
 * SPI and {@code ChatConfig}; and name no I/O, socket or JSON type anywhere in their code.
 */
class ChatCoreDoesNoIoTest {

    private static final Path CORE = Path.of("src/main/java/dev/loomchat/server/chat");

    /** What the core may import (a prefix ending in '.' admits a package and its sub-packages). */
    private static final List<String> ALLOWED = List.of(
            "java.util.", "java.time.", "java.security.MessageDigest", "java.nio.charset.StandardCharsets",
            "org.slf4j.",
            "dev.loomchat.protocol.ClientMessage", "dev.loomchat.protocol.ServerMessage",
            "dev.loomchat.protocol.ContentRules", "dev.loomchat.protocol.Decoded", "dev.loomchat.protocol.ErrorCode",
            "dev.loomchat.protocol.Limits", "dev.loomchat.protocol.Protocol", "dev.loomchat.protocol.ProtocolError",
            "dev.loomchat.protocol.RoomInfo", "dev.loomchat.protocol.ErrorText", "dev.loomchat.protocol.BanInfo",
            "dev.loomchat.server.ChatConfig", "dev.loomchat.server.bus.BusUnavailableException",
            "dev.loomchat.server.bus.RoomBus", "dev.loomchat.server.bus.RoomEvent",
            "dev.loomchat.server.chat.");

    /** Names that must not appear in the core's code, imported or not. */
    private static final Pattern FORBIDDEN = Pattern.compile(
            "\\b(java\\.io|java\\.nio\\.channels|java\\.net|javax\\.net|com\\.fasterxml|io\\.lettuce|picocli"
                    + "|dev\\.loomchat\\.socketserver|dev\\.loomchat\\.server\\.door|dev\\.loomchat\\.server\\.bus\\.redis"
                    + "|dev\\.loomchat\\.protocol\\.(Frame|FrameWriter|Codec|Json|MessageReader|LineReader|LineSink|Line))\\b");

    private static final Pattern IMPORT = Pattern.compile("^import\\s+(static\\s+)?([\\w.]+(\\.\\*)?)\\s*;",
            Pattern.MULTILINE);
    private static final Pattern COMMENT = Pattern.compile("/\\*.*?\\*/|//[^\\n]*", Pattern.DOTALL);

    @Test
    void theCoreImportsNothingButCollectionsLoggingMessagesAndTheBusSpi() throws IOException {
        List<String> problems = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> files = Files.list(CORE)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        assertTrue(sources.size() > 5, "the core's sources are found: " + sources);
        for (Path source : sources) {
            problems.addAll(problems(source.getFileName().toString(), Files.readString(source)));
        }
        assertEquals(List.of(), problems);
    }

    @Test
    void theCheckFindsAnIoImportAFullyQualifiedSocketAndAJsonFrame() {
        String code = """
                package dev.loomchat.server.chat;
                import java.io.OutputStream;
                import dev.loomchat.protocol.Frame;
                import java.util.List; // java.io in a comment is fine
                /** Javadoc may say java.nio.channels.SocketChannel. */
                class Bad {
                    java.nio.channels.SocketChannel channel;
                }
                """;

        List<String> problems = problems("Bad.java", code);

        assertEquals(List.of("Bad.java: import java.io.OutputStream", "Bad.java: import dev.loomchat.protocol.Frame",
                "Bad.java: uses java.nio.channels"), problems);
        assertFalse(problems("Good.java", "import java.util.List;\nclass Good { /* java.io */ }\n").iterator().hasNext());
    }

    static List<String> problems(String file, String source) {
        List<String> problems = new ArrayList<>();
        String code = COMMENT.matcher(source).replaceAll(" ");
        Matcher imports = IMPORT.matcher(code);
        while (imports.find()) {
            String name = imports.group(2);
            if (name.endsWith(".*") || ALLOWED.stream().noneMatch(name::startsWith)) {
                problems.add(file + ": import " + name);
            }
        }
        String body = IMPORT.matcher(code).replaceAll(" ");
        Matcher forbidden = FORBIDDEN.matcher(body);
        while (forbidden.find()) {
            problems.add(file + ": uses " + forbidden.group(1));
        }
        return problems;
    }
}
