package dev.loomchat.socketserver.fork;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts the child JVMs of a forking server: the same {@code java} as this JVM, the same class
 * path ({@code java.class.path}: under Maven Surefire that is its manifest-only jar, which names
 * the test classes too), the flags the child needs ({@link #REQUIRED_OPTIONS}), the caller's
 * options, then {@link ForkedChild} with the handoff socket and the child's token.
 *
 * <p>The child's standard input is closed at once (it must not compete for the terminal); its
 * standard output and error are copied as they come to this JVM's {@code System.out} and
 * {@code System.err} by two daemon threads, so that test runners and log capture see them.
 */
final class ChildJvm {

    /** Native access for junixsocket, and {@code sun.nio.ch} for the socket's descriptor. */
    static final List<String> REQUIRED_OPTIONS = List.of(
            "--enable-native-access=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED");

    private final List<String> options;

    ChildJvm(List<String> options) {
        this.options = List.copyOf(options);
    }

    /** The java executable of this JVM. */
    static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The full command line of a child that will call {@code handoff} with {@code token}. */
    List<String> command(Path handoff, String token) {
        List<String> command = new ArrayList<>();
        command.add(javaCommand());
        command.addAll(REQUIRED_OPTIONS);
        command.addAll(options);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ForkedChild.class.getName());
        command.add(handoff.toString());
        command.add(token);
        return command;
    }

    Process start(Path handoff, String token) throws IOException {
        Process process = new ProcessBuilder(command(handoff, token)).start();
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // The child sees end of input either way.
        }
        copy(process.getInputStream(), false, process.pid() + "-out");
        copy(process.getErrorStream(), true, process.pid() + "-err");
        return process;
    }

    private static void copy(InputStream from, boolean toErr, String name) {
        Thread.ofPlatform().daemon(true).name("child-" + name).start(() -> {
            try (from) {
                byte[] buffer = new byte[8192];
                int n;
                while ((n = from.read(buffer)) > 0) {
                    // Looked up per write: test runners swap System.out/err per test.
                    writeTo(toErr ? System.err : System.out, buffer, n);
                }
            } catch (IOException e) {
                // The child is gone; so is its output.
            }
        });
    }

    private static void writeTo(OutputStream to, byte[] buffer, int n) throws IOException {
        to.write(buffer, 0, n);
        to.flush();
    }

    List<String> options() {
        return options;
    }
}
