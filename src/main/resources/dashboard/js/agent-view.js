// One agent's page: its facts, how to reach its pane, its live screen, why it is in its state, its last hour
// and the actions taken for it.

import { EventStream, agentPath, getJson } from './api.js';
import { badge, clock, el, setText, shellWord, since, stateLabel } from './format.js';

const HOUR = 3600 * 1000;
const MAX_ACTIONS = 50;

export class AgentView {
  constructor(fleet, root = document) {
    this.fleet = fleet;
    this.page = root.getElementById('agent-page');
    this.title = root.getElementById('agent-title');
    this.facts = root.getElementById('agent-facts');
    this.attach = root.getElementById('cmd-attach');
    this.switchCmd = root.getElementById('cmd-switch');
    this.screen = root.getElementById('screen');
    this.screenAt = root.getElementById('screen-at');
    this.explain = root.getElementById('explain');
    this.bar = root.getElementById('timeline-bar');
    this.timeline = root.getElementById('timeline');
    this.actions = root.getElementById('agent-actions');
    this.paneId = null;
    this.stream = null;
    this.transitions = [];
    this.startState = null;
    this.explainTimer = 0;
    this.ticks = 0;
    fleet.subscribe((change) => {
      if (this.paneId && (change.kind === 'all' || change.paneId === this.paneId
        || change.paneIds?.includes(this.paneId))) {
        this.renderFacts();
      }
    });
    this.page.addEventListener('click', (e) => {
      const target = e.target.closest('[data-copy]');
      if (target) {
        copy(document.getElementById(target.dataset.copy).textContent, target);
      }
    });
  }

  async open(paneId) {
    this.close();
    this.paneId = paneId;
    this.transitions = [];
    this.startState = null;
    this.screen.textContent = '';
    setText(this.screenAt, '');
    this.explain.replaceChildren();
    this.timeline.replaceChildren();
    this.actions.replaceChildren();
    this.renderFacts();
    this.renderCommands();
    this.follow();
    await Promise.all([this.loadExplain(), this.loadTimeline(), this.loadActions()]);
  }

  /** The pane's screen, as it changes. */
  follow() {
    this.stream?.close();
    this.stream = new EventStream(agentPath(this.paneId, '/screen/stream'), {
      resume: false,
      onEvent: (event) => this.onScreen(event),
      onState: (state) => {
        if (state === 'missing') {
          setText(this.screenAt, 'no screen: tmux-orc watches no agent in this pane');
        }
      },
    }).start();
  }

  close() {
    this.stream?.close();
    this.stream = null;
    this.paneId = null;
    clearTimeout(this.explainTimer);
  }

  /** A hidden tab lets the screen stream go; shown again, it follows the screen and reads the rest afresh. */
  pause() {
    this.stream?.close();
  }

  resume() {
    if (this.paneId) {
      this.follow();
      this.loadExplain();
      this.loadTimeline();
    }
  }

  /** An entry of the event stream: the page follows its own agent's. */
  onEntry(entry) {
    if (!this.paneId || entry.paneId !== this.paneId) {
      return;
    }
    if (entry.type === 'StateChanged') {
      if (!this.transitions.some((t) => t.seq === entry.seq)) {
        this.transitions.push(entry);
      }
      this.renderTimeline();
    } else if (entry.type === 'Action') {
      this.actions.querySelector('.muted')?.remove();
      this.actions.prepend(actionItem(entry));
      while (this.actions.children.length > MAX_ACTIONS) {
        this.actions.lastElementChild.remove();
      }
    }
    if (['StateChanged', 'FlagChanged', 'HookReceived', 'SignalsDisagreed', 'HealthChanged'].includes(entry.type)) {
      clearTimeout(this.explainTimer);
      this.explainTimer = setTimeout(() => this.loadExplain(), 300);
    }
  }

  onScreen(event) {
    if (event.type === 'screen' && event.data && typeof event.data === 'object') {
      setText(this.screen, event.data.text ?? '');
      setText(this.screenAt, event.data.at ? 'captured ' + clock(event.data.at) : '');
      this.screen.dataset.at = event.data.at ?? '';
    } else if (event.type === 'gone') {
      setText(this.screenAt, 'the pane is gone');
      this.stream?.close();
    }
  }

