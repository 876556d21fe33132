// The dashboard: loads the fleet, follows /api/events, and routes between the fleet (#/) and an agent
// (#/agent/%253). No polling: after the first read everything arrives on the event stream (a re-read once a
// minute is only a safety net for what no event carries: time in each state, last activity).

import { EventStream, Unauthorized, agentPath, getJson, getJsonAt, setToken, token } from './api.js';
import { el } from './format.js';
import { Fleet } from './store.js';
import { FleetView, remember } from './fleet-view.js';
import { AgentView, actionItem } from './agent-view.js';
import { Charts } from './charts.js';

const RESYNC_EVERY_MS = 60000;
/** A hidden tab lets its streams go after this long: browsers allow 6 connections per host. */
const HIDDEN_GRACE_MS = 15000;
const RECENT = 200;

const fleet = new Fleet();
const fleetView = new FleetView(fleet);
const agentView = new AgentView(fleet);
const charts = new Charts();
const connection = document.getElementById('connection');
const banner = document.getElementById('banner');
const recentActions = document.getElementById('recent-actions');
const tokenDialog = document.getElementById('token-dialog');
let events = null;
let resyncTimer = 0;
let lastResync = 0;
let hiddenTimer = 0;
/** Entries that arrived while a snapshot was being read, applied again on top of it. */
let duringResync = null;
const refetch = new Set();
let refetchTimer = 0;
const goneAt = new Map();

// For the browser tests and the load harness: how the page is doing, read without touching its DOM.
// recent: the last entries seen ({seq, type, paneId, to}); resumedAfter: the Last-Event-ID of each reconnection.
window.tmuxOrc = { fleet, stats: fleetView.stats, events: 0, connection: 'connecting', lastEventId: null,
  boot: {}, recent: [], resumedAfter: [] };

function setConnection(state) {
  window.tmuxOrc.connection = state;
  document.body.dataset.connection = state;
  const words = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', unauthorized: 'Token needed',
    paused: 'Paused (tab hidden)' };
  connection.textContent = words[state] ?? state;
  banner.hidden = state !== 'reconnecting';
  if (state === 'reconnecting') {
    banner.textContent = 'Lost the connection to tmux-orc: reconnecting… (what is shown may be out of date)';
  }
  if (state === 'unauthorized') {
    askToken(token() ? 'The token was refused.' : '');
  }
}

/** Everything the page shows, read afresh (at start, after a reconnection, once a minute, when a token is given). */
async function resync() {
  lastResync = Date.now();
  const boot = window.tmuxOrc.boot;
  const t0 = performance.now();
  duringResync = [];
  try {
    const [status, agents] = await Promise.all([
      getJson('/api/status').finally(() => { boot.statusMs ??= performance.now() - t0; }),
      getJsonAt('/api/agents').finally(() => { boot.agentsMs ??= performance.now() - t0; }),
    ]);
    fleet.setStatus(status);
    // a second's margin: the Date header is whole seconds, and an event may reach the fleet's read model a moment
    // after it was published (applying one already in the snapshot again changes nothing)
    fleet.replaceAll(agents.body, agents.at - 1000);
    // what arrived meanwhile and is newer than the snapshot goes on top of it
    duringResync.forEach((entry) => apply(entry));
    showPaused(status.paused, status.pausedUntil);
    if (status.journal && status.journal.enabled === false) {
      banner.hidden = false;
      banner.textContent = 'tmux-orc runs without its journal (tmux-orc.journal.enabled = false): this page '
        + 'shows what it read, and nothing live.';
    }
    return status;
  } finally {
    duringResync = null;
  }
}

function showPaused(paused, until) {
  const badge = document.getElementById('paused');
  badge.hidden = !paused;
  badge.textContent = paused ? `actions paused${until ? ' until ' + new Date(until).toLocaleTimeString() : ''}` : '';
}

async function loadActions() {
  const actions = await getJson('/api/actions?limit=20').catch(() => []);
  recentActions.replaceChildren(...actions.reverse().map(actionItem));
  if (actions.length === 0) {
    recentActions.append(el('li', 'muted', 'None yet. Actions are off unless configured (docs/actions.md).'));
  }
}

