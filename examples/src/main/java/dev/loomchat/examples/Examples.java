package dev.loomchat.examples;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code ./loomchat example NAME}: the socketserver seed examples, one subcommand each.
 * Each runs until Ctrl-C (except {@code threaded-tcp}, which runs its three clients and exits).
 */
@Command(name = "example", mixinStandardHelpOptions = true,
        description = "Runs a socketserver seed example.",
        subcommands = {TcpUpper.class, UdpUpper.class, UnixUpper.class, UnixDgramUpper.class, ThreadedTcp.class,
                ForkUpper.class, EchoChat.class})
public final class Examples implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Examples()).execute(args));
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name an example: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
