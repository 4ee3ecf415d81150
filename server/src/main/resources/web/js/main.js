// The loomchat web page: one WebSocket session (connection.js), conversations per room and per
// private partner, the console client's slash commands (commands.js). All wire text is shown as
// text (view.js). State that survives a reload: the nick and the joined rooms (localStorage).

import { Connection } from './connection.js';
import { COMMANDS, OPERATOR_COMMANDS, nickError, parse, room as roomName, roomError, usageOf } from './commands.js';
import { fold } from './nickcolors.js';
import { el, messageLine, noticeLine, presenceLine } from './view.js';

const CLIENT = 'loomchat-web/0.1';
const NICK_RETRY_MS = 30_000;
const store = {
  get nick() { return localStorage.getItem('loomchat.nick'); },
  set nick(value) { localStorage.setItem('loomchat.nick', value); },
  get rooms() {
    try { return JSON.parse(localStorage.getItem('loomchat.rooms') || '[]').filter((r) => typeof r === 'string'); }
    catch { return []; }
  },
  set rooms(value) { localStorage.setItem('loomchat.rooms', JSON.stringify(value)); },
  // Whether the last login needed a password (the password itself is never stored).
  get needsPassword() { return localStorage.getItem('loomchat.needsPassword') === 'true'; },
  set needsPassword(value) { localStorage.setItem('loomchat.needsPassword', String(value)); },
};

const $ = (id) => document.getElementById(id);
const ui = {
  status: $('status'), login: $('login'), loginForm: $('login-form'), nickInput: $('nick-input'),
  roomInput: $('room-input'), accountPasswordInput: $('account-password-input'),
  serverPasswordInput: $('server-password-input'), loginError: $('login-error'), chat: $('chat'), rooms: $('rooms'),
  privates: $('privates'), joinForm: $('join-form'), joinInput: $('join-input'), title: $('title'),
  members: $('members'), part: $('part'), messages: $('messages'), composer: $('composer'),
  input: $('composer-input'),
};

/** A conversation: a room or a private partner. */
class Conversation {
  constructor(key, kind, name) {
    this.key = key;
    this.kind = kind; // 'room' | 'private' | 'server'
    this.name = name;
    this.lines = [];  // elements, oldest first
    this.seen = new Set(); // messages shown: id, ts and sender (a restarted server counts ids from the start again)
    this.members = new Map(); // folded nick -> nick (rooms)
    this.unread = 0;
    this.joined = kind !== 'room';
  }
}

const state = {
  nick: null,          // the nick the server gave us
  wanted: null,        // the nick we ask for in hello
  // Passwords from the login form, in memory only (never in localStorage): sent again on a reconnect.
  accountPassword: null,
  serverPassword: null,
  welcomed: false,
  operator: false,
  everWelcomed: false,
  lostAt: 0,           // when the connection was lost (nick retry window)
  quitting: false,
  limits: null,
  conversations: new Map(),
  current: null,
  pending: new Map(),  // ref -> what it was for
};
const server = new Conversation('*', 'server', 'server');
state.conversations.set('*', server);
state.current = '*';

const wsUrl = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;
const connection = new Connection(wsUrl, {
  onOpen: () => sayHello(),
  onFrame: (frame) => onFrame(frame),
  onClose: (info) => onClose(info),
  onReconnecting: (delay) => setStatus(`connection lost, reconnecting in ${(delay / 1000).toFixed(1)} s`, 'bad'),
});

// ---- conversations and rendering

function roomKey(name) { return `#${fold(name.substring(1))}`; }
function privateKey(nick) { return `@${fold(nick)}`; }

function conversation(key) { return state.conversations.get(key); }

function roomConversation(name) {
  const key = roomKey(name);
  let c = conversation(key);
  if (!c) {
    c = new Conversation(key, 'room', name);
    state.conversations.set(key, c);
  }
  return c;
}

function privateConversation(nick) {
  const key = privateKey(nick);
  let c = conversation(key);
  if (!c) {
    c = new Conversation(key, 'private', nick);
    state.conversations.set(key, c);
  }
  c.name = nick;
  return c;
}

function currentConversation() { return conversation(state.current) || server; }

/** Adds a line to a conversation; live lines in another conversation count as unread. */
function addLine(c, line, { unread = false } = {}) {
  c.lines.push(line);
  if (c.lines.length > 2000) c.lines.shift().remove();
  if (c.key === state.current) {
    const atBottom = ui.messages.scrollHeight - ui.messages.scrollTop - ui.messages.clientHeight < 40;
    ui.messages.append(line);
    if (atBottom) line.scrollIntoView({ block: 'end' });
  } else if (unread) {
    c.unread++;
    renderList();
  }
}