function apply(data) {
  const again = fleet.apply(data);
  if (again) {
    refetch.add(again);
    if (!refetchTimer) {
      refetchTimer = setTimeout(fetchChanged, 200);
    }
  }
}

function onEntry({ id, data }) {
  if (!data || typeof data !== 'object') {
    return; // a keep-alive
  }
  window.tmuxOrc.events++;
  window.tmuxOrc.lastEventId = id;
  remember(window.tmuxOrc.recent, { seq: Number(id), type: data.type, paneId: data.paneId, to: data.to });
  if (window.tmuxOrc.recent.length > RECENT) {
    window.tmuxOrc.recent.splice(0, window.tmuxOrc.recent.length - RECENT);
  }
  if (data.type === 'StateChanged' && data.atMillis) {
    remember(fleetView.stats.eventLagMs, Date.now() - data.atMillis); // published → here, for the benchmark
  }
  if (data.type === 'AgentGone') {
    goneAt.set(data.paneId, Date.now());
  }
  duringResync?.push(data);
  apply(data);
  charts.add(data);
  agentView.onEntry(data);
  if (data.type === 'Action') {
    recentActions.querySelector('.muted')?.remove();
    recentActions.prepend(actionItem(data));
    while (recentActions.children.length > 20) {
      recentActions.lastElementChild.remove();
    }
  } else if (data.type === 'MonitorPaused') {
    showPaused(true, data.until);
  } else if (data.type === 'MonitorResumed') {
    showPaused(false);
  } else if (data.type === 'CycleReport' && document.visibilityState === 'visible'
      && Date.now() - lastResync > RESYNC_EVERY_MS) {
    clearTimeout(resyncTimer);
    resyncTimer = setTimeout(() => resync().catch(() => {}), 100);
  }
}

// New, restarted or flagged agents: each read again, or the whole fleet when many changed at once.
async function fetchChanged() {
  refetchTimer = 0;
  const panes = [...refetch];
  refetch.clear();
  if (panes.length > 20) {
    await resync().catch(() => {});
    return;
  }
  const asked = Date.now();
  await Promise.all(panes.map((paneId) => getJson(agentPath(paneId)).then((agent) => {
    if ((goneAt.get(paneId) ?? 0) < asked) { // gone while it was being read: no ghost row
      fleet.upsert(agent);
    }
  }).catch(() => {})));
  for (const [paneId, at] of goneAt) {
    if (at < asked - 60000) {
      goneAt.delete(paneId);
    }
  }
}

// Resume after the last entry seen, unless the journal was begun anew (its numbers start again below ours). A long
// outage is replayed in pages of sse.resume-limit entries; what the fleet's snapshot already holds is skipped.
// (Numbers are not counts: a monitor's journal leaves a gap in them at each start.)
async function resumeFrom(lastId) {
  const status = await getJson('/api/status');
  const last = status.journal?.lastSeq;
  const seen = lastId === null ? null : Number(lastId);
  let resumed = seen;
  if (seen !== null && typeof last === 'number' && last > 0 && seen > last) { // 0: its file is still opening
    resumed = null;
  }
  window.tmuxOrc.resumedAfter.push(resumed);
  return resumed;
}

function follow() {
  events?.close();
  events = new EventStream('/api/events', {
    onEvent: onEntry,
    onState: setConnection,
    resumeFrom,
    onOpen: (reconnected) => {
      if (reconnected) {
        // the daemon may have restarted: read everything again; the stream resumed after the last event seen
        resync().catch(() => {});
        loadActions();
      }
    },
  }).start(events?.lastId ?? null);
}

async function start() {
  try {
    follow(); // first, so that what happens while the snapshot is read arrives too
    await resync();
    await Promise.all([charts.load().catch(() => {}), loadActions()]);
  } catch (e) {
    if (e instanceof Unauthorized) {
      events?.close();
      setConnection('unauthorized');
    } else {
      events?.close();
      banner.hidden = false;
      banner.textContent = `Cannot read the fleet from tmux-orc (${e.message}); retrying…`;
      setTimeout(start, 2000);
    }
  }
}

function askToken(problem) {
  events?.close();
  const error = document.getElementById('token-error');
  error.hidden = !problem;
  error.textContent = problem;
  document.getElementById('forget-token').hidden = !token();
  if (!tokenDialog.open) {
    tokenDialog.showModal();
  }
}

