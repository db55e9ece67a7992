// The civilian-protection tab (GET /api/protection): a small timeline by kind (one row per
// kind, a dot per place and period sized by its incidents) and the table of rows, each
// linking to the reports of its incidents.

import { getJSON } from "./api.js";
import { clear, dayOf, eventLinks, h, isoOf, PROTECTION_KINDS, s, toggleButton } from "./dom.js";

const DAY = 86400000;
const ROW_PX = 22;
const LABEL_W = 128;
const PAD = 12;
const AXIS = 20;
const BASE_R = 3;
const R_PER_SQRT = 2.4; // px per square root of the incidents in a dot, so area grows with them
const MAX_R = 10;
const TICK_PX = 110;

function total(row) {
  return row.events + row.planned + row.denied + row.other;
}

function statusText(row) {
  const parts = [];
  if (row.kind === "evacuation" && row.completed) parts.push(`${row.completed} completed`);
  if (row.planned) parts.push(`${row.planned} planned or threatened`);
  if (row.denied) parts.push(`${row.denied} denied`);
  if (row.other) parts.push(`${row.other} unconfirmed`);
  return parts.join(", ");
}

function tollText(row) {
  return [[row.dead, "dead"], [row.injured, "injured"], [row.displaced, "displaced"]]
    .filter(([n]) => n)
    .map(([n, what]) => `${n} ${what}`)
    .join(" · ");
}

export class ProtectionView {
  constructor(container, { onOpen, onFocus }) {
    this.container = container;
    this.onOpen = onOpen;
    this.onFocus = onFocus;
    this.period = "week";
    this.request = 0;
  }

  /** Show the rows of ``context.place`` (all places when none) within the selected dates. */
  async show(context) {
    this.context = context;
    const params = new URLSearchParams({ period: this.period });
    if (context.place) params.set("place", context.place);
    if (context.since) params.set("since", context.since);
    if (context.until) params.set("until", context.until);
    const ticket = ++this.request;
    try {
      const body = await getJSON(`/api/protection?${params}`);
      if (ticket !== this.request) return;
      this.render(clear(this.container), body.rows);
    } catch (error) {
      if (ticket !== this.request) return;
      clear(this.container).append(h("p", { class: "error" }, `Cannot load the civilian-protection view: ${error.message}`));
    }
    this.container.dataset.loaded = "true";
  }

  render(container, rows) {
    const ctx = this.context;
    const periodButton = (period, label) =>
      toggleButton(label, period === this.period, () => {
        this.period = period;
        this.show(ctx);
      });
    const where = ctx.place ? ctx.place : "all places";
    const when = ctx.since ? `${ctx.since} – ${ctx.until}` : "all dates";
    container.append(
      h(
        "header",
        { class: "tab-head" },
        h("h2", {}, "Civilian protection", h("span", { class: "badge muted" }, where)),
        h(
          "div",
          { class: "tab-tools" },
          periodButton("week", "Weeks"),
          periodButton("day", "Days"),
          ctx.place ? h("button", { type: "button", class: "link", onclick: () => this.onFocus(null, null) }, "all places") : null,
          h("span", { class: "muted" }, when),
        ),
      ),
    );
    if (!rows.length) {
      container.append(h("p", { class: "empty" }, "No evacuation, corridor, protected site, human-shield claim, civilian casualty, displacement or aid-access report in view."));
      return;
    }
    container.append(this.timeline(rows), this.table(rows));
  }

  timeline(rows) {
    const kinds = Object.keys(PROTECTION_KINDS);
    const width = Math.max(320, this.container.clientWidth - 24);
    const height = kinds.length * ROW_PX + AXIS + PAD;
    const starts = rows.map((r) => dayOf(r.start));
    const step = this.period === "week" ? 7 * DAY : DAY;
    const first = Math.min(...starts) - step / 2;
    const last = Math.max(...starts) + step * 1.5;
    const x = (ms) => LABEL_W + ((ms - first) / (last - first)) * (width - LABEL_W - PAD);
    const svg = s("svg", { class: "protection-timeline", width, height, role: "img", "aria-label": "Civilian-protection reports by kind over time" });
    kinds.forEach((kind, i) => {
      const y = PAD + i * ROW_PX + ROW_PX / 2;
      svg.append(
        s("line", { class: "lane", x1: LABEL_W, x2: width - PAD, y1: y, y2: y }),
        s("text", { class: "lane-label", x: LABEL_W - 8, y: y + 4, "text-anchor": "end" }, PROTECTION_KINDS[kind].label),
      );
    });
    for (const row of rows) {
      const y = PAD + kinds.indexOf(row.kind) * ROW_PX + ROW_PX / 2;
      const r = Math.min(MAX_R, BASE_R + R_PER_SQRT * Math.sqrt(total(row)));
      const what = `${PROTECTION_KINDS[row.kind].label} · ${row.place} · ${row.start}: ${row.events} happened${statusText(row) ? `, ${statusText(row)}` : ""}`;
      svg.append(
        s("circle", { class: row.events ? "dot" : "dot unconfirmed", cx: x(dayOf(row.start) + step / 2), cy: y, r, fill: PROTECTION_KINDS[row.kind].colour, stroke: PROTECTION_KINDS[row.kind].colour, dataset: { kind: row.kind } }, s("title", {}, what)),
      );
    }
    const axisY = height - AXIS + 4;
    svg.append(s("line", { class: "axis", x1: LABEL_W, x2: width - PAD, y1: axisY, y2: axisY }));
    const ticks = Math.max(2, Math.floor((width - LABEL_W) / TICK_PX));
    let previous = -Infinity;
    for (let i = 0; i <= ticks; i++) {
      const ms = first + Math.round(((last - first) * i) / ticks / DAY) * DAY;
      if (x(ms) - previous < TICK_PX * 0.8) continue;
      previous = x(ms);
      svg.append(s("text", { class: "tick", x: x(ms), y: height - 2, "text-anchor": i === 0 ? "start" : i === ticks ? "end" : "middle" }, isoOf(ms)));
    }
    return h("div", { class: "chart-box" }, svg);
  }

  table(rows) {
    const head = h("tr", {}, ["Period", "Place", "Kind", "Events", "Toll", "Sites", "Reports"].map((t) => h("th", {}, t)));
    const body = rows.map((row) =>
      h(
        "tr",
        { dataset: { kind: row.kind, place: row.place } },
        h("td", { class: "nowrap" }, this.period === "week" ? `${row.start} – ${row.end.slice(5)}` : row.start),
        h("td", {}, h("button", { type: "button", class: "link", title: "show this place only", onclick: () => this.onFocus(row.place, [row.place]) }, row.place)),
        h("td", {}, h("span", { class: "kind-chip", dataset: { kind: row.kind } }, PROTECTION_KINDS[row.kind].label)),
        h("td", { class: "num" }, String(row.events), statusText(row) ? h("div", { class: "muted small" }, statusText(row)) : null),
        h("td", { class: "nowrap" }, tollText(row) || "—"),
        h("td", {}, row.sites.join(", ") || "—"),
        h("td", {}, eventLinks(row.event_ids, this.onOpen)),
      ),
    );
    const table = h("table", { class: "reports protection-table" }, h("thead", {}, head), h("tbody", {}, body));
    for (const chip of table.querySelectorAll(".kind-chip")) chip.style.borderColor = PROTECTION_KINDS[chip.dataset.kind].colour;
    return h("section", {}, h("h3", {}, "By place and period"), h("div", { class: "table-box" }, table), h("p", { class: "muted small" }, "Events: incidents reported to have happened; the toll adds the lowest figure reported for each."));
  }
}
