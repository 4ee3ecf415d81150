package dev.loomchat.client;

import dev.loomchat.protocol.ContentRules;

/**
 * A stable colour per nick: the same nick (in any letter case) gets the same colour in every run
 * and on every machine, because the hash is {@link String#hashCode()} of the case-folded nick,
 * whose value the Java specification fixes. Pure and thread-safe.
 */
final class NickColors {

    /** Twelve readable ANSI foreground colours: red..cyan, then their bright variants. */
    static final int[] PALETTE = {31, 32, 33, 34, 35, 36, 91, 92, 93, 94, 95, 96};

    private NickColors() {
    }

    /** The ANSI SGR foreground code for {@code nick}, one of {@link #PALETTE}. */
    static int colorOf(String nick) {
        int hash = ContentRules.fold(nick).hashCode();
        // Spread the low bits: String.hashCode of short similar names differs mostly in the last char.
        hash ^= hash >>> 16;
        hash *= 0x45d9f3b;
        hash ^= hash >>> 16;
        return PALETTE[Math.floorMod(hash, PALETTE.length)];
    }
}
