package dev.loomchat.protocol;

import java.util.Objects;

/**
 * One entry of a {@link ServerMessage.Rooms} reply.
 *
 * @param room    the room name, e.g. {@code "#general"}
 * @param members how many clients are in it now
 */
public record RoomInfo(@Required String room, @Required int members) {

    /** @throws NullPointerException if {@code room} is null */
    public RoomInfo {
        Objects.requireNonNull(room, "room");
    }
}