  renderFacts() {
    const agent = this.fleet.agents.get(this.paneId);
    if (!agent) {
      setText(this.title, `${this.paneId} (not watched now)`);
      this.facts.replaceChildren();
      return;
    }
    this.title.replaceChildren(badge(agent.state), el('span', 'who', ' ' + agent.target),
      el('span', 'wname', agent.windowName));
    if (agent.role === 'pm') {
      this.title.append(el('span', 'pm', 'PM'));
    }
    const facts = [
      ['State', `${stateLabel(agent.state)} for ${since(agent.since)}`, 'since'],
      ['Before', stateLabel(agent.previousState)],
      ['Health', agent.health],
      ['Kind', agent.kind],
      ['Role', agent.role],
      ['Pane', `${agent.paneId} · pid ${agent.pid} · ${agent.command}`],
      ['Last activity', agent.lastChange ? since(agent.lastChange) + ' ago' : '–', 'activity'],
    ];
    if (agent.resetAt) {
      facts.push(['Rate limit resets', clock(agent.resetAt)]);
    }
    if (agent.hooks) {
      const flags = [agent.hooks.stalled ? 'stalled' : '', agent.hooks.silent ? 'silent' : ''].filter(Boolean);
      facts.push(['Hooks', `${agent.hooks.events} events, last ${agent.hooks.lastEvent ?? '–'}`
        + (flags.length ? ` (${flags.join(', ')})` : '')]);
    }
    this.facts.replaceChildren(...facts.map(([k, v, tick]) => {
      const dd = el('dd', null, v);
      if (tick) {
        dd.dataset.tick = tick;
      }
      return el('div', null, null, el('dt', null, k), dd);
    }));
  }

  renderCommands() {
    const args = (this.fleet.status?.tmuxArgs ?? []).map(shellWord).join(' ');
    const tmux = args ? `tmux ${args}` : 'tmux';
    setText(this.attach, `${tmux} attach -t ${shellWord(this.paneId)}`);
    setText(this.switchCmd, `${tmux} switch-client -t ${shellWord(this.paneId)}`);
  }

  async loadExplain() {
    const paneId = this.paneId;
    let why;
    try {
      why = await getJson(agentPath(paneId, '/explain'));
    } catch (e) {
      if (paneId === this.paneId) {
        this.explain.replaceChildren(el('p', 'muted', 'No explanation: ' + e.message));
      }
      return;
    }
    if (paneId !== this.paneId) {
      return;
    }
    this.explain.replaceChildren(...explanation(why));
  }

  async loadTimeline() {
    const paneId = this.paneId;
    const entries = await getJson('/api/journal?type=StateChanged&since=1h&limit=5000&agent='
      + encodeURIComponent(paneId)).catch(() => []);
    if (paneId !== this.paneId) {
      return;
    }
    // merged by sequence number: live entries that came while the journal was read stay
    const known = new Set(entries.map((e) => e.seq));
    this.transitions = entries.concat(this.transitions.filter((t) => !known.has(t.seq)));
    this.renderTimeline();
  }

  async loadActions() {
    const paneId = this.paneId;
    const entries = await getJson(`/api/journal?type=Action&newest=true&limit=${MAX_ACTIONS}&agent=`
      + encodeURIComponent(paneId)).catch(() => []);
    if (paneId !== this.paneId) {
      return;
    }
    this.actions.replaceChildren(...entries.reverse().map(actionItem));
    if (entries.length === 0) {
      this.actions.append(el('li', 'muted', 'None: tmux-orc has not acted on this agent.'));
    }
  }

