package dev.loomchat.server.store;

import java.util.Objects;

/**
 * One account as stored: the folded nick it owns ({@code key}), the nick as registered, the
 * password hash (a PHC string, parameters included) and when it was made and last changed.
 */
public record StoredAccount(String key, String name, String hash, long createdMillis, long updatedMillis) {
    public StoredAccount {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(hash, "hash");
    }

    public StoredAccount withHash(String newHash, long nowMillis) {
        return new StoredAccount(key, name, newHash, createdMillis, nowMillis);
    }
}
