package dev.loomchat.protocol;

import java.util.Objects;

/**
 * One server ban, in a {@link ServerMessage.Bans} reply: of an account or of an address
 * (exactly one of the two is set).
 *
 * @param account the banned account (a folded nick), or {@code null}
 * @param address the banned IP address or CIDR network, or {@code null}
 * @param reason  why, as the operator said it (may be absent)
 * @param by      the operator who set it
 * @param ts      when it was set, epoch ms UTC
 * @param expires when it stops applying, epoch ms UTC; absent: until lifted
 */
public record BanInfo(String account, String address, String reason, @Required String by, @Required long ts,
                      Long expires) {

    /** @throws IllegalArgumentException unless exactly one of {@code account} and {@code address} is set */
    public BanInfo {
        Objects.requireNonNull(by, "by");
        if ((account == null) == (address == null)) {
            throw new IllegalArgumentException("exactly one of \"account\" and \"address\" must be set");
        }
    }
}
