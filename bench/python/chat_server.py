#!/usr/bin/env python3
"""The loomchat bench's CPython comparison server.

socketserver.ThreadingTCPServer + StreamRequestHandler (one OS thread per connection, the
standard library's defaults, request_queue_size 5 unless --backlog), speaking the subset of the
loomchat protocol the load generator uses, with the same JSON work per request: json.loads the
line, build the reply dict, json.dumps it.

  hello -> welcome            join -> joined (+ to the other members) then history (count 0)
  say   -> message to every member of the room, the sender's copy with the say's ref
  ping  -> pong               quit -> bye, then close      anything else -> error

Fan-out as a Python user who cares about it writes it: each connection has an outbox (a deque) and
a writer thread. A say's sender posts the message to every other member's outbox and goes on; each
writer sends everything its outbox holds in one sendall. A connection's own replies (and its own
copy of its say) are written by its own thread at once, through the same outbox and lock, so every
sender's messages stay in order. So no socket write per message per member, and a full socket holds
up nobody but its own writer. TCP_NODELAY is on, as in the other servers.

Before issue 20 the sender wrote every copy itself (one sendall per message per member) holding the
room's lock, and Nagle's algorithm was on, so a reply written in two parts (joined, then history)
waited for the client's delayed ACK (the churn scenario's p50 of about 45 ms).
Run: python3 bench/python/chat_server.py --port 9999   (prints "listening on HOST:PORT")
"""
import argparse
import collections
import itertools
import json
import queue
import socketserver
import threading
import time

rooms = {}                      # key (lowercase) -> Room
rooms_lock = threading.Lock()
ids = itertools.count(1)
ids_lock = threading.Lock()


def dumps(obj):
    return (json.dumps(obj, separators=(",", ":"), ensure_ascii=False) + "\n").encode("utf-8")


def now_ms():
    return int(time.time() * 1000)


class Room:
    def __init__(self, name):
        self.name = name
        self.members = []
        self.lock = threading.Lock()

    def broadcast(self, data, skip=None, own=None, own_data=None):
        """Sends data to every member but skip; own gets own_data (its copy with the say's ref)."""
        with self.lock:
            members = list(self.members)
        for m in members:
            if m is own:
                m.send(own_data)
            elif m is not skip:
                m.post(data)


class Handler(socketserver.StreamRequestHandler):
    # TCP_NODELAY, as the other servers set it: with Nagle on, a reply written in two parts (joined,
    # then history) waits for the client's delayed ACK, about 40 ms.
    disable_nagle_algorithm = True

    def setup(self):
        super().setup()
        self.write_lock = threading.Lock()
        self.nick = None
        self.joined = {}
        self.pending = collections.deque()   # outbox: bytes not yet written, in order
        self.wake = queue.SimpleQueue()      # True: the outbox has news; False: stop
        # The writer starts with the first post: an idle connection (the hold scenario's 19,000)
        # keeps one thread, not two (threads-max is about 32,000 here).
        self.writer = None
        self.writer_lock = threading.Lock()
        self.finished = False

    def send(self, data):
        """Writes data now, after whatever the outbox still holds (this connection's own thread)."""
        self.pending.append(data)
        self.flush()

    def post(self, data):
        """Queues data for this connection's writer thread (called by other connections' threads)."""
        self.pending.append(data)
        if self.writer is None:
            with self.writer_lock:
                if self.writer is None and not self.finished:
                    self.writer = threading.Thread(target=self.write_posted, daemon=True)
                    self.writer.start()
        self.wake.put(True)

    def flush(self):
        pending = self.pending
        with self.write_lock:
            if not pending:
                return
            batch = []
            while pending:
                batch.append(pending.popleft())
            try:
                self.request.sendall(batch[0] if len(batch) == 1 else b"".join(batch))
            except OSError:
                pending.clear()

    def write_posted(self):
        wake = self.wake
        while wake.get():
            while True:  # one flush for every post made since
                try:
                    if not wake.get_nowait():
                        return
                except queue.Empty:
                    break
            self.flush()

    def finish(self):
        with self.writer_lock:
            self.finished = True
            writer = self.writer
        if writer is not None:
            self.wake.put(False)
            writer.join(5)
        super().finish()

    def reply(self, obj, ref):
        if ref is not None:
            obj["ref"] = ref
        self.send(dumps(obj))

    def handle(self):
        try:
            for raw in self.rfile:
                line = raw.strip()
                if not line:
                    continue
                try:
                    req = json.loads(line)
                except ValueError:
                    self.reply({"type": "error", "code": "bad_json", "message": "not JSON"}, None)
                    continue
                if not isinstance(req, dict):
                    self.reply({"type": "error", "code": "bad_json", "message": "not an object"}, None)
                    continue
                if not self.dispatch(req):
                    return
        except OSError:
            pass
        finally:
            self.leave_all()

    def dispatch(self, req):
        t = req.get("type")
        ref = req.get("ref")
        if t == "ping":
            self.reply({"type": "pong"}, ref)
        elif t == "say":
            room = self.joined.get(str(req.get("room", "")).lower())
            if room is None:
                self.reply({"type": "error", "code": "not_in_room", "message": "join first"}, ref)
                return True
            with ids_lock:
                mid = next(ids)
            msg = {"type": "message", "id": mid, "ts": now_ms(), "from": self.nick,
                   "text": req.get("text", ""), "room": room.name}
            data = dumps(msg)
            msg["ref"] = ref
            room.broadcast(data, own=self, own_data=dumps(msg) if ref is not None else data)
        elif t == "hello":
            self.nick = req.get("nick")
            self.reply({"type": "welcome", "nick": self.nick, "server": "python-socketserver", "version": "0",
                        "proto": 1}, ref)
        elif t == "join":
            name = str(req.get("room", ""))
            key = name.lower()
            with rooms_lock:
                room = rooms.get(key)
                if room is None:
                    room = rooms[key] = Room(name)
                with room.lock:
                    room.members.append(self)
            self.joined[key] = room
            ts = now_ms()
            event = {"type": "joined", "room": room.name, "nick": self.nick, "ts": ts}
            room.broadcast(dumps(event), skip=self)
            event["ref"] = ref
            self.reply(event, None)
            self.reply({"type": "history", "room": room.name, "count": 0}, ref)
        elif t == "quit":
            self.reply({"type": "bye"}, ref)
            return False
        elif t == "pong":
            pass
        else:
            self.reply({"type": "error", "code": "bad_request", "message": "not supported here"}, ref)
        return True

    def leave_all(self):
        for key, room in list(self.joined.items()):
            with rooms_lock:
                with room.lock:
                    if self in room.members:
                        room.members.remove(self)
                    empty = not room.members
                if empty and rooms.get(key) is room:
                    del rooms[key]
            room.broadcast(dumps({"type": "parted", "room": room.name, "nick": self.nick,
                                  "reason": "quit", "ts": now_ms()}))
        self.joined.clear()


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=9999)
    ap.add_argument("--backlog", type=int, default=None,
                    help="listen backlog (default: socketserver's request_queue_size, 5)")
    a = ap.parse_args()
    if a.backlog:
        Server.request_queue_size = a.backlog
    with Server((a.host, a.port), Handler) as srv:
        print("listening on %s:%d" % srv.server_address[:2], flush=True)
        try:
            srv.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    import os
    import signal
    signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
    main()
