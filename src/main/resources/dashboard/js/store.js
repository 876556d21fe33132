// The page's copy of the fleet: the agents as /api/agents gives them, kept current by the event stream.

import { STATES } from './format.js';

export function byTarget(a, b) {
  return a.session < b.session ? -1 : a.session > b.session ? 1
    : a.windowIndex - b.windowIndex || a.paneIndex - b.paneIndex || (a.paneId < b.paneId ? -1 : 1);
}

// What a row shows that can change without the agent moving (times are redrawn every second anyway).
function shown(a) {
  return `${a.state}|${a.since}|${a.health}|${a.windowName}|${a.kind}|${a.role}|${a.dead}|${a.hooks?.stalled}|`
    + `${a.hooks?.silent}|${a.resetAt}|${a.lastChange}`;
}

export class Fleet {
  constructor() {
    this.agents = new Map();
    // The server's time of the last snapshot (ms): entries older than it are already in it.
    this.asOf = 0;
    this.status = null;
    this.lastReport = null;
    this.listeners = new Set();
  }

  /**
   * listener(change): change.kind is 'all' (agents came or went: everything may differ), 'agent' (change.paneId
   * changed), 'agents' (change.paneIds changed, none came or went) or 'report'.
   */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(change) {
    this.listeners.forEach((l) => l(change));
  }

  /**
   * The fleet read afresh (`asOf`: the server's time when it answered); only what differs is announced, so that the
   * page redraws only that.
   */
  replaceAll(list, asOf = 0) {
    this.asOf = Math.max(this.asOf, asOf);
    const before = this.agents;
    this.agents = new Map(list.map((a) => [a.paneId, a]));
    const same = before.size === this.agents.size && list.every((a) => before.has(a.paneId)
      && before.get(a.paneId).target === a.target);
    if (!same) {
      this.emit({ kind: 'all' });
      return;
    }
    const changed = list.filter((a) => shown(a) !== shown(before.get(a.paneId))).map((a) => a.paneId);
    if (changed.length) {
      this.emit({ kind: 'agents', paneIds: changed });
    }
  }

  upsert(agent) {
    const known = this.agents.has(agent.paneId);
    this.agents.set(agent.paneId, agent);
    this.emit(known ? { kind: 'agent', paneId: agent.paneId } : { kind: 'all' });
  }

  remove(paneId) {
    if (this.agents.delete(paneId)) {
      this.emit({ kind: 'all' });
    }
  }

  setStatus(status) {
    this.status = status;
    const c = status?.cycles;
    if (c && c.p50Ms !== null && c.p50Ms !== undefined && !this.lastReport) {
      this.lastReport = { p50Ms: c.p50Ms, p95Ms: c.p95Ms, at: c.reportAt };
    }
    this.emit({ kind: 'report' });
  }

  setReport(report) {
    this.lastReport = report;
    this.emit({ kind: 'report' });
  }

  /**
   * Applies one journal entry. Answers the pane to fetch again when the entry says something changed that it
   * does not carry itself (a new agent, a restart, a flag), else null.
   */
  apply(entry) {
    const agent = entry.paneId ? this.agents.get(entry.paneId) : undefined;
    // Replayed after a reconnection, or late while a snapshot was read: the snapshot already holds it.
    if (entry.atMillis < this.asOf && entry.type !== 'CycleReport') {
      return null;
    }
    switch (entry.type) {
      case 'StateChanged': {
        if (!agent) {
          return entry.paneId;
        }
        // A snapshot taken after this event already knows better (events may arrive after the snapshot).
        if (entry.atMillis < Date.parse(agent.since)) {
          return null;
        }
        agent.previousState = entry.from;
        agent.state = entry.to;
        agent.since = entry.at;
        agent.lastChange = entry.at;
        agent.evidence = entry.evidence ?? agent.evidence;
        agent.resetAt = entry.resetAt ?? null;
        this.emit({ kind: 'agent', paneId: agent.paneId });
        return null;
      }
      case 'HealthChanged':
        if (!agent) {
          return entry.paneId;
        }
        agent.health = entry.to;
        this.emit({ kind: 'agent', paneId: agent.paneId });
        return null;
      case 'AgentGone':
        this.remove(entry.paneId);
        return null;
      case 'AgentDiscovered':
      case 'AgentRestarted':
      case 'FlagChanged':
        return entry.paneId;
      case 'HookReceived':
        if (agent && agent.hooks) {
          agent.hooks.lastEvent = entry.hook;
          agent.hooks.lastAt = entry.at;
          agent.hooks.events++;
          this.emit({ kind: 'agent', paneId: agent.paneId });
          return null;
        }
        return agent ? entry.paneId : null;
      case 'CycleReport':
        this.setReport(entry);
        return null;
      default:
        return null;
    }
  }

  /** Counts by state (every state, in the page's order) and by health. */
  counts() {
    const byState = Object.fromEntries(STATES.map((s) => [s.name, 0]));
    const byHealth = {};
    for (const a of this.agents.values()) {
      byState[a.state] = (byState[a.state] ?? 0) + 1;
      byHealth[a.health] = (byHealth[a.health] ?? 0) + 1;
    }
    return { byState, byHealth };
  }
}
