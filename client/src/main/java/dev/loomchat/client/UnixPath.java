package dev.loomchat.client;

import java.nio.file.Path;
import java.util.Objects;

/** A server's AF_UNIX stream socket ({@code ./loomchat server --unix PATH}). */
record UnixPath(Path path) implements ServerAddress {

    UnixPath {
        Objects.requireNonNull(path, "path");
    }

    @Override
    public boolean isLocal() {
        return true;
    }

    @Override
    public String serverOptions() {
        return " --unix " + path;
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