function notice(text, kind, c = currentConversation()) {
  addLine(c, noticeLine(text, kind));
}

function switchTo(key) {
  if (!conversation(key)) return;
  state.current = key;
  const c = conversation(key);
  c.unread = 0;
  ui.messages.replaceChildren(...c.lines);
  const last = c.lines[c.lines.length - 1];
  if (last) last.scrollIntoView({ block: 'end' });
  renderHeader();
  renderList();
}

function renderHeader() {
  const c = currentConversation();
  ui.title.textContent = c.kind === 'private' ? `@${c.name}` : c.kind === 'room' ? c.name : 'loomchat';
  ui.members.textContent = c.kind === 'room' && c.joined ? `${c.members.size} member${c.members.size === 1 ? '' : 's'}` : '';
  ui.part.hidden = c.kind === 'server';
  ui.part.textContent = c.kind === 'private' ? 'Close' : 'Leave';
  ui.input.placeholder = c.kind === 'server' ? '/join #room, or /help' : `Message ${ui.title.textContent}, or /help`;
}

function renderList() {
  const entry = (c, label, count) => {
    const li = el('li');
    const button = el('button', `conversation-button${c.key === state.current ? ' current' : ''}`);
    button.type = 'button';
    button.dataset.key = c.key;
    button.append(el('span', 'name', label));
    if (count !== null) button.append(el('span', 'count', String(count)));
    if (c.unread > 0) {
      const badge = el('span', 'unread', String(c.unread));
      badge.setAttribute('aria-label', `${c.unread} unread`);
      button.append(badge);
    }
    if (c.key === state.current) button.setAttribute('aria-current', 'true');
    button.addEventListener('click', () => { switchTo(c.key); ui.input.focus(); });
    li.append(button);
    return li;
  };
  const all = [...state.conversations.values()];
  ui.rooms.replaceChildren(...all.filter((c) => c.kind === 'room' && c.joined)
    .map((c) => entry(c, c.name, c.members.size)));
  ui.privates.replaceChildren(...all.filter((c) => c.kind === 'private').map((c) => entry(c, `@${c.name}`, null)));
  const unread = all.reduce((n, c) => n + c.unread, 0);
  document.title = unread > 0 ? `(${unread}) loomchat` : 'loomchat';
  renderHeader();
}

function setStatus(text, kind) {
  ui.status.textContent = text;
  ui.status.className = `status ${kind || ''}`;
}

function rememberRooms() {
  store.rooms = [...state.conversations.values()].filter((c) => c.kind === 'room' && c.joined).map((c) => c.name);
}

// ---- session

function sayHello() {
  setStatus('connected, saying hello…');
  state.welcomed = false;
  const hello = { type: 'hello', nick: state.wanted, client: CLIENT };
  if (state.accountPassword) hello.accountPassword = state.accountPassword;
  if (state.serverPassword) hello.password = state.serverPassword;
  const ref = connection.send(hello);
  state.pending.set(ref, { kind: 'hello' });
}

function onClose(info) {
  const wasWelcomed = state.welcomed;
  state.welcomed = false;
  state.pending.clear();
  for (const c of state.conversations.values()) {
    if (c.kind === 'room') c.members.clear();
  }
  if (state.quitting) {
    setStatus('disconnected (you quit; reload the page to chat again)');
    return;
  }
  if (wasWelcomed) {
    state.lostAt = Date.now();
    for (const c of state.conversations.values()) notice('connection lost, reconnecting…', 'bad', c);
  }
  if (info.code === 1008 || info.code === 1009) setStatus(`closed by the server: ${info.reason}`, 'bad');
}

function onWelcome(frame) {
  const back = state.everWelcomed;
  state.welcomed = true;
  state.everWelcomed = true;
  state.nick = frame.nick;
  state.limits = frame.limits || null;
  state.operator = frame.operator === true;
  if (fold(frame.nick) === fold(store.nick || frame.nick) || !back) store.nick = frame.nick;
  connection.welcomed();
  setStatus(`connected as ${frame.nick}${state.operator ? ' (server operator: /help lists your commands)' : ''}`, 'good');
  ui.login.hidden = true;
  ui.chat.hidden = false;
  if (back) {
    for (const c of state.conversations.values()) notice(`reconnected as ${frame.nick}`, 'good', c);
  }
  const rooms = [...state.conversations.values()].filter((c) => c.kind === 'room' && c.joined).map((c) => c.name);
  const toJoin = rooms.length ? rooms : store.rooms;
  for (const name of toJoin) join(name, false);
  if (state.current === '*' && toJoin.length === 0) renderList();
  ui.input.focus();
}