  /** The last hour as coloured segments with their words, and the transitions as a list (newest first). */
  renderTimeline() {
    const now = Date.now();
    const from = now - HOUR;
    const agent = this.fleet.agents.get(this.paneId);
    // an hour's worth is all that is kept: a page left open for days holds no more
    this.transitions = this.transitions.filter((t) => t.atMillis >= from);
    const changes = this.transitions.slice().sort((a, b) => a.atMillis - b.atMillis);
    const segments = [];
    // Before its first state the agent was not watched (tmux-orc not running, or the agent not there yet).
    let state = changes.length ? (changes[0].from === 'unknown' ? null : changes[0].from) : agent?.state ?? null;
    let start = from;
    for (const change of changes) {
      segments.push([state, start, change.atMillis]);
      state = change.to;
      start = change.atMillis;
    }
    segments.push([state, start, now]);
    const word = (name) => name === null ? 'not watched' : stateLabel(name);
    const parts = segments.filter(([, a, b]) => b > a).map(([name, a, b]) => {
      const part = el('span', name === null ? 'segment unwatched' : `segment state-${name}`);
      part.style.flex = `${b - a} 1 0px`;
      part.title = `${word(name)} ${clock(new Date(a).toISOString())}–${clock(new Date(b).toISOString())}`;
      if ((b - a) / HOUR > 0.08) {
        part.textContent = word(name);
      }
      return part;
    });
    this.bar.replaceChildren(...parts);
    this.bar.setAttribute('aria-label', 'States over the last hour: '
      + segments.map(([name, a, b]) => `${word(name)} ${Math.round((b - a) / 60000)} min`).join(', '));
    const items = changes.slice().reverse().map((c) => el('li', null, null,
      el('time', null, clock(c.at)), badge(c.from), el('span', 'arrow', '→'), badge(c.to),
      el('span', 'rule', c.evidence?.[0]?.rule ?? '')));
    if (items.length === 0) {
      items.push(el('li', 'muted', `No change in the last hour: ${word(state)}.`));
    }
    this.timeline.replaceChildren(...items);
  }

  tick() {
    if (!this.paneId) {
      return;
    }
    if (++this.ticks % 30 === 0) {
      this.renderTimeline(); // the hour slides on even when nothing changes
    }
    const agent = this.fleet.agents.get(this.paneId);
    if (agent) {
      for (const dd of this.facts.querySelectorAll('[data-tick]')) {
        setText(dd, dd.dataset.tick === 'since' ? `${stateLabel(agent.state)} for ${since(agent.since)}`
          : agent.lastChange ? since(agent.lastChange) + ' ago' : '–');
      }
    }
  }
}

function explanation(why) {
  const nodes = [el('p', 'decided', null, badge(why.state), el('span', null, ` decided by the rule `),
    el('code', null, why.rule ?? 'none'))];
  if (why.evidence?.length) {
    nodes.push(el('ul', 'evidence', null, ...why.evidence.map((e) => el('li', null, null, el('code', null, e.rule),
      el('span', 'muted', e.line >= 0 ? ` line ${e.line}` : ''), el('span', 'quote', e.text ? ` ${e.text}` : '')))));
  }
  const readings = [];
  if (why.screen) {
    const s = why.screen;
    readings.push(el('li', null, null, el('strong', null, 'Screen: '), badge(s.state),
      el('span', 'muted', ` captured ${ago(s.lastCaptureAgeMs)}, changed ${ago(s.lastChangeAgeMs)}`
        + (s.lastVerdict && s.lastVerdict !== s.state ? `; last look said ${s.lastVerdict}, not yet confirmed` : ''))));
  }
  if (why.hook) {
    const h = why.hook;
    readings.push(el('li', null, null, el('strong', null, 'Hooks: '),
      el('span', null, `${h.source} ${h.event ?? '–'} → ${h.meaning ?? '–'} ${ago(h.ageMs)}`),
      el('span', 'muted', h.inForce ? ' (in force)' : ' (not in force)')));
  } else {
    readings.push(el('li', 'muted', 'Hooks: none received (the screen alone decides)'));
  }
  nodes.push(el('ul', 'readings', null, ...readings));
  if (why.flags?.length) {
    nodes.push(el('p', null, 'Flags: ', ...why.flags.map((f) => el('span', 'badge flag', String(f)))));
  }
  return nodes;
}

function ago(ms) {
  return ms === null || ms === undefined ? '–' : ms < 1000 ? 'just now' : `${Math.round(ms / 1000)}s ago`;
}

function actionItem(entry) {
  const item = el('li', `action outcome-${entry.outcome}`);
  item.append(el('time', null, clock(entry.at)), el('strong', null, ` ${entry.action} `),
    el('span', 'outcome', entry.outcome), el('span', 'why', entry.why ? ': ' + entry.why : ''));
  if (entry.paneId) {
    item.dataset.pane = entry.paneId;
  }
  return item;
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch (e) {
    // no clipboard (plain http on another host): select the text so that Ctrl-C copies it
    const range = document.createRange();
    range.selectNodeContents(button.previousElementSibling);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    button.textContent = 'Selected: Ctrl-C';
  }
  setTimeout(() => { button.textContent = 'Copy'; }, 1500);
}

export { actionItem };
