package dev.loomchat.client;

import dev.loomchat.server.ChatServer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The real-terminal test: runs {@code src/test/sh/tmux-half-typed-line.sh} against a server in
 * this JVM, with the client started from the test classpath (nothing needs to be packaged).
 * Skipped only where tmux is not installed.
 */
class TmuxHalfTypedLineTest {

    private static final Path SCRIPT = Path.of("src/test/sh/tmux-half-typed-line.sh");

    @Test
    void anIncomingMessageDoesNotCorruptAHalfTypedLine() throws Exception {
        assertTrue(Files.isRegularFile(SCRIPT), SCRIPT.toAbsolutePath() + " is missing");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        String client = quote(java) + " --enable-native-access=ALL-UNNAMED -cp " + quote(classpath)
                + " dev.loomchat.client.ChatClientMain";
        Path log = Files.createTempFile("tmux-test", ".log");
        try (ChatServer server = TestServers.start(0)) {
            var builder = new ProcessBuilder("bash", SCRIPT.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().put("LOOMCHAT_PORT", Integer.toString(TestServers.port(server)));
            builder.environment().put("LOOMCHAT_CLIENT", client);
            builder.environment().put("TMUX_TEST_TIMEOUT", "20");
            builder.environment().remove("TMUX"); // if the build itself runs inside tmux
            Process script = builder.start();
            try {
                if (!script.waitFor(90, TimeUnit.SECONDS)) {
                    throw new AssertionError("the tmux script did not finish in 90 s:\n" + read(log));
                }
            } finally {
                script.destroy(); // no-op when it has ended; the script stops its own children on TERM
            }
            String output = read(log);
            System.out.print(output);
            if (output.startsWith("SKIP:")) {
                abort(output.strip());
            }
            assertEquals(0, script.exitValue(), output);
            assertTrue(output.contains("PASS: tmux half-typed line"), output);
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    private static String read(Path log) throws Exception {
        return Files.readString(log, StandardCharsets.UTF_8);
    }
}