function join(name, switchWhenJoined) {
  const ref = connection.send({ type: 'join', room: name });
  if (ref) state.pending.set(ref, { kind: 'join', room: name, switchTo: switchWhenJoined, fresh: 0 });
}

function onFrame(frame) {
  const pending = frame.ref !== undefined ? state.pending.get(frame.ref) : undefined;
  switch (frame.type) {
    case 'welcome': state.pending.delete(frame.ref); onWelcome(frame); break;
    case 'joined': onJoined(frame, pending); break;
    case 'message': onMessage(frame, pending); break;
    case 'history': onHistory(frame, pending); break;
    case 'parted': onParted(frame); break;
    case 'nick': onNick(frame); break;
    case 'who': onWho(frame, pending); break;
    case 'rooms': onRooms(frame); break;
    case 'killed':
      state.pending.delete(frame.ref);
      notice(`killed ${frame.nick}${frame.message ? `: ${frame.message}` : ''}`);
      break;
    case 'bans': onBans(frame); break;
    case 'error': onError(frame, pending); break;
    case 'ping': connection.sendBare({ type: 'pong' }); break;
    case 'pong': state.pending.delete(frame.ref); break;
    case 'shutdown':
      for (const c of state.conversations.values()) notice(`server shutting down: ${frame.message}`, 'bad', c);
      break;
    case 'bye': setStatus('disconnected (you quit; reload the page to chat again)'); break;
    default: break; // a later protocol's frame: ignored (PROTOCOL.md §12)
  }
}

function onJoined(frame, pending) {
  const c = roomConversation(frame.room);
  if (pending && pending.kind === 'join') {
    c.name = frame.room;
    const first = !c.joined;
    c.joined = true;
    c.members.clear();
    if (first) addLine(c, presenceLine(frame.ts, ['you joined ', frame.room]));
    rememberRooms();
    const ref = connection.send({ type: 'who', room: frame.room });
    if (ref) state.pending.set(ref, { kind: 'members' });
    if (pending.switchTo || state.current === '*') switchTo(c.key);
    renderList();
    return;
  }
  if (!c.joined) return;
  c.members.set(fold(frame.nick), frame.nick);
  addLine(c, presenceLine(frame.ts, [{ nick: frame.nick }, ' joined']));
  renderList();
}

function onMessage(frame, pending) {
  let c;
  if (frame.room !== undefined) {
    c = roomConversation(frame.room);
  } else {
    const other = fold(frame.from) === fold(state.nick || '') ? frame.to : frame.from;
    c = privateConversation(other);
  }
  const key = `${frame.id}/${frame.ts}/${fold(frame.from)}`;
  if (c.seen.has(key)) return; // a replay after a reconnect, or the same message twice
  c.seen.add(key);
  if (pending && pending.kind === 'join' && frame.replay) pending.fresh++;
  if (pending && pending.kind === 'history' && frame.replay) pending.fresh++;
  const own = pending && (pending.kind === 'say' || pending.kind === 'msg');
  if (own) state.pending.delete(frame.ref);
  addLine(c, messageLine(frame, state.nick), { unread: !frame.replay && !own });
  if (own && c.key !== state.current) switchTo(c.key);
  if (c.kind === 'private' && !own) renderList();
}

function onHistory(frame, pending) {
  state.pending.delete(frame.ref);
  const c = roomConversation(frame.room);
  if (pending && pending.fresh > 0) {
    addLine(c, noticeLine(`${pending.fresh} earlier message${pending.fresh === 1 ? '' : 's'} shown from the room's history`, 'history'));
  } else if (pending && pending.kind === 'history') {
    notice(`history ${frame.room}: ${frame.count} message${frame.count === 1 ? '' : 's'}, all shown already`);
  }
}

function onParted(frame) {
  const c = roomConversation(frame.room);
  if (fold(frame.nick) === fold(state.nick || '')) {
    c.joined = false;
    state.conversations.delete(c.key);
    rememberRooms();
    if (state.current === c.key) {
      const next = [...state.conversations.values()].find((x) => x.kind === 'room') || server;
      switchTo(next.key);
    }
    notice(`you left ${frame.room}`);
    renderList();
    return;
  }
  c.members.delete(fold(frame.nick));
  const why = (frame.reason && frame.reason !== 'part' ? ` (${frame.reason})` : '')
    + (frame.message ? `: ${frame.message}` : '');
  addLine(c, presenceLine(frame.ts, [{ nick: frame.nick }, ` left${why}`]));
  renderList();
}

