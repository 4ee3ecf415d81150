package dev.loomchat.client;

/**
 * What a view needs to know about an incoming frame beyond the frame itself.
 *
 * @param ownNick   the client's nick when the frame arrived (to show "you")
 * @param repeated  the frame repeats something already shown: the {@code welcome} of a
 *                  reconnect, or a replayed message seen before; human views skip it
 * @param joinReply the frame answers this client's own {@code join} (or re-join)
 */
record FrameContext(String ownNick, boolean repeated, boolean joinReply) {

    static FrameContext of(String ownNick) {
        return new FrameContext(ownNick, false, false);
    }
}
