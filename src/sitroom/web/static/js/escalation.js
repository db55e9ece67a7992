// The escalation tab: the weekly (or daily) series of one place or dyad (GET /api/escalation),
// violent events as bars, intensity as a line, de-escalation events below the axis and each
// signal marked on its period; with no place chosen, the current signals everywhere
// (GET /api/signals), each opening its chart.

import { getJSON } from "./api.js";
import { clear, eventLinks, h, s, toggleButton } from "./dom.js";

const HEIGHT = 240;
const PAD = { left: 36, right: 44, top: 30, bottom: 40 };
const CALM_ROOM = 26; // px below the axis for de-escalation events
const MARK = 7; // px: half the width of a signal triangle
const LABEL_PX = 64; // room for one period label
const PERIODS = { week: 12, day: 28 };
const KINDS = {
  increase_large: "large increase",
  increase_moderate: "moderate increase",
  decrease_large: "large decrease",
  decrease_moderate: "moderate decrease",
  highest_1y: "highest in a year",
  highest_3y: "highest in three years",
  deescalation: "de-escalation",
};

function kindBadge(signal) {
  return h("span", { class: `badge signal-${signal.direction}` }, KINDS[signal.kind] || signal.kind);
}

function dyadPair(subject) {
  return subject.split(" – ");
}

export class EscalationView {
  constructor(container, { onOpen, onFocus }) {
    this.container = container;
    this.onOpen = onOpen;
    this.onFocus = onFocus;
    this.period = "week";
    this.dyad = null;
    this.request = 0;
  }

  /** Show the chart of ``context.place`` (or of a dyad picked from the signal list), else the signal list. */
  async show(context) {
    this.context = context;
    if (context.place) this.dyad = null;
    const ticket = ++this.request;
    const today = context.asOf ? `&today=${encodeURIComponent(context.asOf)}` : "";
    // with no dates selected, the chart ends at the subject's own newest event: in a store of
    // mixed dates a place's weeks, not the store's newest (empty) weeks
    const latest = context.until ? "" : "&latest=true";
    const subject = this.dyad ? `dyad=${encodeURIComponent(this.dyad)}` : context.place ? `place=${encodeURIComponent(context.place)}` : null;
    try {
      const body = subject
        ? await getJSON(`/api/escalation?${subject}&period=${this.period}&periods=${PERIODS[this.period]}${today}${latest}`)
        : await getJSON(`/api/signals?${today.slice(1)}`);
      if (ticket !== this.request) return;
      clear(this.container);
      if (subject) this.renderChart(body);
      else this.renderScan(body);
    } catch (error) {
      if (ticket !== this.request) return;
      clear(this.container).append(h("p", { class: "error" }, `Cannot load the escalation view: ${error.message}`));
    }
    this.container.dataset.loaded = subject ? "chart" : "scan";
  }

  asOfNote(body) {
    const why = this.context.until ? " (the end of the selected dates)" : body.series && body.incidents ? " (its newest event)" : this.context.asOf ? " (the latest date in view)" : "";
    return h("span", { class: "muted" }, `as of ${body.today}${why}`);
  }

  renderScan(body) {
    const list = h("ul", { class: "signal-list" });
    for (const signal of body.signals) {
      const open = () => {
        if (signal.level === "dyad") {
          this.dyad = dyadPair(signal.subject).join(",");
          this.show(this.context);
        } else {
          this.onFocus(signal.subject, [signal.subject]);
        }
      };
      list.append(
        h(
          "li",
          { class: `signal ${signal.direction}` },
          h("div", { class: "signal-line1" }, h("button", { type: "button", class: "link subject", onclick: open }, signal.subject), h("span", { class: "badge muted" }, signal.level), kindBadge(signal)),
          h("div", { class: "signal-reason" }, signal.reason),
          signal.event_ids.length ? h("div", { class: "signal-events muted" }, "reports: ", eventLinks(signal.event_ids, this.onOpen)) : null,
        ),
      );
    }
    this.container.append(
      h("header", { class: "tab-head" }, h("h2", {}, "Current signals"), this.asOfNote(body)),
      h("p", { class: "muted hint" }, "Pick a place to chart it: type it in the Place filter, click a marker on the map, or click a place below."),
      body.signals.length ? list : h("p", { class: "empty" }, "No signal: no place or dyad changed enough to say so."),
    );
  }

