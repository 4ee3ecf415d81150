package dev.loomchat.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * Reads a PEM certificate chain (the JDK's own parser) and a PEM private key (Bouncy Castle's:
 * PKCS#8 {@code PRIVATE KEY}, {@code RSA PRIVATE KEY}, {@code EC PRIVATE KEY}; not encrypted).
 * Errors are {@link IOException}s whose message is one line for the operator.
 */
final class PemFiles {

    private PemFiles() {
    }

    /** The chain in {@code file}, the server's own certificate first. */
    static List<X509Certificate> certificates(Path file) throws IOException {
        try (InputStream in = open(file, "certificate")) {
            List<X509Certificate> chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast).toList();
            if (chain.isEmpty()) {
                throw new IOException("no certificate in " + file);
            }
            return chain;
        } catch (CertificateException e) {
            throw new IOException("not a PEM certificate: " + file + " (" + e.getMessage() + ")", e);
        }
    }

    static PrivateKey privateKey(Path file) throws IOException {
        try (Reader reader = new java.io.InputStreamReader(open(file, "private key"), StandardCharsets.US_ASCII);
             PEMParser pem = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object item; (item = pem.readObject()) != null; ) {
                switch (item) {
                    case PrivateKeyInfo info -> {
                        return converter.getPrivateKey(info);
                    }
                    case PEMKeyPair pair -> {
                        // A SEC1 or PKCS#1 key; its public half may be absent (then only the private is read).
                        return converter.getPrivateKey(pair.getPrivateKeyInfo());
                    }
                    default -> {
                        // EC parameters and the like come before the key: skip them.
                    }
                }
            }
            throw new IOException("no unencrypted private key in " + file);
        } catch (IOException e) {
            throw e.getMessage() != null && e.getMessage().contains(file.toString()) ? e
                    : new IOException("cannot read the private key " + file + ": " + e.getMessage(), e);
        }
    }

    /** Opens {@code file}, or says in one line why it cannot be read. */
    private static InputStream open(Path file, String what) throws IOException {
        try {
            return Files.newInputStream(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IOException("no " + what + " file " + file, e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException("cannot read the " + what + " file " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new IOException("cannot read the " + what + " file " + file + ": " + e.getMessage(), e);
        }
    }

    /** {@code certificate} as PEM text. */
    static String toPem(X509Certificate certificate) throws IOException {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IOException(e);
        }
    }
}
