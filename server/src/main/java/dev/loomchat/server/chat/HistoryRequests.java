package dev.loomchat.server.chat;

import dev.loomchat.protocol.ClientMessage;
import dev.loomchat.protocol.ContentRules;
import dev.loomchat.protocol.ErrorCode;
import dev.loomchat.protocol.ServerMessage;
import dev.loomchat.protocol.ServerMessage.ChatMessage;
import dev.loomchat.server.ChatConfig;
import dev.loomchat.server.bus.RoomBus;
import dev.loomchat.server.bus.RoomEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code history} request (PROTOCOL.md §5): the replay of a room's latest messages from its
 * cache, or a page {@code before} or {@code after} an id from the bus's log (the store, Redis),
 * read without the room lock so that senders never wait for it.
 */
final class HistoryRequests {

    private final ChatConfig config;
    private final RoomBus bus;

    HistoryRequests(ChatConfig config, RoomBus bus) {
        this.config = config;
        this.bus = bus;
    }

    void handle(Session session, ClientMessage.History request) {
        String ref = request.ref();
        if (request.limit() != null && request.limit() < 1) {
            session.send(new ServerMessage.Error(ErrorCode.BAD_REQUEST, "field \"limit\" must be at least 1", ref));
            return;
        }
        if (request.before() != null && request.after() != null) {
            session.send(new ServerMessage.Error(ErrorCode.BAD_REQUEST, "give \"before\" or \"after\", not both", ref));
            return;
        }
        Room room = Requests.memberRoom(session, request.room(), ref);
        if (room == null) {
            return;
        }
        int limit = request.limit() == null ? config.historyLength() : Math.min(request.limit(), config.historyLength());
        if (request.before() == null && request.after() == null) {
            room.lock().lock();
            try {
                room.replay(session, limit, config.replayBytes(), ref);
            } finally {
                room.lock().unlock();
            }
            return;
        }
        // Paging reads the bus's log (a store, Redis) without the room lock: senders never wait for it.
        boolean catchingUp = request.after() != null;
        Optional<RoomBus.Page> page = bus.history(ContentRules.fold(room.name()), room.name(), request.before(),
                request.after(), limit);
        if (page.isPresent()) {
            List<ChatMessage> messages = new ArrayList<>(page.get().lines().size());
            for (RoomEvent.Said line : page.get().lines()) {
                messages.add(ChatMessage.toRoom(line.id(), line.ts(), line.nick(), room.name(), line.text()));
            }
            room.sendPage(session, messages, page.get().more(), catchingUp, config.replayBytes(), ref);
            return;
        }
        room.lock().lock();
        try {
            room.sendCachedPage(session, request.before(), request.after(), limit, config.replayBytes(), ref);
        } finally {
            room.lock().unlock();
        }
    }
}
