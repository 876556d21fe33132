// The dashboard: loads the fleet, follows /api/events, and routes between the fleet (#/) and an agent
// (#/agent/%253). No polling: after the first load everything arrives on the event stream.

import { EventStream, Unauthorized, agentPath, getJson, setToken, token } from './api.js';
import { el } from './format.js';
import { Fleet } from './store.js';
import { FleetView, remember } from './fleet-view.js';
import { AgentView, actionItem } from './agent-view.js';
import { Charts } from './charts.js';

const fleet = new Fleet();
const fleetView = new FleetView(fleet);
const agentView = new AgentView(fleet);
const charts = new Charts();
const connection = document.getElementById('connection');
const banner = document.getElementById('banner');
const recentActions = document.getElementById('recent-actions');
let events = null;
let resyncTimer = 0;
let lastResync = 0;
const refetch = new Set();
let refetchTimer = 0;

// For the browser tests and the load harness: how the page is doing, read without touching its DOM.
window.tmuxOrc = { fleet, stats: fleetView.stats, events: 0, connection: 'connecting', lastEventId: null,
  boot: {} }; // boot: how long the first reads took (ms from when they were asked)

function setConnection(state) {
  window.tmuxOrc.connection = state;
  document.body.dataset.connection = state;
  const words = { connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', unauthorized: 'Token needed' };
  connection.textContent = words[state] ?? state;
  banner.hidden = state !== 'reconnecting';
  if (state === 'reconnecting') {
    banner.textContent = 'Lost the connection to tmux-orc: reconnecting… (what is shown may be out of date)';
  }
  if (state === 'unauthorized') {
    askToken(token() ? 'The token was refused.' : '');
  }
}

/** Everything the page shows, read afresh (at start, after a reconnection, when a token is given). */
async function resync() {
  lastResync = Date.now();
  const boot = window.tmuxOrc.boot;
  const t0 = performance.now();
  const [status, agents] = await Promise.all([
    getJson('/api/status').finally(() => { boot.statusMs ??= performance.now() - t0; }),
    getJson('/api/agents').finally(() => { boot.agentsMs ??= performance.now() - t0; }),
  ]);
  fleet.setStatus(status);
  fleet.replaceAll(agents);
  const paused = document.getElementById('paused');
  paused.hidden = !status.paused;
  paused.textContent = status.paused ? `actions paused${status.pausedUntil ? ' until '
    + new Date(status.pausedUntil).toLocaleTimeString() : ''}` : '';
}

async function loadActions() {
  const actions = await getJson('/api/actions?limit=20').catch(() => []);
  recentActions.replaceChildren(...actions.reverse().map(actionItem));
  if (actions.length === 0) {
    recentActions.append(el('li', 'muted', 'None yet. Actions are off unless configured (docs/actions.md).'));
  }
}

function onEntry({ id, data }) {
  if (!data || typeof data !== 'object') {
    return;
  }
  window.tmuxOrc.events++;
  window.tmuxOrc.lastEventId = id;
  if (data.type === 'StateChanged' && data.atMillis) {
    remember(fleetView.stats.eventLagMs, Date.now() - data.atMillis); // published → here, for the benchmark
  }
  const again = fleet.apply(data);
  if (again) {
    refetch.add(again);
    if (!refetchTimer) {
      refetchTimer = setTimeout(fetchChanged, 200);
    }
  }
  charts.add(data);
  agentView.onEntry(data);
  if (data.type === 'Action') {
    recentActions.querySelector('.muted')?.remove();
    recentActions.prepend(actionItem(data));
    while (recentActions.children.length > 20) {
      recentActions.lastElementChild.remove();
    }
  }
  // What no event carries (time in each state, last activity) is read again with each cycle report, at most
  // every 10 s and only while someone can see the page.
  if (data.type === 'CycleReport' && document.visibilityState === 'visible' && Date.now() - lastResync > 10000) {
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
  await Promise.all(panes.map((paneId) => getJson(agentPath(paneId)).then((agent) => fleet.upsert(agent))
    .catch(() => {})));
}

function follow() {
  events?.close();
  events = new EventStream('/api/events', {
    onEvent: onEntry,
    onState: setConnection,
    onOpen: (reconnected) => {
      if (reconnected) {
        // the daemon may have restarted: read everything again; the stream resumed after the last event seen
        resync().catch(() => {});
        loadActions();
      }
    },
  }).start();
}

async function start() {
  try {
    follow(); // first, so that nothing happening while the snapshot is read is missed
    await resync();
    route();
    await Promise.all([charts.load().catch(() => {}), loadActions()]);
  } catch (e) {
    if (e instanceof Unauthorized) {
      events?.close();
      askToken(token() ? 'The token was refused.' : '');
    } else {
      banner.hidden = false;
      banner.textContent = `Cannot read the fleet from tmux-orc (${e.message}); retrying…`;
      setTimeout(start, 2000);
    }
  }
}

function askToken(problem) {
  events?.close();
  const dialog = document.getElementById('token-dialog');
  const error = document.getElementById('token-error');
  error.hidden = !problem;
  error.textContent = problem;
  document.getElementById('forget-token').hidden = !token();
  if (!dialog.open) {
    dialog.showModal();
  }
}

document.getElementById('token-form').addEventListener('submit', () => {
  setToken(document.getElementById('token-input').value.trim());
  document.getElementById('forget-token').hidden = false;
  start();
});

document.getElementById('forget-token').addEventListener('click', () => {
  setToken(null);
  location.reload();
});

// --- routing: #/ the fleet, #/agent/<pane id, URL-encoded> one agent

function route() {
  const match = /^#\/agent\/(.+)$/.exec(location.hash);
  const fleetPage = document.getElementById('fleet-page');
  const agentPage = document.getElementById('agent-page');
  if (match) {
    const paneId = decodeURIComponent(match[1]);
    fleetPage.hidden = true;
    agentPage.hidden = false;
    document.title = `${paneId} · tmux-orc`;
    agentView.open(paneId);
    document.getElementById('agent-title').focus?.();
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
  if (e.key === 'Escape' && !document.getElementById('token-dialog').open) {
    if (typing) {
      e.target.blur();
    } else if (location.hash.startsWith('#/agent/')) {
      location.hash = '#/';
    }
    return;
  }
  if (typing || e.ctrlKey || e.metaKey || e.altKey) {
    return;
  }
  if (e.key === '/') {
    e.preventDefault();
    location.hash.startsWith('#/agent/') && (location.hash = '#/');
    document.getElementById('filter-text').focus();
  } else if (e.key === 'j' || e.key === 'k') {
    if (!location.hash.startsWith('#/agent/')) {
      e.preventDefault();
      fleetView.moveFocus(e.key === 'j' ? 1 : -1);
    }
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

start();
