package dev.loomchat.socketserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * Source-level guard: no {@code synchronized} (block or method) in the main sources of
 * {@code dev.loomchat.socketserver} and its sub-packages.
 *
 * <p>Why: the project targets Java 21, and on JDK 21-23 a virtual thread that blocks (socket I/O,
 * a lock, a wait) inside {@code synchronized} pins its carrier thread; with few carriers that
 * stalls every other virtual thread. From JDK 24 on (JEP 491) it no longer pins, so the JFR check
 * in {@link VirtualThreadPinningTest}, run on the JDK 25 here, cannot see it: this test keeps the
 * rule (use {@code java.util.concurrent.locks}) whatever JDK runs the tests. Comments
 * and string literals are ignored, so prose may still mention the keyword.
 */
class NoSynchronizedInSocketServerTest {

    private static final Pattern KEYWORD = Pattern.compile("\\bsynchronized\\b");

    static Path sourceDirectory() {
        for (String candidate : new String[] {"src/main/java/dev/loomchat/socketserver",
                "socketserver/src/main/java/dev/loomchat/socketserver"}) {
            Path dir = Path.of(candidate);
            if (Files.isDirectory(dir)) {
                return dir;
            }
        }
        throw new AssertionError("main sources of dev.loomchat.socketserver not found from " + Path.of("").toAbsolutePath());
    }

    @Test
    void socketServerSourcesUseNoSynchronized() throws IOException {
        List<String> offences = new ArrayList<>();
        int files = 0;
        Path root = sourceDirectory();
        try (Stream<Path> sources = Files.walk(root)) {
            for (Path source : sources.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
                files++;
                String code = codeOnly(Files.readString(source));
                Matcher m = KEYWORD.matcher(code);
                while (m.find()) {
                    offences.add(root.relativize(source) + ":" + lineOf(code, m.start()));
                }
            }
        }
        assertTrue(files >= 40, "scanned the package's sources, fork/ included (" + files + " files)");
        assertEquals(List.of(), offences, "synchronized pins virtual threads on JDK 21-23: use java.util.concurrent.locks");
    }

    @Test
    void theScannerFindsTheKeywordInCodeOnly() {
        assertTrue(KEYWORD.matcher(codeOnly("class A { synchronized void f() {} }")).find());
        assertTrue(KEYWORD.matcher(codeOnly("void f() { synchronized (this) { } }")).find());
        assertTrue(KEYWORD.matcher(codeOnly("/* a */ synchronized (lock) {} // b")).find());
        assertTrue(!KEYWORD.matcher(codeOnly("// synchronized would pin\nclass A {}")).find());
        assertTrue(!KEYWORD.matcher(codeOnly("/** no synchronized here */ class A {}")).find());
        assertTrue(!KEYWORD.matcher(codeOnly("String s = \"synchronized\"; char c = '\"';")).find());
        assertTrue(!KEYWORD.matcher(codeOnly("String s = \"\"\"\n  synchronized\n  \"\"\";")).find());
        assertTrue(!KEYWORD.matcher(codeOnly("int unsynchronizedCount;")).find());
        assertEquals(3, lineOf("a\nb\nc", 4));
    }

    private static int lineOf(String text, int index) {
        int line = 1;
        for (int i = 0; i < index; i++) {
            if (text.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The source with comments and string/char literals blanked out; line breaks are kept. */
    static String codeOnly(String source) {
        StringBuilder code = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                while (i < n && source.charAt(i) != '\n') {
                    i++;
                }
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                blank(source, i, end, code);
                i = end;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                end = end < 0 ? n : end + 3;
                blank(source, i, end, code);
                i = end;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && source.charAt(j) != c && source.charAt(j) != '\n') {
                    j += source.charAt(j) == '\\' ? 2 : 1;
                }
                int end = Math.min(n, j + 1);
                blank(source, i, end, code);
                i = end;
            } else {
                code.append(c);
                i++;
            }
        }
        return code.toString();
    }

    private static void blank(String source, int from, int to, StringBuilder code) {
        for (int k = from; k < to; k++) {
            code.append(source.charAt(k) == '\n' ? '\n' : ' ');
        }
    }
}
