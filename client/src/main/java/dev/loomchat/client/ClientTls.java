package dev.loomchat.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The client's TLS: the server's certificate checked against the system's trust store or a CA
 * file ({@code --tls-ca}), and its host name or address checked against the certificate, as a
 * browser does; or, with {@code --tls-insecure}, nothing checked at all. TLS 1.3 and 1.2 only.
 *
 * <p>Handshake failures become one line for the user that says what to do
 * ({@link #explain}).
 */
final class ClientTls {

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SSLContext context;
    private final boolean insecure;

    private ClientTls(SSLContext context, boolean insecure) {
        this.context = context;
        this.insecure = insecure;
    }

    /**
     * Verifying TLS: against the certificates in {@code caFile} (PEM), or the JDK's trust store
     * when {@code caFile} is null.
     *
     * @throws IllegalArgumentException if {@code caFile} cannot be read (a usage error)
     */
    static ClientTls verifying(Path caFile) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(caFile == null ? null : trustStore(caFile));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return new ClientTls(context, false);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("--tls-ca " + caFile + ": " + e.getMessage());
        }
    }

    /** TLS that trusts any certificate: encrypted, but anyone on the path can pretend to be the server. */
    static ClientTls trustingAnyone() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustingAnything()}, null);
            return new ClientTls(context, true);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean isInsecure() {
        return insecure;
    }

    private static KeyStore trustStore(Path caFile) throws GeneralSecurityException {
        Collection<? extends Certificate> certificates;
        try (InputStream in = Files.newInputStream(caFile)) {
            certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (IOException e) {
            throw new GeneralSecurityException("cannot read it (" + e.getMessage() + ")", e);
        }
        if (certificates.isEmpty()) {
            throw new GeneralSecurityException("no PEM certificate in it");
        }
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        try {
            store.load(null, null);
        } catch (IOException e) {
            throw new GeneralSecurityException(e);
        }
        int i = 0;
        for (Certificate certificate : certificates) {
            store.setCertificateEntry("ca-" + i++, certificate);
        }
        return store;
    }

    /**
     * Puts TLS over the connected {@code plain} socket and handshakes within {@code timeout},
     * checking the certificate against {@code host} (unless insecure).
     */
    SSLSocket handshake(Socket plain, String host, int port, Duration timeout) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setProtocols(PROTOCOLS);
        if (!insecure) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name host
        }
        if (!isAddress(host)) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        socket.setSSLParameters(parameters);
        plain.setSoTimeout((int) Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE));
        socket.startHandshake();
        plain.setSoTimeout(0);
        return socket;
    }

    private static boolean isAddress(String host) {
        return host.contains(":") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }

    /** What went wrong in a handshake, in one line that says what to do. */
    static String explain(IOException e, String where, Duration timeout) {
        if (e instanceof SocketTimeoutException) {
            return "no TLS handshake from " + where + " within " + timeout.toSeconds() + " s (is it a TLS port?)";
        }
        if (e instanceof EOFException || String.valueOf(e.getMessage()).contains("Remote host terminated")) {
            return "the server closed the connection during the TLS handshake: is " + where
                    + " a plain (non-TLS) port? (try without --tls)";
        }
        if (String.valueOf(e.getMessage()).contains("Unsupported or unrecognized SSL message")) {
            return where + " did not answer in TLS: is it a plain (non-TLS) port? (try without --tls)";
        }
        for (Throwable t = e; t != null; t = t.getCause()) { // the most specific cause first, wherever it is
            if (t instanceof CertificateExpiredException) {
                return "the server's certificate has expired (" + t.getMessage() + ")";
            }
            if (t instanceof java.security.cert.CertificateNotYetValidException) {
                return "the server's certificate is not valid yet (" + t.getMessage() + "): check both clocks";
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("No subject alternative") || message.contains("No name matching")) {
                return "the server's certificate does not name the host you connected to (" + message + ")";
            }
            if (message.contains("PKIX path")) {
                return "the server's certificate is not trusted: give its CA with --tls-ca FILE"
                        + " (or --tls-insecure to skip the check, for testing only)";
            }
        }
        if (e instanceof SSLHandshakeException || e instanceof SSLException) {
            return "TLS handshake with " + where + " failed: " + e.getMessage();
        }
        return null;
    }

    /** {@code --tls-insecure}: every certificate is accepted, which is the point and the danger. */
    private static final class TrustingAnything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    @Override
    public String toString() {
        return insecure ? "tls (not verified)" : "tls";
    }
}
