package dev.loomchat.server.chat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An IP address or a CIDR network ({@code 203.0.113.7}, {@code 203.0.113.0/24},
 * {@code 2001:db8::/32}), as an address ban names it, parsed from its literal text alone: the
 * core does no I/O, so there is never a name look-up here. An IPv4-mapped IPv6 address
 * ({@code ::ffff:203.0.113.7}) is the IPv4 address it maps.
 *
 * @param address the network's address, its host bits cleared (4 or 16 bytes)
 * @param prefix  the network's prefix length (32 or 128 for a single address)
 */
record IpMask(byte[] address, int prefix) {

    /** The mask {@code text} names, or {@code null} if it is not an IP literal with an optional {@code /prefix}. */
    static IpMask parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 60) {
            return null;
        }
        int slash = text.indexOf('/');
        byte[] address = address(slash < 0 ? text : text.substring(0, slash));
        if (address == null) {
            return null;
        }
        int bits = address.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String digits = text.substring(slash + 1);
            if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return null;
            }
            prefix = Integer.parseInt(digits);
            if (prefix > bits) {
                return null;
            }
        }
        return new IpMask(clear(address, prefix), prefix);
    }

    /** Whether the host {@code host} (a door's address text, maybe with an IPv6 zone) is in this network. */
    boolean matches(String host) {
        if (host == null) {
            return false;
        }
        int zone = host.indexOf('%');
        byte[] candidate = address(zone < 0 ? host : host.substring(0, zone));
        return candidate != null && candidate.length == address.length
                && Arrays.equals(clear(candidate, prefix), address);
    }

    /** The canonical text: {@code 203.0.113.0/24}, {@code 2001:db8::/32}; a single address without {@code /prefix}. */
    @Override
    public String toString() {
        String text = address.length == 4 ? ipv4(address) : ipv6(address);
        return prefix == address.length * 8 ? text : text + "/" + prefix;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof IpMask mask && mask.prefix == prefix && Arrays.equals(mask.address, address);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(address) * 31 + prefix;
    }

    /** The 4 or 16 bytes of an IPv4 or IPv6 literal (an IPv4-mapped one as 4), or {@code null}. */
    private static byte[] address(String text) {
        byte[] bytes = text.indexOf(':') >= 0 ? ipv6(text) : ipv4(text);
        if (bytes != null && bytes.length == 16 && isMapped(bytes)) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes;
    }

    private static boolean isMapped(byte[] bytes) {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
    }

    private static byte[] ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            String part = parts[i];
            if (part.isEmpty() || part.length() > 3 || !part.chars().allMatch(c -> c >= '0' && c <= '9')
                    || (part.length() > 1 && part.charAt(0) == '0')) {
                return null; // no leading zeros: "010" is octal to some parsers
            }
            int value = Integer.parseInt(part);
            if (value > 255) {
                return null;
            }
            bytes[i] = (byte) value;
        }
        return bytes;
    }

    private static byte[] ipv6(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            return null;
        }
        List<Integer> head = groups(gap < 0 ? text : text.substring(0, gap));
        List<Integer> tail = gap < 0 ? List.of() : groups(text.substring(gap + 2));
        if (head == null || tail == null) {
            return null;
        }
        int count = head.size() + tail.size();
        if (gap < 0 ? count != 8 : count > 7) {
            return null;
        }
        byte[] bytes = new byte[16];
        for (int i = 0; i < head.size(); i++) {
            put(bytes, i, head.get(i));
        }
        for (int i = 0; i < tail.size(); i++) {
            put(bytes, 8 - tail.size() + i, tail.get(i));
        }
        return bytes;
    }

    /** The 16-bit groups of one side of {@code ::} (a final dotted IPv4 part counts as two), or {@code null}. */
    private static List<Integer> groups(String side) {
        List<Integer> groups = new ArrayList<>();
        if (side.isEmpty()) {
            return groups;
        }
        String[] parts = side.split(":", -1);
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i];
            if (i == parts.length - 1 && part.indexOf('.') >= 0) {
                byte[] v4 = ipv4(part);
                if (v4 == null) {
                    return null;
                }
                groups.add((v4[0] & 0xff) << 8 | (v4[1] & 0xff));
                groups.add((v4[2] & 0xff) << 8 | (v4[3] & 0xff));
                continue;
            }
            if (part.isEmpty() || part.length() > 4 || !part.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return null;
            }
            groups.add(Integer.parseInt(part, 16));
        }
        return groups;
    }

    private static void put(byte[] bytes, int group, int value) {
        bytes[2 * group] = (byte) (value >> 8);
        bytes[2 * group + 1] = (byte) value;
    }

    private static byte[] clear(byte[] address, int prefix) {
        byte[] cleared = address.clone();
        for (int bit = prefix; bit < cleared.length * 8; bit++) {
            cleared[bit / 8] &= (byte) ~(0x80 >> (bit % 8));
        }
        return cleared;
    }

    private static String ipv4(byte[] bytes) {
        return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + "." + (bytes[3] & 0xff);
    }

    /** RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups as {@code ::}. */
    private static String ipv6(byte[] bytes) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xff) << 8 | (bytes[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
