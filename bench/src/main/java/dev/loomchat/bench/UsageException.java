package dev.loomchat.bench;

/**
 * A command line the bench cannot run: an unknown option, a value that is not a number, a missing
 * argument. {@link Main} prints the message as one line with a hint at {@code --help} and exits 2.
 */
final class UsageException extends IllegalArgumentException {

    UsageException(String message) {
        super(message);
    }
}
