package dev.loomchat.examples;

import picocli.CommandLine.Option;

/**
 * {@code -h}/{@code --help} for every example. (Not picocli's standard help options: their
 * {@code --version} would print nothing, the examples having no version of their own.)
 */
final class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;
}
