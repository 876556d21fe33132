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

/** The JSON and the server's time of the answer (its Date header, to the second; 0 when missing). */
export async function getJsonAt(path) {
  const response = await request(path, {});
  const at = Date.parse(response.headers.get('Date') ?? '');
  return { body: await response.json(), at: Number.isNaN(at) ? 0 : at };
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
 * event id it saw. Callbacks: onEvent({id, type, data}); onState('connecting'|'live'|'reconnecting'|
 * 'unauthorized'|'missing'): 'unauthorized' (401) and 'missing' (404) end it; onOpen(reconnected) after every
 * successful (re)connection; resumeFrom(lastId) before each reconnection, answering the id to resume after (or
 * null: live only), e.g. to skip a gap too long to replay.
 */
export class EventStream {
  constructor(url, { onEvent, onState = () => {}, onOpen = () => {}, resume = true, resumeFrom = async (id) => id,
    silenceMs = 75000 }) {
    this.url = url;
    this.onEvent = onEvent;
    this.onState = onState;
    this.onOpen = onOpen;
    this.resume = resume;
    this.resumeFrom = resumeFrom;
    // Longer than the server's keep-alive may be (below pekko's 60 s idle timeout): a stream silent this long
    // is dead (a frozen daemon, a network gone) even if the socket never says so.
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

  /** Ends the current connection; the stream reconnects (resuming or not, as resumeFrom says). */
  reconnect() {
    this.controller?.abort();
  }

  async run() {
    let backoff = 500;
    let opened = 0;
    while (!this.closed) {
      this.controller = new AbortController();
      let watchdog = null;
      try {
        this.onState(opened ? 'reconnecting' : 'connecting');
        if (this.resume && this.lastId !== null) {
          this.lastId = await this.resumeFrom(this.lastId);
        }
        const h = headers({ Accept: 'text/event-stream' });
        if (this.resume && this.lastId !== null) {
          h['Last-Event-ID'] = String(this.lastId);
        }
        const response = await fetch(this.url, { headers: h, signal: this.controller.signal, cache: 'no-store' });
        if (response.status === 401 || response.status === 404) {
          this.onState(response.status === 401 ? 'unauthorized' : 'missing');
          this.closed = true;
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
        const arm = () => {
          clearTimeout(watchdog);
          watchdog = setTimeout(() => this.controller.abort(), this.silenceMs);
        };
        arm();
        const frame = new FrameReader((event) => this.dispatch(event));
        for (;;) {
          const { value, done } = await reader.read();
          if (done) {
            break;
          }
          arm();
          frame.push(value);
        }
      } catch (e) {
        // a network error, the daemon going away, or an abort: reconnect below
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

  dispatch({ id, type, data }) {
    if (id !== null) {
      this.lastId = id;
    }
    if (data === null) {
      return;
    }
    let parsed;
    try {
      parsed = JSON.parse(data);
    } catch (e) {
      parsed = data;
    }
    this.onEvent({ id, type, data: parsed });
  }
}

/**
 * The event-stream format, line by line (LF, CRLF or CR, also when a chunk ends between CR and LF): fields
 * gather until an empty line dispatches them as one event.
 */
export class FrameReader {
  constructor(onFrame) {
    this.onFrame = onFrame;
    this.pending = '';
    this.reset();
  }

  reset() {
    this.id = null;
    this.type = 'message';
    this.data = [];
  }

  push(text) {
    let buffer = this.pending + text;
    // a CR at the very end may be the first half of a CRLF: wait for the next chunk
    this.pending = buffer.endsWith('\r') ? '\r' : '';
    if (this.pending) {
      buffer = buffer.slice(0, -1);
    }
    const lines = buffer.replace(/\r\n?/g, '\n').split('\n');
    this.pending = lines.pop() + this.pending;
    for (const line of lines) {
      this.line(line);
    }
  }

  line(line) {
    if (line === '') {
      if (this.data.length || this.id !== null) {
        this.onFrame({ id: this.id, type: this.type, data: this.data.length ? this.data.join('\n') : null });
      }
      this.reset();
      return;
    }
    if (line.startsWith(':')) {
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') {
      this.id = value;
    } else if (field === 'event') {
      this.type = value;
    } else if (field === 'data') {
      this.data.push(value);
    }
  }
}
