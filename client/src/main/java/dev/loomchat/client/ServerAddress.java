package dev.loomchat.client;

/**
 * Where a chat server listens: a TCP {@link HostPort} or a {@link UnixPath} (the server's
 * {@code --unix PATH}). {@link #toString()} is how messages to the user name it.
 */
sealed interface ServerAddress permits HostPort, UnixPath {

    /**
     * Whether the server would run on this machine, so that "start one with {@code ./loomchat server}"
     * is useful advice when nothing answers.
     */
    boolean isLocal();

    /** The server options that make {@code ./loomchat server} listen here (empty for the defaults). */
    String serverOptions();
}
