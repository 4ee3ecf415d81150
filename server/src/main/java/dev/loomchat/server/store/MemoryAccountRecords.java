package dev.loomchat.server.store;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Accounts in memory only, for a server without a data directory: gone when it stops. */
public final class MemoryAccountRecords implements AccountRecords {

    private final Map<String, StoredAccount> accounts = new ConcurrentHashMap<>();

    @Override
    public List<StoredAccount> all() {
        return List.copyOf(accounts.values());
    }

    @Override
    public boolean insert(StoredAccount account) {
        return accounts.putIfAbsent(account.key(), account) == null;
    }

    @Override
    public boolean update(StoredAccount account) {
        return accounts.replace(account.key(), account) != null;
    }

    @Override
    public boolean delete(String key) {
        return accounts.remove(key) != null;
    }
}