  renderChart(body) {
    const choices = this.dyad ? [] : this.context.choices || [];
    const periodButton = (period, label) =>
      toggleButton(label, period === this.period, () => {
        this.period = period;
        this.show(this.context);
      });
    const scope = choices.length > 1
      ? h("span", { class: "scope" }, "place: ", choices.map((name) => toggleButton(name, name === this.context.place, () => this.onFocus(name, choices))))
      : null;
    const back = h("button", { type: "button", class: "back", onclick: () => { this.dyad = null; this.onFocus(null, null); } }, "← All signals");
    this.container.append(
      h(
        "header",
        { class: "tab-head" },
        back,
        h("h2", { "data-testid": "escalation-subject" }, body.subject, h("span", { class: "badge muted" }, body.level)),
        h("div", { class: "tab-tools" }, periodButton("week", "Weeks"), periodButton("day", "Days"), scope, this.asOfNote(body)),
      ),
    );
    if (!body.incidents) {
      this.container.append(h("p", { class: "empty" }, `No event on record for ${body.subject}.`));
      return;
    }
    this.container.append(this.chart(body), this.legend(), this.signalList(body));
  }

  chart(body) {
    const points = body.series;
    const width = Math.max(320, this.container.clientWidth - 24);
    const plotW = width - PAD.left - PAD.right;
    const band = plotW / points.length;
    const axisY = HEIGHT - PAD.bottom - CALM_ROOM;
    const plotH = axisY - PAD.top;
    const most = Math.max(1, ...points.map((p) => p.events + p.planned));
    const hottest = Math.max(1, ...points.map((p) => p.intensity));
    const y = (count) => axisY - (count / most) * plotH;
    const yIntensity = (value) => axisY - (value / hottest) * plotH;
    const x = (i) => PAD.left + i * band;
    const svg = s("svg", { class: "escalation-chart", width, height: HEIGHT, role: "img", "aria-label": `${body.subject}: events and intensity per ${body.period}` });
    svg.append(
      s("line", { class: "axis", x1: PAD.left, x2: width - PAD.right, y1: axisY, y2: axisY }),
      s("text", { class: "tick", x: PAD.left - 6, y: PAD.top + 4, "text-anchor": "end" }, String(most)),
      s("text", { class: "tick", x: PAD.left - 6, y: axisY + 4, "text-anchor": "end" }, "0"),
      s("text", { class: "tick intensity-tick", x: width - PAD.right + 6, y: PAD.top + 4 }, hottest.toFixed(1)),
    );
    const every = Math.max(1, Math.ceil(LABEL_PX / band));
    const line = [];
    points.forEach((p, i) => {
      const barX = x(i) + band * 0.18;
      const barW = Math.max(2, band * 0.64);
      const what = `${p.start}${p.period === "week" ? ` – ${p.end}` : ""}: ${p.events} violent event(s), ${p.fatalities} dead, intensity ${p.intensity}` +
        `${p.planned ? `, ${p.planned} planned or threatened` : ""}${p.deescalation ? `, ${p.deescalation} de-escalation event(s)` : ""}${p.complete ? "" : " (so far)"}`;
      const group = s("g", { class: p.complete ? "period" : "period partial", dataset: { start: p.start, events: p.events } }, s("title", {}, what));
      if (p.events) group.append(s("rect", { class: "bar-events", x: barX, y: y(p.events), width: barW, height: axisY - y(p.events) }));
      if (p.planned) group.append(s("rect", { class: "bar-planned", x: barX, y: y(p.events + p.planned), width: barW, height: y(p.events) - y(p.events + p.planned) }));
      if (p.deescalation) group.append(s("rect", { class: "bar-calm", x: barX, y: axisY + 1, width: barW, height: Math.min(CALM_ROOM - 4, (p.deescalation / most) * plotH) }));
      group.append(s("rect", { class: "hit", x: x(i), y: PAD.top, width: band, height: axisY - PAD.top + CALM_ROOM }));
      svg.append(group);
      line.push(`${x(i) + band / 2},${yIntensity(p.intensity)}`);
      // labelled from the newest period back, so the latest always has its date
      if ((points.length - 1 - i) % every === 0) {
        svg.append(s("text", { class: "tick", x: x(i) + band / 2, y: HEIGHT - PAD.bottom + 14, "text-anchor": "middle" }, p.start.slice(5)));
      }
    });
    svg.append(s("polyline", { class: "intensity", points: line.join(" ") }));
    points.forEach((p, i) => svg.append(s("circle", { class: "intensity-dot", cx: x(i) + band / 2, cy: yIntensity(p.intensity), r: 2.5 })));
    svg.append(s("text", { class: "tick", x: PAD.left, y: HEIGHT - 6 }, `${points[0].start.slice(0, 4)} · ${body.period === "week" ? "ISO weeks (Monday)" : "days"}`));
    this.markSignals(svg, body, x, band);
    return h("div", { class: "chart-box" }, svg);
  }

