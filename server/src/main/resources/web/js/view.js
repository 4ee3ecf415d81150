// Building the page's elements. Every text that comes from the wire or the user goes in with
// textContent (or a text node): nothing here parses HTML, so a message is always shown as text.

import { colorOf } from './nickcolors.js';

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

export function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = text;
  return node;
}

export function nickSpan(nick) {
  const span = el('span', `nick nick-${colorOf(nick)}`, nick);
  return span;
}

function timeOf(ts) {
  const time = el('time', 'time', timeFormat.format(new Date(ts)));
  time.dateTime = new Date(ts).toISOString();
  time.title = dateTimeFormat.format(new Date(ts));
  return time;
}

/** A chat message line: time, nick, text; "/me" as an action; replay and own marked. */
export function messageLine(message, ownNick) {
  const li = el('li', 'line message');
  li.dataset.id = String(message.id);
  if (message.replay) li.classList.add('replay');
  if (ownNick !== null && message.from.toLowerCase() === ownNick.toLowerCase()) li.classList.add('own');
  li.append(timeOf(message.ts));
  if (message.replay) li.append(el('span', 'tag', 'history'));
  const action = message.text.startsWith('/me ');
  if (action) {
    li.classList.add('action');
    li.append(el('span', 'star', '*'), nickSpan(message.from), el('span', 'text', message.text.substring(4)));
  } else {
    li.append(nickSpan(message.from), el('span', 'text', message.text));
  }
  return li;
}

/** A presence line (join, part, nick change): parts are strings or {nick}. */
export function presenceLine(ts, parts) {
  const li = el('li', 'line presence');
  if (ts) li.append(timeOf(ts));
  const body = el('span', 'text');
  for (const part of parts) {
    body.append(typeof part === 'string' ? document.createTextNode(part) : nickSpan(part.nick));
  }
  li.append(body);
  return li;
}

/** A notice from the page itself (errors, command output, connection state). */
export function noticeLine(text, kind) {
  const li = el('li', `line notice${kind ? ` ${kind}` : ''}`);
  li.append(el('span', 'text', text));
  return li;
}
