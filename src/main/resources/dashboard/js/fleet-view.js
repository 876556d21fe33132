// The fleet page: the summary, the "needs attention" strip and the grid of agents grouped by session.
// Rows are made once per agent and updated in place; the grid is re-ordered only when what it shows changes.

import {
  STATES, HEALTH, badge, duration, el, needsAttention, setText, since, stateLabel,
} from './format.js';
import { byTarget } from './store.js';

// More would push the grid off the first screen; the rest are one click away (the "needs attention" filter).
const MAX_ATTENTION = 12;

export class FleetView {
  constructor(fleet, root = document) {
    this.fleet = fleet;
    this.summary = root.getElementById('summary');
    this.attentionList = root.getElementById('attention-list');
    this.attentionTitle = root.getElementById('attention-title');
    this.grid = root.getElementById('grid');
    this.shown = root.getElementById('shown');
    this.sessionFilter = root.getElementById('filter-session');
    this.stateFilter = root.getElementById('filter-state');
    this.textFilter = root.getElementById('filter-text');
    this.sort = root.getElementById('sort');
    this.rows = new Map(); // paneId -> row
    this.sections = new Map(); // session -> section
    this.visible = [];
    this.dirty = new Set();
    this.layoutDue = true;
    this.frame = 0;
    // what the browser tests and the 1,000-agent benchmark read (the last 2,000 render times)
    this.stats = { renders: 0, lastRenderMs: 0, maxRenderMs: 0, renderMs: [], eventLagMs: [] };

    for (const s of STATES) {
      this.stateFilter.append(new Option(stateLabel(s.name), s.name));
    }
    for (const control of [this.sessionFilter, this.stateFilter, this.sort]) {
      control.addEventListener('change', () => this.relayout());
    }
    this.textFilter.addEventListener('input', () => this.relayout());
    this.summary.addEventListener('click', (e) => {
      const state = e.target.closest('[data-filter-state]')?.dataset.filterState;
      if (state !== undefined) {
        this.stateFilter.value = state;
        this.relayout();
      }
    });
    fleet.subscribe((change) => {
      if (change.kind === 'agent' || change.kind === 'agents') {
        (change.paneIds ?? [change.paneId]).forEach((id) => this.dirty.add(id));
        // a state change can move the agent in or out of the filter, or along the waiting order
        if (this.stateFilter.value || this.sort.value === 'waiting' || this.textFilter.value.trim()) {
          this.layoutDue = true;
        }
      } else if (change.kind === 'all') {
        this.layoutDue = true;
      }
      this.schedule();
    });
  }

  relayout() {
    this.layoutDue = true;
    this.schedule();
  }

  schedule() {
    if (!this.frame) {
      // not requestAnimationFrame: a hidden tab would hold every update until it is shown again
      this.frame = setTimeout(() => {
        this.frame = 0;
        this.render();
      }, 16);
    }
  }

  render() {
    const started = performance.now();
    this.renderSummary();
    this.renderAttention();
    if (this.layoutDue) {
      this.layoutDue = false;
      this.dirty.clear();
      this.layout();
    } else {
      for (const paneId of this.dirty) {
        const agent = this.fleet.agents.get(paneId);
        const row = this.rows.get(paneId);
        if (agent && row) {
          updateRow(row, agent);
          setText(row.inState, since(agent.since));
        }
      }
      this.dirty.clear();
      this.renderSessionCounts();
    }
    const ms = performance.now() - started;
    this.stats.renders++;
    this.stats.lastRenderMs = ms;
    this.stats.maxRenderMs = Math.max(this.stats.maxRenderMs, ms);
    remember(this.stats.renderMs, ms);
  }