function onNick(frame) {
  const mine = state.nick !== null && fold(frame.old) === fold(state.nick);
  if (mine) {
    state.nick = frame.nick;
    state.wanted = frame.nick;
    store.nick = frame.nick;
    setStatus(`connected as ${frame.nick}`, 'good');
  }
  for (const c of state.conversations.values()) {
    if (c.kind === 'room' && (c.members.has(fold(frame.old)) || mine)) {
      c.members.delete(fold(frame.old));
      c.members.set(fold(frame.nick), frame.nick);
      addLine(c, presenceLine(frame.ts, mine ? ['you are now ', { nick: frame.nick }]
        : [{ nick: frame.old }, ' is now ', { nick: frame.nick }]));
    }
  }
  renderList();
}

function onWho(frame, pending) {
  state.pending.delete(frame.ref);
  const c = roomConversation(frame.room);
  c.members = new Map(frame.nicks.map((n) => [fold(n), n]));
  if (pending && pending.kind === 'who') {
    notice(`members of ${frame.room}: ${[...frame.nicks].sort().join(', ')}`);
  }
  renderList();
}

function onRooms(frame) {
  state.pending.delete(frame.ref);
  if (frame.rooms.length === 0) {
    notice('no rooms');
    return;
  }
  notice(`rooms: ${frame.rooms.map((r) => `${r.room} (${r.members})`).join(', ')}`);
}

/** One ban as text: who or what, by whom, until when, why. */
function banText(ban) {
  const until = ban.expires ? `until ${new Date(ban.expires).toLocaleString()}` : 'until lifted';
  return `${ban.account || ban.address} (by ${ban.by}, ${until}${ban.reason ? `: ${ban.reason}` : ''})`;
}

function onBans(frame) {
  state.pending.delete(frame.ref);
  if (frame.event) {
    for (const ban of frame.bans) notice(`ban ${frame.event}: ${banText(ban)}`);
    return;
  }
  notice(frame.bans.length ? `bans: ${frame.bans.length}` : 'no bans');
  for (const ban of frame.bans) notice(`  ${banText(ban)}`);
}

function onError(frame, pending) {
  state.pending.delete(frame.ref);
  if (pending && pending.kind === 'hello') {
    onHelloRefused(frame);
    return;
  }
  notice(`error ${frame.code}: ${frame.message}`, 'bad');
}

/** A refused hello: at the first login the form says why; on a reconnect the nick is retried, then nick_ taken. */
function onHelloRefused(frame) {
  if (!state.everWelcomed) {
    connection.stop();
    connection.drop();
    ui.loginError.textContent = `${frame.code}: ${frame.message}`;
    ui.login.hidden = false;
    ui.chat.hidden = true;
    setStatus('not connected');
    ui.nickInput.focus();
    return;
  }
  if (frame.code === 'nick_in_use') {
    if (Date.now() - state.lostAt > NICK_RETRY_MS && !state.wanted.endsWith('_')) {
      state.wanted = `${state.wanted}_`;
      for (const c of state.conversations.values()) notice(`your nick stayed taken; trying ${state.wanted}`, 'bad', c);
    }
    setTimeout(() => sayHello(), 1000);
    return;
  }
  setStatus(`the server refused hello: ${frame.message}`, 'bad');
}

// ---- what the user types

