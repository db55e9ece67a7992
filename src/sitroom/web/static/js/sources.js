// The sources tab: the feeds and pages the follower polls (GET /api/sources) with their state,
// and the top bar's "updated N min ago" (the newest article any source gave).

import { getJSON } from "./api.js";
import { clear, h } from "./dom.js";

/** "updated 3 min ago" from an ISO 8601 moment; "" without one. */
export function agoText(iso, now = Date.now()) {
  if (!iso) return "";
  const minutes = Math.max(0, Math.floor((now - Date.parse(iso)) / 60000));
  if (minutes < 1) return "updated just now";
  if (minutes < 120) return `updated ${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `updated ${hours} h ago` : `updated ${Math.floor(hours / 24)} days ago`;
}

/** Show when the followed sources last gave a new article (nothing when none is followed). */
export async function showUpdated(element) {
  try {
    const { updated_at: updated, sources } = await getJSON("/api/sources");
    element.textContent = sources.length ? agoText(updated) || "no new report yet" : "";
    element.title = updated ? `newest article from a followed source: ${updated}` : "";
  } catch {
    element.textContent = "";
  }
}

export class SourcesView {
  constructor(container) {
    this.container = container;
    this.request = 0;
  }

  async show() {
    const ticket = ++this.request;
    try {
      const listed = await getJSON("/api/sources");
      if (ticket !== this.request) return;
      this.render(clear(this.container), listed);
    } catch (error) {
      if (ticket !== this.request) return;
      clear(this.container).append(h("p", { class: "error" }, `Cannot load sources: ${error.message}`));
    }
    this.container.dataset.loaded = "true";
  }

  render(container, { updated_at: updated, sources }) {
    container.append(
      h(
        "header",
        { class: "tab-head" },
        h("h2", {}, "Sources", h("span", { class: "badge muted" }, String(sources.length))),
        h("div", { class: "tab-tools muted" }, agoText(updated)),
      ),
    );
    const items = sources.map((s) =>
      h(
        "li",
        { class: "source", dataset: { id: String(s.id), status: s.status } },
        h("div", { class: "signal-line1" }, h("strong", {}, s.outlet || s.url), h("span", { class: s.status === "failing" ? "badge dead" : s.status === "ok" ? "badge sources" : "badge muted" }, s.status)),
        h("div", { class: "signal-reason" }, s.state),
        h("div", { class: "signal-events muted" }, `${s.url} · every ${s.interval_s} s · ${s.items_seen} items seen · ${s.articles_stored} articles stored · last new ${s.last_new_item ? s.last_new_item.slice(0, 16).replace("T", " ") : "—"}`),
      ),
    );
    container.append(
      items.length
        ? h("ul", { class: "signal-list" }, items)
        : h("p", { class: "empty" }, "No source followed: sitroom follow URL, sitroom serve --follow FILE, or POST /api/sources."),
    );
  }
}
