package dev.loomchat.server;

/** Entry point of {@code ./loomchat server}. */
public final class ChatServerMain {
    private ChatServerMain() {
    }

    public static void main(String[] args) {
        System.out.println("loomchat server: not implemented yet (see issue 4)");
    }
}