  renderSummary() {
    const { byState, byHealth } = this.fleet.counts();
    const report = this.fleet.lastReport;
    const items = [['Agents', String(this.fleet.agents.size), '']];
    for (const s of STATES) {
      if (byState[s.name] || s.attention) {
        items.push([stateLabel(s.name), String(byState[s.name] ?? 0), s.name]);
      }
    }
    const unwell = HEALTH.filter((h) => h !== 'healthy' && byHealth[h]).map((h) => `${byHealth[h]} ${h}`);
    items.push(['Health', unwell.length ? unwell.join(', ') : 'all healthy', null]);
    items.push(['Cycle', report ? `p50 ${fmtMs(report.p50Ms)} · p95 ${fmtMs(report.p95Ms)}` : '–', null]);
    const key = JSON.stringify(items);
    if (this.summaryKey === key) {
      return;
    }
    this.summaryKey = key;
    const nodes = [];
    for (const [label, value, state] of items) {
      const group = el('div', state === null ? 'fact' : 'fact count');
      if (state !== null) {
        const button = el('button', `chip ${state ? 'state-' + state : ''}`);
        button.type = 'button';
        button.dataset.filterState = state;
        button.title = state ? `Show only ${label}` : 'Show all agents';
        button.append(el('span', 'label', label), el('span', 'value', value));
        if (state && Number(value) > 0) {
          button.classList.add('nonzero');
        }
        group.append(button);
      } else {
        group.append(el('span', 'label', label), el('span', 'value', value));
      }
      nodes.push(group);
    }
    this.summary.replaceChildren(...nodes);
  }

  renderAttention() {
    const now = Date.now();
    const needing = [...this.fleet.agents.values()].filter(needsAttention)
      .sort((a, b) => Date.parse(a.since) - Date.parse(b.since));
    const key = needing.map((a) => a.paneId + a.state + a.since + a.resetAt + a.hooks?.stalled).join('|');
    setText(this.attentionTitle, needing.length === 0 ? 'Nobody needs you right now'
      : needing.length === 1 ? '1 agent needs attention' : `${needing.length} agents need attention`);
    this.attentionTitle.parentElement.classList.toggle('calm', needing.length === 0);
    if (key === this.attentionKey) {
      return;
    }
    this.attentionKey = key;
    const items = needing.slice(0, MAX_ATTENTION).map((agent) => {
      const link = el('a', 'attention-item');
      link.href = '#/agent/' + encodeURIComponent(agent.paneId);
      link.dataset.pane = agent.paneId;
      link.dataset.state = agent.state;
      const waited = el('span', 'waited', '');
      waited.dataset.since = agent.since;
      const what = agent.hooks?.stalled && !needsStateAttention(agent) ? el('span', 'badge flag', 'stalled')
        : badge(agent.state);
      link.append(what, el('span', 'who', agent.target), el('span', 'wname', agent.windowName), waited);
      if (agent.state === 'rate_limited') {
        const reset = el('span', 'reset', '');
        reset.dataset.reset = agent.resetAt ?? '';
        link.append(reset);
      }
      return el('li', null, null, link);
    });
    if (needing.length > MAX_ATTENTION) {
      const more = el('button', 'more', `and ${needing.length - MAX_ATTENTION} more: show them all`);
      more.type = 'button';
      more.addEventListener('click', () => {
        this.stateFilter.value = 'attention';
        this.sort.value = 'waiting';
        this.relayout();
      });
      items.push(el('li', null, null, more));
    }
    this.attentionList.replaceChildren(...items);
    this.tickAttention(now);
  }

  /** Which agents the filters keep, in the chosen order, grouped by session in the grid. */
  filtered() {
    const session = this.sessionFilter.value;
    const state = this.stateFilter.value;
    const words = this.textFilter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const list = [];
    for (const a of this.fleet.agents.values()) {
      if (session && a.session !== session) {
        continue;
      }
      if (state === 'attention' ? !needsAttention(a) : state && a.state !== state) {
        continue;
      }
      if (words.length) {
        const text = `${a.paneId} ${a.target} ${a.windowName} ${a.command} ${a.kind} ${a.role} ${a.state}`
          .toLowerCase();
        if (!words.every((w) => text.includes(w))) {
          continue;
        }
      }
      list.push(a);
    }
    if (this.sort.value === 'waiting') {
      list.sort((a, b) => a.session.localeCompare(b.session)
        || Number(needsAttention(b)) - Number(needsAttention(a))
        || Date.parse(a.since) - Date.parse(b.since));
    } else {
      list.sort(byTarget);
    }
    return list;
  }

