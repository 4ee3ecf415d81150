package dev.loomchat.socketserver;

import java.nio.charset.StandardCharsets;

/** The seeds' datagram handler: replies with the packet upper-cased. */
public class UpperDatagramHandler extends DatagramRequestHandler {
    @Override
    protected void handle() throws Exception {
        String text = new String(packet(), StandardCharsets.UTF_8);
        wfile().write(text.toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    }
}
