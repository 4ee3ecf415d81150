/**
 * TLS for the server's doors: the certificate and key (PEM files, or a throw-away self-signed
 * pair for trying it out), reloaded without dropping connections, and the server side of a
 * handshake over an accepted connection ({@link dev.loomchat.server.tls.ServerTls}).
 *
 * <p>Owns: reading PEM, making certificates, the {@code SSLContext} and its protocol rules (TLS
 * 1.3 and 1.2 only). Knows no chat and no wire format; the doors call it before they speak.
 */
package dev.loomchat.server.tls;
