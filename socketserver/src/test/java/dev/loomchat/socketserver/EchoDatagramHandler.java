package dev.loomchat.socketserver;

/** Python's test handler {@code MyHandler(DatagramRequestHandler)}: echoes one line of the packet. */
class EchoDatagramHandler extends DatagramRequestHandler {
    @Override
    protected void handle() throws Exception {
        wfile().write(rfile().readline());
    }
}
