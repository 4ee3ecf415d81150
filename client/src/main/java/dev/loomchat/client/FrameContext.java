package dev.loomchat.client;

/**
 * What a view needs to know about an incoming frame beyond the frame itself.
 *
 * @param ownNick   the client's nick when the frame arrived (to show "you")
 * @param hidden    human views show nothing for it: it repeats something already shown (the
 *                  {@code welcome} of a reconnect, a replayed message seen before the drop), or
 *                  the client reports it in its own words (an error refusing {@code hello})
 * @param joinReply the frame answers this client's own {@code join} (or re-join)
 * @param skipped   for the {@code history} trailer of a re-join: how many of its replayed
 *                  messages were hidden as already shown; 0 otherwise
 */
record FrameContext(String ownNick, boolean hidden, boolean joinReply, int skipped) {

    FrameContext(String ownNick, boolean hidden, boolean joinReply) {
        this(ownNick, hidden, joinReply, 0);
    }

    static FrameContext of(String ownNick) {
        return new FrameContext(ownNick, false, false);
    }
}
