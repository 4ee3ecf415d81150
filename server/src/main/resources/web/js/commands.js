// The console client's slash commands (client/CommandParser.java): a typed line becomes one
// command object. Plain text is said in the current conversation; "//" starts text with "/".

export const COMMANDS = [
  ['/join', '#room', 'join a room (and make it the current room)'],
  ['/part', '[#room]', 'leave a room (default: the current room)'],
  ['/switch', '#room', 'make a joined room the current room'],
  ['/msg', 'nick text', 'send a private message'],
  ['/me', 'text', 'an action in the current room (shown as * nick text)'],
  ['/nick', 'nick', 'change your nick'],
  ['/who', '[#room]', 'list the members of a room (default: the current room)'],
  ['/rooms', '', 'list the rooms on the server'],
  ['/history', '[#room] [n]', 'replay the last n messages of a room'],
  ['/help', '', 'this list'],
  ['/quit', '', 'leave'],
];

// Server operators' commands (PROTOCOL.md §5 "Server operators"): /help lists them to operators
// only (the welcome says who is one); the server refuses them to anyone else.
export const OPERATOR_COMMANDS = [
  ['/kill', 'nick [reason]', 'disconnect a client from the server'],
  ['/ban', 'account|ip[/bits] [duration] [reason]', 'ban an account or an address, for 90s, 30m, 2h, 1d, 1w or until lifted'],
  ['/unban', 'account|ip[/bits]', 'lift a ban'],
  ['/bans', '', 'list the bans'],
];

const UNITS = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Seconds of 90s, 30m, 2h, 1d or 1w; null if the word is not one. */
export function seconds(word) {
  const m = /^(\d{1,7})([smhdw])$/.exec(word.toLowerCase());
  return m ? Number(m[1]) * UNITS[m[2]] : null;
}

/** A ban target: an address (it has a dot or a colon) or an account. */
function target(word) {
  return /[.:]/.test(word) ? { address: word } : { account: word };
}

const NICK = /^[A-Za-z_\[\]\\^{}|`][A-Za-z0-9_\-\[\]\\^{}|`]{0,31}$/;
const ROOM = /^#[A-Za-z0-9_.\-]{1,49}$/;

export function usageOf(name) {
  const spec = COMMANDS.concat(OPERATOR_COMMANDS).find(([n]) => n === name);
  return spec[1] ? `${spec[0]} ${spec[1]}` : spec[0];
}

/** The nick rules (PROTOCOL.md §9), explained; null when fine. */
export function nickError(nick) {
  if (NICK.test(nick)) return null;
  return `"${nick}" is not a nick: 1 to 32 of A-Z a-z 0-9 _ - [ ] \\ ^ { } | \`, not starting with a digit or -`;
}

/** The room rules, explained; null when fine. */
export function roomError(room) {
  if (ROOM.test(room)) return null;
  return `"${room}" is not a room: # and 1 to 49 of A-Z a-z 0-9 _ - .`;
}

/** A room name with its leading # added if it had none. */
export function room(name) {
  return name.startsWith('#') ? name : `#${name}`;
}

const usage = (name) => ({ kind: 'invalid', code: 'usage', message: usageOf(name) });

/** Parses one typed line into a command. */
export function parse(line) {
  const text = line.replace(/[\r\n]+$/, '');
  if (text.trim() === '') return { kind: 'empty' };
  if (!text.startsWith('/')) return { kind: 'say', text };
  if (text.startsWith('//')) return { kind: 'say', text: text.substring(1) };
  const trimmed = text.trim();
  const space = trimmed.search(/\s/);
  const word = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase();
  const rest = space < 0 ? '' : trimmed.substring(space + 1).trim();
  const words = rest === '' ? [] : rest.split(/\s+/);
  switch (word) {
    case '/join': {
      if (words.length !== 1) return usage('/join');
      const r = room(words[0]);
      const error = roomError(r);
      return error ? { kind: 'invalid', code: 'bad_room', message: error } : { kind: 'join', room: r };
    }
    case '/part': case '/leave':
      if (words.length > 1) return usage('/part');
      return { kind: 'part', room: words.length ? room(words[0]) : null };
    case '/switch':
      if (words.length !== 1) return usage('/switch');
      return { kind: 'switch', room: room(words[0]) };
    case '/nick': {
      if (words.length !== 1) return usage('/nick');
      const error = nickError(words[0]);
      return error ? { kind: 'invalid', code: 'bad_nick', message: error } : { kind: 'nick', nick: words[0] };
    }
    case '/who': case '/names':
      if (words.length > 1) return usage('/who');
      return { kind: 'who', room: words.length ? room(words[0]) : null };
    case '/rooms': case '/list':
      return words.length ? usage('/rooms') : { kind: 'rooms' };
    case '/help':
      return { kind: 'help' };
    case '/quit': case '/exit':
      return { kind: 'quit' };
    case '/me':
      return rest === '' ? usage('/me') : { kind: 'me', text: rest };
    case '/msg': case '/query': {
      const at = rest.search(/\s/);
      if (at < 0) return usage('/msg');
      const body = rest.substring(at + 1).trim();
      return body === '' ? usage('/msg') : { kind: 'msg', to: rest.substring(0, at), text: body };
    }
    case '/history': {
      let r = null;
      let limit = null;
      for (const arg of words) {
        if (/^\d{1,9}$/.test(arg) && limit === null) {
          limit = Number(arg);
          if (limit < 1) return usage('/history');
        } else if (r === null && limit === null && !/^-?\d+$/.test(arg)) {
          r = room(arg);
        } else {
          return usage('/history');
        }
      }
      return { kind: 'history', room: r, limit };
    }
    case '/kill': {
      if (words.length === 0) return usage('/kill');
      const reason = rest.substring(words[0].length).trim();
      return { kind: 'operator', request: { type: 'kill', nick: words[0], ...(reason ? { reason } : {}) } };
    }
    case '/ban': {
      if (words.length === 0) return usage('/ban');
      const duration = words.length > 1 ? seconds(words[1]) : null;
      const reason = words.slice(duration === null ? 1 : 2).join(' ');
      return { kind: 'operator', request: { type: 'ban', ...target(words[0]),
        ...(duration === null ? {} : { duration }), ...(reason ? { reason } : {}) } };
    }
    case '/unban':
      if (words.length !== 1) return usage('/unban');
      return { kind: 'operator', request: { type: 'unban', ...target(words[0]) } };
    case '/bans':
      return words.length ? usage('/bans') : { kind: 'operator', request: { type: 'bans' } };
    default:
      return { kind: 'invalid', code: 'unknown_command', message: `unknown command ${word} (try /help)` };
  }
}