  layout() {
    this.updateSessionOptions();
    const list = this.filtered();
    this.visible = list;
    const seen = new Set(list.map((a) => a.paneId));
    for (const [paneId, row] of this.rows) {
      if (!this.fleet.agents.has(paneId)) {
        row.tr.remove();
        this.rows.delete(paneId);
      } else if (!seen.has(paneId)) {
        row.tr.remove();
      }
    }
    const groups = new Map();
    for (const agent of list) {
      if (!groups.has(agent.session)) {
        groups.set(agent.session, []);
      }
      groups.get(agent.session).push(agent);
    }
    const sections = [];
    for (const [session, agents] of [...groups].sort((a, b) => a[0].localeCompare(b[0]))) {
      const section = this.section(session);
      const rows = agents.map((agent) => {
        let row = this.rows.get(agent.paneId);
        if (!row) {
          row = makeRow(agent);
          this.rows.set(agent.paneId, row);
        }
        updateRow(row, agent);
        return row.tr;
      });
      reconcile(section.tbody, rows);
      sections.push(section.node);
    }
    for (const [session, section] of this.sections) {
      if (!groups.has(session)) {
        this.sections.delete(session);
      }
    }
    if (list.length === 0) {
      sections.push(el('p', 'empty', this.fleet.agents.size === 0
        ? 'No agents found yet. tmux-orc watches every tmux pane running an AI coding agent.'
        : 'No agent matches these filters.'));
    }
    reconcile(this.grid, sections);
    setText(this.shown, list.length === this.fleet.agents.size ? `${list.length} agents`
      : `${list.length} of ${this.fleet.agents.size} agents`);
    this.renderSessionCounts();
    this.tick();
  }

  section(session) {
    let section = this.sections.get(session);
    if (!section) {
      const node = el('details', 'session');
      node.open = true;
      node.dataset.session = session;
      const counts = el('span', 'session-counts', '');
      const summary = el('summary', null, null, el('h2', null, session), counts);
      const table = el('table', 'agents');
      const columns = el('colgroup');
      for (const name of ['state', 'name', 'kind', 'role', 'health', 'in-state', 'activity', 'flags']) {
        columns.append(el('col', 'col-' + name));
      }
      table.append(columns);
      const head = el('tr');
      for (const label of ['State', 'Agent', 'Kind', 'Role', 'Health', 'In state', 'Last activity', 'Flags']) {
        const th = el('th', null, label);
        th.scope = 'col';
        head.append(th);
      }
      const tbody = el('tbody');
      table.append(el('thead', null, null, head), tbody);
      node.append(summary, table);
      section = { node, counts, tbody };
      this.sections.set(session, section);
    }
    return section;
  }

  renderSessionCounts() {
    const counts = new Map();
    for (const a of this.visible) {
      const c = counts.get(a.session) ?? { total: 0, attention: 0 };
      c.total++;
      if (needsAttention(this.fleet.agents.get(a.paneId) ?? a)) {
        c.attention++;
      }
      counts.set(a.session, c);
    }
    for (const [session, section] of this.sections) {
      const c = counts.get(session);
      if (c) {
        setText(section.counts, `${c.total} agent${c.total === 1 ? '' : 's'}`
          + (c.attention ? ` · ${c.attention} need${c.attention === 1 ? 's' : ''} attention` : ''));
        section.counts.classList.toggle('needs', c.attention > 0);
      }
    }
  }

  updateSessionOptions() {
    const sessions = [...new Set([...this.fleet.agents.values()].map((a) => a.session))].sort();
    const key = sessions.join('\n');
    if (key === this.sessionsKey) {
      return;
    }
    this.sessionsKey = key;
    const chosen = this.sessionFilter.value;
    this.sessionFilter.replaceChildren(new Option('all', ''), ...sessions.map((s) => new Option(s, s)));
    this.sessionFilter.value = sessions.includes(chosen) ? chosen : '';
  }

  /** Once a second: how long each shown agent has been in its state, countdowns to rate-limit resets. */
  tick(now = Date.now()) {
    for (const agent of this.visible) {
      const row = this.rows.get(agent.paneId);
      const current = this.fleet.agents.get(agent.paneId);
      if (row && current) {
        setText(row.inState, since(current.since, now));
        setText(row.activity, current.lastChange ? since(current.lastChange, now) + ' ago' : '');
      }
    }
    this.tickAttention(now);
  }

