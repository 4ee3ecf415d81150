package dev.loomchat.server.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The server's key and certificate, swappable while serving: each new handshake asks for the
 * current pair; connections already open keep theirs. A handshake asks for the alias first and
 * for the key and chain of that alias later: each pair has its own alias, and the pair before
 * the current one is kept, so a handshake that straddles a reload still gets a matching pair.
 */
final class ReloadableKeyManager extends X509ExtendedKeyManager {

    /** The key and its chain, replaced as one. */
    record Identity(PrivateKey key, X509Certificate[] chain) {
    }

    private record Named(String alias, Identity identity) {
    }

    private volatile Named current;
    private volatile Named previous;
    private int generation;

    ReloadableKeyManager(Identity identity) {
        this.current = new Named("loomchat-0", identity);
    }

    /** Called from one thread at a time (start-up, then the reload signal's). */
    void replace(Identity next) {
        previous = current;
        current = new Named("loomchat-" + ++generation, next);
    }

    Identity current() {
        return current.identity();
    }

    private Identity named(String alias) {
        Named now = current;
        if (now.alias().equals(alias)) {
            return now.identity();
        }
        Named before = previous;
        return before != null && before.alias().equals(alias) ? before.identity() : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return aliasFor(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return aliasFor(keyType);
    }

    /** The JDK asks per key type ("EC", "RSA", "RSASSA-PSS", ...): answer for our key's. */
    private String aliasFor(String keyType) {
        Named now = current;
        String algorithm = now.identity().key().getAlgorithm();
        boolean matches = keyType.equalsIgnoreCase(algorithm) || (algorithm.equals("RSA") && keyType.equals("RSASSA-PSS"));
        return matches ? now.alias() : null;
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        String alias = aliasFor(keyType);
        return alias == null ? null : new String[] {alias};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Identity identity = named(alias);
        return identity == null ? null : identity.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Identity identity = named(alias);
        return identity == null ? null : identity.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
