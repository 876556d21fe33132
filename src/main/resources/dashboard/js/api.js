// Talking to the daemon: JSON over fetch with the bearer token when one is set, and Server-Sent Events read from a
// fetch stream (EventSource can send neither an Authorization header nor a Last-Event-ID of our choosing).

const TOKEN_KEY = 'tmux-orc.token';

export class Unauthorized extends Error {}

export class HttpError extends Error {
  constructor(status, detail) {
    super(`HTTP ${status}${detail ? ': ' + detail : ''}`);
    this.status = status;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

function headers(extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  const t = token();
  if (t) {
    h.Authorization = 'Bearer ' + t;
  }
  return h;
}

async function request(path, init) {
  const response = await fetch(path, { cache: 'no-store', ...init, headers: headers(init.headers) });
  if (response.status === 401) {
    throw new Unauthorized(path);
  }
  if (!response.ok) {
    let detail = '';
    try {
      const body = await response.json();
      detail = body.detail || body.error || '';
    } catch (ignored) {
      // not JSON: the status says enough
    }
    throw new HttpError(response.status, detail);
  }
  return response;
}

export async function getJson(path, signal) {
  return (await request(path, { signal })).json();
}

export async function postJson(path, body) {
  const response = await request(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  return response.json();
}

/** The path of an agent's resource: pane ids start with '%', which must travel as %25. */
export function agentPath(paneId, rest = '') {
  return '/api/agents/' + encodeURIComponent(paneId) + rest;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One Server-Sent Events stream that reconnects by itself (0.5 s, doubling to 5 s) and resumes after the last
 * event id it saw. Callbacks: onEvent({id, type, data}), onState('connecting'|'live'|'reconnecting'|'unauthorized'),
 * onOpen(reconnected) after every successful (re)connection.
 */
export class EventStream {
  constructor(url, { onEvent, onState = () => {}, onOpen = () => {}, resume = true, silenceMs = 45000 }) {
    this.url = url;
    this.onEvent = onEvent;
    this.onState = onState;
    this.onOpen = onOpen;
    this.resume = resume;
    this.silenceMs = silenceMs;
    this.lastId = null;
    this.closed = false;
    this.controller = null;
  }

  start(lastId = null) {
    this.lastId = lastId;
    this.run();
    return this;
  }

  close() {
    this.closed = true;
    this.controller?.abort();
  }

  async run() {
    let backoff = 500;
    let opened = 0;
    while (!this.closed) {
      this.controller = new AbortController();
      const h = headers({ Accept: 'text/event-stream' });
      if (this.resume && this.lastId !== null) {
        h['Last-Event-ID'] = String(this.lastId);
      }
      let watchdog = null;
      try {
        this.onState(opened ? 'reconnecting' : 'connecting');
        const response = await fetch(this.url, { headers: h, signal: this.controller.signal, cache: 'no-store' });
        if (response.status === 401) {
          this.onState('unauthorized');
          return;
        }
        if (!response.ok) {
          throw new HttpError(response.status);
        }
        this.onState('live');
        backoff = 500;
        opened++;
        this.onOpen(opened > 1);
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        // The server sends a comment every keep-alive: a stream silent for much longer is dead (a daemon frozen,
        // a network gone) even if the socket never says so.
        const arm = () => {
          clearTimeout(watchdog);
          watchdog = setTimeout(() => this.controller.abort(), this.silenceMs);
        };
        arm();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) {
            break;
          }
          arm();
          buffer += value;
          let match;
          while ((match = FRAME_END.exec(buffer)) !== null) {
            this.dispatch(buffer.slice(0, match.index));
            buffer = buffer.slice(match.index + match[0].length);
          }
        }
      } catch (e) {
        if (e instanceof Unauthorized) {
          this.onState('unauthorized');
          return;
        }
        // a network error or the daemon going away: reconnect below
      } finally {
        clearTimeout(watchdog);
      }
      if (this.closed) {
        return;
      }
      this.onState('reconnecting');
      await sleep(backoff);
      backoff = Math.min(backoff * 2, 5000);
    }
  }

  dispatch(frame) {
    let id = null;
    let type = 'message';
    const data = [];
    for (const line of frame.split(/\r\n|\r|\n/)) {
      if (line === '' || line.startsWith(':')) {
        continue;
      }
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'id') {
        id = value;
      } else if (field === 'event') {
        type = value;
      } else if (field === 'data') {
        data.push(value);
      }
    }
    if (id !== null) {
      this.lastId = id;
    }
    if (data.length === 0) {
      return;
    }
    let parsed;
    try {
      parsed = JSON.parse(data.join('\n'));
    } catch (e) {
      parsed = data.join('\n');
    }
    this.onEvent({ id, type, data: parsed });
  }
}

// A frame ends with a blank line.
const FRAME_END = /(?:\r\n|\r|\n)(?:\r\n|\r|\n)/;
