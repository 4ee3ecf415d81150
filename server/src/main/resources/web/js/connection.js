// The WebSocket to the server's /ws, kept up: one PROTOCOL.md JSON object per text message,
// requests numbered by ref, reconnection with backoff (0.5 s doubling to 10 s, with jitter, as
// the console client), and a keepalive: a ping after 30 s of silence, the connection given up
// 15 s later.

const PING_AFTER_MS = 30_000;
const PING_TIMEOUT_MS = 15_000;
const BACKOFF_FIRST_MS = 500;
const BACKOFF_MAX_MS = 10_000;

export class Connection {
  /**
   * @param handlers {onOpen(), onFrame(frame), onClose(info), onReconnecting(delayMs)}
   */
  constructor(url, handlers) {
    this.url = url;
    this.handlers = handlers;
    this.ws = null;
    this.nextRef = 1;
    this.backoff = BACKOFF_FIRST_MS;
    this.stopped = false;
    this.silenceTimer = null;
    this.deadTimer = null;
  }

  start() {
    this.stopped = false;
    this.open();
  }

  /** No reconnection from now on (after quit). */
  stop() {
    this.stopped = true;
  }

  get connected() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  open() {
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.heard();
      this.handlers.onOpen();
    };
    ws.onmessage = (event) => {
      this.heard();
      if (typeof event.data !== 'string') return;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return; // a server never sends one; ignore rather than break
      }
      if (frame !== null && typeof frame === 'object' && typeof frame.type === 'string') {
        this.handlers.onFrame(frame);
      }
    };
    ws.onclose = (event) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.clearTimers();
      this.handlers.onClose({ code: event.code, reason: event.reason });
      if (!this.stopped) this.reconnectLater();
    };
  }

  reconnectLater() {
    const delay = Math.round(this.backoff * (0.75 + Math.random() * 0.5));
    this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
    this.handlers.onReconnecting(delay);
    setTimeout(() => { if (!this.stopped) this.open(); }, delay);
  }

  /** The session is up again (welcome): the next loss starts the backoff from the start. */
  welcomed() {
    this.backoff = BACKOFF_FIRST_MS;
  }

  /** Sends a request; returns its ref, or null when not connected. */
  send(request) {
    if (!this.connected) return null;
    const ref = String(this.nextRef++);
    this.ws.send(JSON.stringify({ ...request, ref }));
    return ref;
  }

  /** Sends a frame without a ref (pong). */
  sendBare(frame) {
    if (this.connected) this.ws.send(JSON.stringify(frame));
  }

  /** Gives the socket up now (a silent server): it is reopened, unless stopped. */
  drop() {
    const ws = this.ws;
    if (ws === null) return;
    this.ws = null; // its own close event, whenever it comes, is ignored
    this.clearTimers();
    try { ws.close(); } catch { /* closed either way */ }
    this.handlers.onClose({ code: 4000, reason: 'no answer from the server' });
    if (!this.stopped) this.reconnectLater();
  }

  heard() {
    this.clearTimers();
    this.silenceTimer = setTimeout(() => {
      this.send({ type: 'ping' });
      this.deadTimer = setTimeout(() => this.drop(), PING_TIMEOUT_MS);
    }, PING_AFTER_MS);
  }

  clearTimers() {
    clearTimeout(this.silenceTimer);
    clearTimeout(this.deadTimer);
  }
}
