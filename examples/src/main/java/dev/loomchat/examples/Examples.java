package dev.loomchat.examples;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ./loomchat example NAME}: the socketserver seed examples, one subcommand each.
 * Each runs until Ctrl-C (except {@code threaded-tcp}, which runs its three clients and exits).
 * A server that cannot start says why in one line and exits 1 ({@link CannotStart}).
 */
@Command(name = "./loomchat example", synopsisSubcommandLabel = "NAME [options]",
        description = {"Runs a socketserver seed example (until Ctrl-C).",
                "./loomchat example NAME --help lists the options of one."},
        subcommands = {TcpUpper.class, UdpUpper.class, UnixUpper.class, UnixDgramUpper.class, ThreadedTcp.class,
                ForkUpper.class, EchoChat.class})
public final class Examples implements Runnable {

    @Mixin
    private HelpOption help = new HelpOption();

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the example {@code args} name; returns the exit code (0, 1: could not start, 2: bad usage). */
    static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine commandLine = new CommandLine(new Examples());
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof CannotStart cannotStart) {
                command.getErr().println(command.getCommandName() + ": " + cannotStart.getMessage());
                return 1;
            }
            throw e;
        });
        return commandLine.execute(args);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name an example: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
