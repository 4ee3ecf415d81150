package dev.loomchat.client;

/** Entry point of {@code ./loomchat client}. */
public final class ChatClientMain {
    private ChatClientMain() {
    }

    public static void main(String[] args) {
        System.out.println("loomchat client: not implemented yet (see issue 5)");
    }
}