document.getElementById('token-form').addEventListener('submit', () => {
  setToken(document.getElementById('token-input').value.trim());
  document.getElementById('forget-token').hidden = false;
  start().then(() => paneOf(location.hash) && route()); // an agent's page read nothing without the token
});
// Esc would close the dialog and leave a page that can read nothing: the token is the only way on.
tokenDialog.addEventListener('cancel', (e) => e.preventDefault());

document.getElementById('forget-token').addEventListener('click', () => {
  setToken(null);
  location.reload();
});

// --- a hidden tab gives its connections back, and catches up when shown again

document.addEventListener('visibilitychange', () => {
  clearTimeout(hiddenTimer);
  if (document.visibilityState === 'hidden') {
    hiddenTimer = setTimeout(() => {
      events?.close();
      agentView.pause();
      setConnection('paused');
    }, HIDDEN_GRACE_MS);
  } else if (events?.closed && window.tmuxOrc.connection === 'paused') {
    follow();
    resync().catch(() => {});
    agentView.resume();
  }
});

// --- routing: #/ the fleet, #/agent/<pane id, URL-encoded> one agent

function paneOf(hash) {
  const match = /^#\/agent\/(.+)$/.exec(hash);
  if (!match) {
    return null;
  }
  try {
    return decodeURIComponent(match[1]);
  } catch (e) {
    return match[1]; // typed by hand: #/agent/%3
  }
}

function route() {
  const paneId = paneOf(location.hash);
  const fleetPage = document.getElementById('fleet-page');
  const agentPage = document.getElementById('agent-page');
  if (paneId) {
    fleetPage.hidden = true;
    agentPage.hidden = false;
    document.title = `${paneId} · tmux-orc`;
    agentView.open(paneId);
    document.getElementById('agent-title').focus();
  } else {
    const leaving = agentView.paneId;
    agentView.close();
    agentPage.hidden = true;
    fleetPage.hidden = false;
    document.title = 'tmux-orc';
    if (leaving) {
      fleetView.grid.querySelector(`a[href="#/agent/${CSS.escape(encodeURIComponent(leaving))}"]`)?.focus();
    }
  }
}

window.addEventListener('hashchange', route);

// --- keyboard: / finds, j and k move between agents, Esc goes back to the fleet

document.addEventListener('keydown', (e) => {
  const typing = e.target.matches?.('input, select, textarea');
  if (e.key === 'Escape' && !tokenDialog.open) {
    if (typing) {
      e.target.blur();
    } else if (location.hash.startsWith('#/agent/')) {
      location.hash = '#/';
    }
    return;
  }
  if (typing || e.ctrlKey || e.metaKey || e.altKey || tokenDialog.open) {
    return;
  }
  if (e.key === '/') {
    e.preventDefault();
    if (location.hash.startsWith('#/agent/')) {
      location.hash = '#/';
      route(); // now, not at hashchange: the focus must land after the page switched
    }
    document.getElementById('filter-text').focus();
  } else if ((e.key === 'j' || e.key === 'k') && !location.hash.startsWith('#/agent/')) {
    e.preventDefault();
    fleetView.moveFocus(e.key === 'j' ? 1 : -1);
  }
});

// --- theme: the system's, or light or dark as chosen (kept in this browser)

const THEMES = ['auto', 'light', 'dark'];
const themeButton = document.getElementById('theme');

function applyTheme(theme) {
  if (theme === 'auto') {
    delete document.documentElement.dataset.theme;
  } else {
    document.documentElement.dataset.theme = theme;
  }
  themeButton.textContent = `Theme: ${theme}`;
  charts.create();
}

themeButton.addEventListener('click', () => {
  const next = THEMES[(THEMES.indexOf(localStorage.getItem('tmux-orc.theme') ?? 'auto') + 1) % THEMES.length];
  localStorage.setItem('tmux-orc.theme', next);
  applyTheme(next);
});
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => charts.create());

// uPlot loads with `defer`, before this module runs; draw once it is certainly there.
window.addEventListener('load', () => {
  applyTheme(localStorage.getItem('tmux-orc.theme') ?? 'auto');
});

setInterval(() => {
  fleetView.tick();
  agentView.tick();
}, 1000);

route();
start();
