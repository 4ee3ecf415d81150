package dev.loomchat.server.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away EC P-256 key and a self-signed certificate for it, valid for {@link #VALIDITY},
 * naming {@code localhost}, the loopback addresses and the given host: for trying TLS out, never
 * for serving people (a client can only trust it by being given this very certificate).
 */
record SelfSignedCertificate(KeyPair keys, X509Certificate certificate) {

    static final Duration VALIDITY = Duration.ofDays(30);

    static SelfSignedCertificate make(String host) throws IOException {
        return make(host, Instant.now().minus(Duration.ofMinutes(5)), Instant.now().plus(VALIDITY));
    }

    /** With explicit validity (tests make expired ones). */
    static SelfSignedCertificate make(String host, Instant notBefore, Instant notAfter) throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair keys = generator.generateKeyPair();
            X500Name name = new X500Name("CN=loomchat self-signed (for testing only)");
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(notBefore), Date.from(notAfter), name,
                    keys.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names(host)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            return new SelfSignedCertificate(keys, certificate);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot make a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static GeneralName[] names(String host) {
        Set<String> dns = new LinkedHashSet<>(List.of("localhost"));
        Set<String> ips = new LinkedHashSet<>(List.of("127.0.0.1", "::1"));
        if (host != null && !host.isBlank() && !host.equals("0.0.0.0") && !host.equals("::")) {
            (looksLikeAddress(host) ? ips : dns).add(host);
        }
        try {
            dns.add(InetAddress.getLocalHost().getHostName());
        } catch (IOException e) {
            // No host name to add: the loopback names are enough for trying it out.
        }
        List<GeneralName> names = new ArrayList<>();
        dns.forEach(n -> names.add(new GeneralName(GeneralName.dNSName, n)));
        ips.forEach(n -> names.add(new GeneralName(GeneralName.iPAddress, n)));
        return names.toArray(GeneralName[]::new);
    }

    private static boolean looksLikeAddress(String host) {
        return host.contains(":") || host.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }
}