  tickAttention(now) {
    for (const node of this.attentionList.querySelectorAll('[data-since]')) {
      setText(node, 'for ' + since(node.dataset.since, now));
    }
    for (const node of this.attentionList.querySelectorAll('[data-reset]')) {
      const reset = Date.parse(node.dataset.reset);
      setText(node, Number.isNaN(reset) ? 'reset time unknown'
        : reset > now ? 'resets in ' + duration(reset - now) : 'reset time passed');
    }
  }

  /** Moves the keyboard focus to the next (+1) or previous (-1) agent of the grid. */
  moveFocus(step) {
    // not those of a folded session
    const links = [...this.grid.querySelectorAll('details[open] a.agent-link')];
    if (links.length === 0) {
      return;
    }
    const at = links.indexOf(document.activeElement);
    const next = at < 0 ? (step > 0 ? 0 : links.length - 1) : Math.max(0, Math.min(links.length - 1, at + step));
    links[next].focus();
  }
}

/**
 * Makes parent's children exactly `nodes`, in order, moving only what is out of place: at 1,000 agents a grid
 * whose order did not change costs no DOM change at all, where replaceChildren would re-insert every row.
 */
function reconcile(parent, nodes) {
  let current = parent.firstChild;
  for (const node of nodes) {
    if (node === current) {
      current = current.nextSibling;
    } else {
      parent.insertBefore(node, current);
    }
  }
  while (current) {
    const next = current.nextSibling;
    current.remove();
    current = next;
  }
}

/** Keeps the last 2,000 numbers of a statistic. */
export function remember(list, value) {
  list.push(value);
  if (list.length > 2000) {
    list.splice(0, list.length - 2000);
  }
}

function needsStateAttention(agent) {
  return STATES.find((s) => s.name === agent.state)?.attention ?? false;
}

function fmtMs(ms) {
  return ms === null || ms === undefined ? '–' : ms < 10 ? `${ms.toFixed(1)} ms` : `${Math.round(ms)} ms`;
}

function makeRow(agent) {
  const tr = el('tr');
  tr.dataset.pane = agent.paneId;
  const state = el('td', 'state');
  const link = el('a', 'agent-link');
  link.href = '#/agent/' + encodeURIComponent(agent.paneId);
  const name = el('td', 'name', null, link);
  const wname = el('span', 'wname');
  const pm = el('span', 'pm', 'PM');
  pm.title = 'The PM (coordinator) of its session';
  name.append(wname, pm);
  const kind = el('td', 'kind');
  const role = el('td', 'role');
  const health = el('td', 'health');
  const inState = el('td', 'in-state num');
  const activity = el('td', 'activity num');
  const flags = el('td', 'flags');
  tr.append(state, name, kind, role, health, inState, activity, flags);
  return { tr, state, link, wname, pm, kind, role, health, inState, activity, flags, key: '' };
}

function updateRow(row, agent) {
  const flags = [];
  if (agent.hooks?.stalled) {
    flags.push('stalled');
  }
  if (agent.hooks?.silent) {
    flags.push('hooks silent');
  }
  if (agent.dead) {
    flags.push('pane dead');
  }
  const key = [agent.state, agent.target, agent.windowName, agent.kind, agent.role, agent.health, flags.join()]
    .join('\u0000');
  if (key === row.key) {
    return;
  }
  row.key = key;
  row.tr.dataset.state = agent.state;
  row.tr.classList.toggle('attention', needsAttention(agent));
  row.state.replaceChildren(badge(agent.state));
  setText(row.link, agent.target);
  row.link.title = `${agent.paneId} · ${agent.command ?? ''}`;
  setText(row.wname, agent.windowName ?? '');
  row.pm.hidden = agent.role !== 'pm';
  setText(row.kind, agent.kind ?? '');
  setText(row.role, agent.role ?? '');
  setText(row.health, agent.health ?? '');
  row.health.className = 'health health-' + agent.health;
  row.flags.replaceChildren(...flags.map((f) => el('span', 'badge flag', f)));
}
