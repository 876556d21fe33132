// Words, orders and durations shared by every view.

/** States in the order people look for them; `attention` marks those that need a person. */
export const STATES = [
  { name: 'waiting', label: 'waiting', attention: true },
  { name: 'unsubmitted', label: 'unsubmitted', attention: true },
  { name: 'error', label: 'error', attention: true },
  { name: 'crashed', label: 'crashed', attention: true },
  { name: 'rate_limited', label: 'rate-limited', attention: true },
  { name: 'working', label: 'working', attention: false },
  { name: 'idle', label: 'idle', attention: false },
  { name: 'starting', label: 'starting', attention: false },
  { name: 'unknown', label: 'unknown', attention: false },
];

const BY_NAME = new Map(STATES.map((s, i) => [s.name, { ...s, rank: i }]));

export const HEALTH = ['healthy', 'warning', 'critical', 'unresponsive'];

export function stateLabel(name) {
  return BY_NAME.get(name)?.label ?? name ?? '?';
}

export function stateRank(name) {
  return BY_NAME.get(name)?.rank ?? STATES.length;
}

/** Whether the agent needs a person: an attention state, or hooks that stalled. */
export function needsAttention(agent) {
  return Boolean(BY_NAME.get(agent.state)?.attention || agent.hooks?.stalled);
}

/** "42s", "4m 12s", "3h 05m", "2d 4h". */
export function duration(ms) {
  if (!Number.isFinite(ms) || ms < 0) {
    ms = 0;
  }
  const s = Math.floor(ms / 1000);
  if (s < 60) {
    return `${s}s`;
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  }
  const h = Math.floor(m / 60);
  if (h < 48) {
    return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  }
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

export function since(iso, now = Date.now()) {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : duration(now - t);
}

export function clock(iso) {
  const t = new Date(iso);
  return Number.isNaN(t.getTime()) ? '' : t.toLocaleTimeString();
}

/** An element with classes and text; children appended. */
export function el(tag, className, text, ...children) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined && text !== null) {
    node.textContent = text;
  }
  children.forEach((c) => c && node.append(c));
  return node;
}

/** A state as colour and word together (never colour alone). */
export function badge(state) {
  const b = el('span', `badge state-${state}`, stateLabel(state));
  b.dataset.state = state;
  return b;
}

/** Sets text only when it changed (most updates change nothing, and a write costs a layout). */
export function setText(node, text) {
  if (node.textContent !== text) {
    node.textContent = text;
  }
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellWord(word) {
  return /^[A-Za-z0-9_%@.:\/=+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
