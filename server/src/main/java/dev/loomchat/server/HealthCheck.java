package dev.loomchat.server;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.Codec;
import dev.loomchat.protocol.Decoded;
import dev.loomchat.protocol.Frame;
import dev.loomchat.protocol.MessageReader;
import dev.loomchat.protocol.ServerMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;

/**
 * {@code loomchat server --healthcheck}: connects to a running server, sends {@code ping} and
 * expects {@code pong} — what the Docker HEALTHCHECK runs. Talks the real protocol, so a server
 * that accepts connections but no longer answers is unhealthy. With {@code --http} it also asks
 * the web door's {@code /healthz} and expects 200 (503 while the server drains for shutdown).
 */
final class HealthCheck {

    static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final String REF = "healthcheck";

    private HealthCheck() {
    }

    /** Returns {@code null} when healthy, else why not. */
    static String probe(String host, int port) {
        return probe(host, port, false);
    }

    /**
     * As {@link #probe(String, int)}, over TLS when {@code tls} (a server with {@code --tls-only}).
     * The certificate is not checked: this asks the server next door whether it answers, it does
     * not send anything secret.
     */
    static String probe(String host, int port, boolean tls) {
        String target = "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(target, port), (int) TIMEOUT.toMillis());
            plain.setSoTimeout((int) TIMEOUT.toMillis());
            Socket socket = tls ? anyCertificate().createSocket(plain, target, port, true) : plain;
            Frame.of(new ClientMessage.Ping(REF)).writeTo(socket.getOutputStream());
            MessageReader<ServerMessage> reader = new MessageReader<>(socket.getInputStream(), Codec.SERVER_TO_CLIENT);
            while (true) {
                Decoded<ServerMessage> reply = reader.read();
                if (reply instanceof Decoded.Ok<ServerMessage>(ServerMessage.Pong pong) && REF.equals(pong.ref())) {
                    return null;
                }
                if (reply instanceof Decoded.End) {
                    return "connection closed before pong";
                }
                if (reply instanceof Decoded.Ok<ServerMessage>(ServerMessage.Error error)) {
                    return "server said " + error.code() + ": " + error.message();
                }
            }
        } catch (IOException e) {
            return target + ":" + port + ": " + e.getMessage();
        }
    }

    private static javax.net.ssl.SSLSocketFactory anyCertificate() throws IOException {
        try {
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                @Override
                public void checkClientTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                }

                @Override
                public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String authType) {
                }

                @Override
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, null);
            return context.getSocketFactory();
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    /** Returns {@code null} when {@code GET /healthz} on {@code address} answers 200, else why not. */
    static String probeHttp(InetSocketAddress address) {
        String host = address.getHostString();
        String target = "0.0.0.0".equals(host) || "::".equals(host) ? "127.0.0.1" : host;
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target, address.getPort()), (int) TIMEOUT.toMillis());
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            String request = "GET /healthz HTTP/1.1\r\nHost: " + target + ":" + address.getPort()
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII));
            String status = in.readLine();
            if (status == null) {
                return "http " + target + ":" + address.getPort() + ": closed without an answer";
            }
            return status.matches("HTTP/1\\.[01] 200 .*") ? null
                    : "http " + target + ":" + address.getPort() + "/healthz: " + status;
        } catch (IOException e) {
            return "http " + target + ":" + address.getPort() + ": " + e.getMessage();
        }
    }
}
