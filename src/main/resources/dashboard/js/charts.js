// The last hour drawn with uPlot (vendored from its webjar): cycle time from the journal's CycleReport entries,
// agents by state from its FleetSample entries; both go on growing from the event stream.

import { getJson } from './api.js';
import { STATES, stateLabel } from './format.js';

const HOUR_S = 3600;

export class Charts {
  constructor(root = document) {
    this.cycleBox = root.getElementById('chart-cycle');
    this.statesBox = root.getElementById('chart-states');
    this.cycle = [[], [], []]; // time (s), p50, p95
    this.states = [[], ...STATES.map(() => [])];
    this.plots = [];
    this.drawTimer = 0;
    new ResizeObserver(() => this.resize()).observe(this.cycleBox);
  }

  async load() {
    const entries = await getJson('/api/journal?type=CycleReport,FleetSample&since=1h&limit=10000&newest=true');
    const live = [this.cycle, this.states];
    this.cycle = [[], [], []];
    this.states = [[], ...STATES.map(() => [])];
    entries.forEach((e) => this.add(e, false));
    // points that arrived live while the journal was read, and are newer than its last, stay
    [this.cycle, this.states].forEach((columns, i) => {
      const last = columns[0].length ? columns[0][columns[0].length - 1] : -Infinity;
      live[i][0].forEach((t, at) => {
        if (t > last) {
          push(columns, live[i].map((c) => c[at]));
        }
      });
    });
    this.draw();
  }

  /** A journal entry of the event stream; others are ignored. */
  add(entry, redraw = true) {
    const t = (entry.atMillis ?? Date.parse(entry.at)) / 1000;
    if (entry.type === 'CycleReport') {
      push(this.cycle, [t, entry.p50Ms, entry.p95Ms]);
    } else if (entry.type === 'FleetSample') {
      push(this.states, [t, ...STATES.map((s) => entry.byState?.[s.name] ?? 0)]);
    } else {
      return;
    }
    if (redraw && !this.drawTimer) {
      this.drawTimer = setTimeout(() => {
        this.drawTimer = 0;
        this.draw();
      }, 1000);
    }
  }

  draw() {
    if (!window.uPlot) {
      return; // the library is still loading: its load event draws
    }
    if (this.plots.length === 0) {
      this.create();
    } else {
      this.plots[0].setData(this.cycle);
      this.plots[1].setData(this.states);
    }
  }

  /** Colours come from the page's CSS, so a change of theme makes the charts anew. */
  create() {
    this.plots.forEach((p) => p.destroy());
    // The properties hold light-dark(...): an element resolves one to the colour the canvas needs.
    const probe = document.body.appendChild(document.createElement('span'));
    const color = (name) => {
      probe.style.color = `var(${name})`;
      return getComputedStyle(probe).color;
    };
    const axis = { stroke: color('--fg-muted'), grid: { stroke: color('--grid'), width: 1 },
      ticks: { stroke: color('--grid'), width: 1 } };
    const base = (width) => ({ width, height: 200, scales: { x: { time: true } },
      axes: [axis, { ...axis, size: 50 }], legend: { live: true }, cursor: { drag: { x: false, y: false } } });
    const width = Math.max(300, this.cycleBox.clientWidth);
    this.plots = [
      new window.uPlot({ ...base(width), series: [{},
        { label: 'p50', stroke: color('--chart-1'), width: 2, value: (u, v) => v === null ? '–' : v.toFixed(1) + ' ms' },
        { label: 'p95', stroke: color('--chart-2'), width: 1.5, value: (u, v) => v === null ? '–' : v.toFixed(1) + ' ms' },
      ] }, this.cycle, this.cycleBox),
      new window.uPlot({ ...base(width), series: [{}, ...STATES.map((s) => ({ label: stateLabel(s.name),
        stroke: color(`--state-${s.name}`), width: s.attention ? 2 : 1.5, show: s.name !== 'unknown' }))] },
      this.states, this.statesBox),
    ];
    probe.remove();
  }

  resize() {
    const width = Math.max(300, this.cycleBox.clientWidth);
    this.plots.forEach((p) => p.setSize({ width, height: 200 }));
  }
}

// Appends a point (not one older than the last: uPlot needs times in order, and a replay after a reconnection
// brings only what came after) and drops those older than an hour.
function push(columns, point) {
  const times = columns[0];
  if (times.length && point[0] <= times[times.length - 1]) {
    return;
  }
  point.forEach((v, i) => columns[i].push(v));
  const oldest = point[0] - HOUR_S;
  let drop = 0;
  while (drop < columns[0].length && columns[0][drop] < oldest) {
    drop++;
  }
  if (drop) {
    columns.forEach((c) => c.splice(0, drop));
  }
}
