package dev.loomchat.server.chat;

import dev.loomchat.protocol.ContentRules;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A room's ban masks ({@code +b}): IRC's {@code nick!user@host} globs ({@code *} any run,
 * {@code ?} any one character), compared case-insensitively (ASCII folding, as nicks) with a
 * client's source, which is {@code nick!chat@loomchat} for everyone. Not thread-safe.
 */
final class BanList {

    /** Folded mask -> mask as given, in the order they were set. */
    private final Map<String, String> masks = new LinkedHashMap<>();

    boolean contains(String mask) {
        return masks.containsKey(ContentRules.fold(mask));
    }

    int size() {
        return masks.size();
    }

    List<String> masks() {
        return List.copyOf(masks.values());
    }

    /** Adds ({@code adding}) or removes {@code mask}. */
    void set(String mask, boolean adding) {
        if (adding) {
            masks.put(ContentRules.fold(mask), mask);
        } else {
            masks.remove(ContentRules.fold(mask));
        }
    }

    /** Whether a mask bans {@code nick}. */
    boolean matches(String nick) {
        String source = ContentRules.fold(nick) + "!chat@loomchat";
        for (String mask : masks.keySet()) {
            if (matches(mask, source)) {
                return true;
            }
        }
        return false;
    }

    /** IRC's glob: {@code *} any run, {@code ?} any one character; {@code mask} and {@code text} folded. */
    static boolean matches(String mask, String text) {
        int m = 0;
        int t = 0;
        int star = -1;
        int mark = 0;
        while (t < text.length()) {
            if (m < mask.length() && (mask.charAt(m) == '?' || mask.charAt(m) == text.charAt(t))) {
                m++;
                t++;
            } else if (m < mask.length() && mask.charAt(m) == '*') {
                star = m++;
                mark = t;
            } else if (star >= 0) {
                m = star + 1;
                t = ++mark;
            } else {
                return false;
            }
        }
        while (m < mask.length() && mask.charAt(m) == '*') {
            m++;
        }
        return m == mask.length();
    }
}
