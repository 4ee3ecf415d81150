package dev.loomchat.server.chat;

import dev.loomchat.protocol.BanInfo;
import java.time.Instant;
import java.util.Objects;

/**
 * One server ban: of an account (a folded nick) or of an address ({@link IpMask}'s canonical
 * form: an IP address or a CIDR network), set by an operator, maybe with an expiry.
 *
 * @param kind          what {@code mask} names
 * @param mask          the folded account, or the address or network
 * @param reason        why, as the operator said it; {@code ""} if it gave none
 * @param by            the nick of the operator who set it
 * @param setMillis     when it was set, epoch ms
 * @param expiresMillis when it stops applying, epoch ms; 0: until lifted
 */
public record ServerBan(Kind kind, String mask, String reason, String by, long setMillis, long expiresMillis) {

    /** What a ban applies to. */
    public enum Kind {
        /** Every login to the account. */
        ACCOUNT,
        /** Every connection from the address or network. */
        ADDRESS
    }

    public ServerBan {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(by, "by");
        reason = reason == null ? "" : reason;
    }

    /** Whether the ban has run out at {@code nowMillis} (a ban without expiry never does). */
    public boolean expired(long nowMillis) {
        return expiresMillis != 0 && nowMillis >= expiresMillis;
    }

    /** The ban as a {@code bans} reply lists it. */
    BanInfo info() {
        return new BanInfo(kind == Kind.ACCOUNT ? mask : null, kind == Kind.ADDRESS ? mask : null,
                reason.isEmpty() ? null : reason, by, setMillis, expiresMillis == 0 ? null : expiresMillis);
    }

    /** What a banned client is told: which ban, why, until when. */
    String describe() {
        return (kind == Kind.ACCOUNT ? "the account " : "the address ") + mask + " is banned from this server"
                + (expiresMillis == 0 ? "" : " until " + Instant.ofEpochMilli(expiresMillis))
                + (reason.isEmpty() ? "" : ": " + reason);
    }
}
