package dev.loomchat.socketserver;

/** Python's test handler {@code MyHandler(StreamRequestHandler)}: echoes one line. */
class EchoLineHandler extends StreamRequestHandler {
    @Override
    protected void handle() throws Exception {
        wfile().write(rfile().readline());
    }
}