function run(line) {
  const command = parse(line);
  const c = currentConversation();
  const textLimit = state.limits ? state.limits.maxTextChars : 4000;
  const tooLong = (text) => [...text].length > textLimit;
  if (command.kind === 'empty') return true;
  if (command.kind === 'help') {
    const listed = state.operator ? COMMANDS.concat(OPERATOR_COMMANDS) : COMMANDS;
    for (const [name, , what] of listed) notice(`${usageOf(name).padEnd(22)} ${what}`);
    notice('other lines go to the current conversation; start a line with // to send text beginning with /');
    return true;
  }
  if (command.kind === 'invalid') {
    notice(`error ${command.code}: ${command.message}`, 'bad');
    return false;
  }
  if (command.kind === 'switch') {
    const target = conversation(roomKey(command.room));
    if (!target || !target.joined) {
      notice(`error not_in_room: you are not in ${command.room}`, 'bad');
      return false;
    }
    switchTo(target.key);
    return true;
  }
  if (!state.welcomed) {
    notice('error not_connected: not connected; wait for the reconnection', 'bad');
    return false;
  }
  const send = (request, pending) => {
    const ref = connection.send(request);
    if (ref) state.pending.set(ref, pending || { kind: request.type });
    return ref !== null;
  };
  switch (command.kind) {
    case 'say': case 'me': {
      const text = command.kind === 'me' ? `/me ${command.text}` : command.text;
      if (tooLong(text)) { notice(`error bad_text: longer than ${textLimit} characters`, 'bad'); return false; }
      if (c.kind === 'room') return send({ type: 'say', room: c.name, text }, { kind: 'say' });
      if (c.kind === 'private') return send({ type: 'msg', to: c.name, text }, { kind: 'msg' });
      notice('error no_room: join a room first (/join #room)', 'bad');
      return false;
    }
    case 'msg':
      if (tooLong(command.text)) { notice(`error bad_text: longer than ${textLimit} characters`, 'bad'); return false; }
      return send({ type: 'msg', to: command.to, text: command.text }, { kind: 'msg' });
    case 'join': {
      const existing = conversation(roomKey(command.room));
      if (existing && existing.joined) { switchTo(existing.key); return true; }
      join(command.room, true);
      return true;
    }
    case 'part': {
      if (command.room === null && c.kind === 'private') {
        state.conversations.delete(c.key);
        switchTo((([...state.conversations.values()].find((x) => x.kind === 'room')) || server).key);
        return true;
      }
      const name = command.room || (c.kind === 'room' ? c.name : null);
      if (!name) { notice('error no_room: which room? /part #room', 'bad'); return false; }
      return send({ type: 'part', room: name });
    }
    case 'nick':
      return send({ type: 'nick', nick: command.nick });
    case 'who': {
      const name = command.room || (c.kind === 'room' ? c.name : null);
      if (!name) { notice('error no_room: which room? /who #room', 'bad'); return false; }
      return send({ type: 'who', room: name }, { kind: 'who' });
    }
    case 'rooms':
      return send({ type: 'rooms' });
    case 'history': {
      const name = command.room || (c.kind === 'room' ? c.name : null);
      if (!name) { notice('error no_room: which room? /history #room', 'bad'); return false; }
      const request = { type: 'history', room: name };
      if (command.limit !== null) request.limit = command.limit;
      return send(request, { kind: 'history', fresh: 0 });
    }
    case 'operator':
      return send(command.request);
    case 'quit':
      state.quitting = true;
      connection.stop();
      return send({ type: 'quit' });
    default:
      return false;
  }
}

// ---- wiring

ui.loginForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const nick = ui.nickInput.value.trim();
  const error = nickError(nick);
  if (error) { ui.loginError.textContent = error; return; }
  const room = ui.roomInput.value.trim();
  if (room !== '') {
    const name = roomName(room);
    const roomProblem = roomError(name);
    if (roomProblem) { ui.loginError.textContent = roomProblem; return; }
    if (!store.rooms.some((r) => fold(r) === fold(name))) store.rooms = [...store.rooms, name];
  }
  ui.loginError.textContent = '';
  state.wanted = nick;
  state.accountPassword = ui.accountPasswordInput.value || null;
  state.serverPassword = ui.serverPasswordInput.value || null;
  ui.accountPasswordInput.value = '';
  ui.serverPasswordInput.value = '';
  store.nick = nick;
  store.needsPassword = state.accountPassword !== null || state.serverPassword !== null;
  connection.start();
});

ui.composer.addEventListener('submit', (event) => {
  event.preventDefault();
  if (run(ui.input.value)) ui.input.value = '';
  ui.input.focus();
});

ui.joinForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const value = ui.joinInput.value.trim();
  if (value === '') return;
  if (run(`/join ${value}`)) ui.joinInput.value = '';
});

ui.part.addEventListener('click', () => run('/part'));

renderList();
// A reload forgets the passwords: a login that needed one asks again instead of being refused.
if (store.nick && !nickError(store.nick) && !store.needsPassword) {
  ui.nickInput.value = store.nick;
  state.wanted = store.nick;
  ui.login.hidden = true;
  ui.chat.hidden = false;
  connection.start();
} else {
  if (store.nick && !nickError(store.nick)) ui.nickInput.value = store.nick;
  ui.nickInput.focus();
}