  markSignals(svg, body, x, band) {
    const stacked = new Map();
    for (const signal of body.signals) {
      // a trend signal is about its week; the others are about the period ending "today"
      const day = signal.kind.startsWith("increase") || signal.kind.startsWith("decrease") ? signal.start : signal.end;
      const i = body.series.findIndex((p) => p.start <= day && day <= p.end);
      if (i < 0) continue;
      const level = stacked.get(i) || 0;
      stacked.set(i, level + 1);
      const cx = x(i) + band / 2;
      const top = PAD.top - 14 - level * (2 * MARK + 2);
      const up = signal.direction === "escalation";
      const d = up
        ? `M${cx - MARK} ${top + 2 * MARK}L${cx + MARK} ${top + 2 * MARK}L${cx} ${top}Z`
        : `M${cx - MARK} ${top}L${cx + MARK} ${top}L${cx} ${top + 2 * MARK}Z`;
      svg.append(s("path", { class: `signal-mark ${signal.direction}`, d, dataset: { kind: signal.kind, start: body.series[i].start } }, s("title", {}, `${KINDS[signal.kind] || signal.kind}: ${signal.reason}`)));
    }
  }

  legend() {
    const key = (cls, text) => h("span", { class: "legend-item" }, h("span", { class: `key ${cls}` }), text);
    return h(
      "p",
      { class: "chart-legend" },
      key("events", "violent events"),
      key("planned", "planned or threatened"),
      key("calm", "de-escalation events"),
      key("intensity", "intensity (right scale)"),
      h("span", { class: "legend-item" }, h("span", { class: "mark-up" }, "▲"), "escalation signal"),
      h("span", { class: "legend-item" }, h("span", { class: "mark-down" }, "▼"), "de-escalation signal"),
    );
  }

  signalList(body) {
    const items = body.signals.map((signal) =>
      h(
        "li",
        { class: `signal ${signal.direction}`, dataset: { kind: signal.kind } },
        h("div", { class: "signal-line1" }, kindBadge(signal), h("span", { class: "muted" }, signal.start === signal.end ? signal.end : `${signal.start} – ${signal.end}`)),
        h("div", { class: "signal-reason" }, signal.reason),
        signal.event_ids.length ? h("div", { class: "signal-events muted" }, "reports: ", eventLinks(signal.event_ids, this.onOpen)) : null,
      ),
    );
    return h(
      "section",
      { class: "signals" },
      h("h3", {}, "Signals"),
      items.length ? h("ul", { class: "signal-list" }, items) : h("p", { class: "muted" }, "No signal in this span (rules: docs/monitoring.md)."),
    );
  }
}
