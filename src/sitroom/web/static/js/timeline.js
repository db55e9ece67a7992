// The timeline: events per day stacked by type, with a brush (drag) that selects a date range.
// Its span is robust: a few events dated far from the rest (a stray year, an archive report) do
// not squeeze every other day into a sliver; they are counted in a mark at the edge instead.

import { clear, dayOf, isoOf, s, typeColour } from "./dom.js";

const DAY = 86400000;
const HEIGHT = 92;
const AXIS = 18;
const PAD = 8;
const MIN_DRAG_PX = 4;
const TICK_PX = 110; // room for one date label
const FENCE_IQRS = 3; // Tukey's far-out fences: a day beyond 3 interquartile ranges is an outlier
const MIN_IQR_DAYS = 14; // so that a burst of a few days does not make every other day an outlier

function quantile(sorted, q) {
  const at = (sorted.length - 1) * q;
  const below = sorted[Math.floor(at)];
  return below + (sorted[Math.ceil(at)] - below) * (at - Math.floor(at));
}

/** [first, last] day (ms) the timeline spans: all days, but those beyond the far-out fences. */
export function robustSpan(days) {
  const sorted = [...days].sort((a, b) => a - b);
  const q1 = quantile(sorted, 0.25);
  const q3 = quantile(sorted, 0.75);
  const iqr = Math.max(q3 - q1, MIN_IQR_DAYS * DAY);
  const inside = sorted.filter((d) => d >= q1 - FENCE_IQRS * iqr && d <= q3 + FENCE_IQRS * iqr);
  return [inside[0], inside[inside.length - 1]];
}

export class Timeline {
  constructor(container, { onBrush }) {
    this.container = container;
    this.onBrush = onBrush;
    this.events = [];
    this.selection = null;
    this.svg = s("svg", { class: "timeline-svg", height: HEIGHT, role: "img", "aria-label": "Events per day; drag to select dates" });
    container.append(this.svg);
    this.enableBrush();
    new ResizeObserver(() => this.render()).observe(container);
  }

  setEvents(events) {
    this.events = events.filter((e) => e.date);
    this.render();
  }

  setSelection(selection) {
    this.selection = selection;
    this.render();
  }

  scale() {
    const days = this.events.map((e) => dayOf(e.date));
    const [low, high] = days.length ? robustSpan(days) : [Date.now() - 29 * DAY, Date.now() - 2 * DAY];
    const first = low - DAY;
    const last = high + 2 * DAY;
    const width = Math.max(200, this.container.clientWidth);
    const x = (ms) => PAD + ((ms - first) / (last - first)) * (width - 2 * PAD);
    const day = (px) => first + ((px - PAD) / (width - 2 * PAD)) * (last - first);
    return { first, last, low, high, width, x, day };
  }

  render() {
    const { first, last, low, high, width, x } = this.scale();
    this.x = x;
    clear(this.svg);
    this.svg.setAttribute("width", width);
    const byDay = new Map();
    for (const event of this.events) {
      const key = dayOf(event.date);
      if (!byDay.has(key)) byDay.set(key, []);
      byDay.get(key).push(event);
    }
    const most = Math.max(1, ...[...byDay.values()].map((list) => list.length));
    const barWidth = Math.max(2, x(first + DAY) - x(first) - 2);
    const plot = HEIGHT - AXIS - 6;
    const before = [...byDay.keys()].filter((key) => key < low);
    const after = [...byDay.keys()].filter((key) => key > high);
    this.outlierMark(before, byDay, x(first) + 1, "start");
    this.outlierMark(after, byDay, x(last) - 1, "end");
    for (const [key, list] of byDay) {
      if (key < low || key > high) continue;
      let top = HEIGHT - AXIS;
      const sorted = [...list].sort((a, b) => String(a.event_type).localeCompare(String(b.event_type)));
      for (const event of sorted) {
        const hgt = plot / most;
        top -= hgt;
        this.svg.append(
          s("rect", { class: "bar", x: x(key) + 1, y: top, width: barWidth, height: Math.max(1, hgt - 1), fill: typeColour(event.event_type) }, s("title", {}, `${event.date}: ${list.length} event(s)`)),
        );
      }
    }
    this.svg.append(s("line", { class: "axis", x1: PAD, x2: width - PAD, y1: HEIGHT - AXIS, y2: HEIGHT - AXIS }));
    const ticks = Math.max(2, Math.floor(width / TICK_PX));
    let previous = -Infinity;
    for (let i = 0; i <= ticks; i++) {
      const ms = first + Math.round(((last - first) * i) / ticks / DAY) * DAY;
      if (x(ms) - previous < TICK_PX * 0.8) continue; // short ranges round several ticks to one day
      previous = x(ms);
      this.svg.append(s("text", { class: "tick", x: x(ms), y: HEIGHT - 4, "text-anchor": i === 0 ? "start" : i === ticks ? "end" : "middle" }, isoOf(ms)));
    }
    if (this.selection) {
      const x0 = x(dayOf(this.selection.since));
      const x1 = x(dayOf(this.selection.until) + DAY);
      this.svg.append(s("rect", { class: "brush", x: x0, y: 2, width: Math.max(2, x1 - x0), height: HEIGHT - AXIS - 2 }));
    }
  }

  /** A mark at one edge counting the events dated beyond it (not drawn to scale). */
  outlierMark(keys, byDay, at, side) {
    if (!keys.length) return;
    const count = keys.reduce((sum, key) => sum + byDay.get(key).length, 0);
    const dates = keys.sort((a, b) => a - b).map(isoOf);
    const span = dates.length > 1 ? `${dates[0]} – ${dates[dates.length - 1]}` : dates[0];
    const label = `${count} event${count === 1 ? "" : "s"} dated ${side === "start" ? "earlier" : "later"}, off the scale: ${span}`;
    const tip = side === "start" ? `M${at} ${HEIGHT - AXIS} l7 -6 l0 12 z` : `M${at} ${HEIGHT - AXIS} l-7 -6 l0 12 z`;
    this.svg.append(
      s("path", { class: "outlier", d: tip, dataset: { side, count } }, s("title", {}, label)),
      s("text", { class: "tick outlier-count", x: side === "start" ? at + 9 : at - 9, y: HEIGHT - AXIS - 8, "text-anchor": side }, `+${count}`),
    );
  }

  enableBrush() {
    let start = null;
    let box = null;
    const local = (event) => event.clientX - this.svg.getBoundingClientRect().left;
    this.svg.addEventListener("pointerdown", (event) => {
      start = local(event);
      this.svg.setPointerCapture(event.pointerId);
      box = s("rect", { class: "brush drawing", x: start, y: 2, width: 0, height: HEIGHT - AXIS - 2 });
      this.svg.append(box);
    });
    this.svg.addEventListener("pointermove", (event) => {
      if (start === null) return;
      const now = local(event);
      box.setAttribute("x", Math.min(start, now));
      box.setAttribute("width", Math.abs(now - start));
    });
    this.svg.addEventListener("pointerup", (event) => {
      if (start === null) return;
      const end = local(event);
      const { day } = this.scale();
      const [a, b] = [Math.min(start, end), Math.max(start, end)];
      start = null;
      if (b - a < MIN_DRAG_PX) {
        this.onBrush(null);
        return;
      }
      const since = isoOf(Math.floor(day(a) / DAY) * DAY);
      const until = isoOf(Math.floor(day(b) / DAY) * DAY);
      this.onBrush({ since, until });
    });
  }
}
