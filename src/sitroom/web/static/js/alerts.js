// The alerts tab: the saved watches (GET /api/watches) and the alerts they raised
// (GET /api/alerts), with the Atom feed's address for feed readers.

import { getJSON } from "./api.js";
import { clear, eventLinks, h } from "./dom.js";

const LIMIT = 200;
const FEED = "/api/alerts.atom";

export class AlertsView {
  constructor(container, { onOpen }) {
    this.container = container;
    this.onOpen = onOpen;
    this.request = 0;
  }

  async show() {
    const ticket = ++this.request;
    try {
      const [watches, alerts] = await Promise.all([getJSON("/api/watches"), getJSON(`/api/alerts?limit=${LIMIT}`)]);
      if (ticket !== this.request) return;
      this.render(clear(this.container), watches, alerts);
    } catch (error) {
      if (ticket !== this.request) return;
      clear(this.container).append(h("p", { class: "error" }, `Cannot load alerts: ${error.message}`));
    }
    this.container.dataset.loaded = "true";
  }

  render(container, watches, alerts) {
    container.append(
      h(
        "header",
        { class: "tab-head" },
        h("h2", {}, "Alerts", h("span", { class: "badge muted" }, String(alerts.length))),
        h("div", { class: "tab-tools" }, h("a", { href: FEED, type: "application/atom+xml", class: "feed-link", "data-testid": "atom-feed" }, "Atom feed"), h("span", { class: "muted" }, FEED)),
      ),
    );
    const watchItems = watches.map((w) => h("li", {}, h("strong", {}, w.name), " ", h("span", { class: "muted" }, `${w.description} · since ${w.added || "—"}`)));
    container.append(
      h(
        "section",
        { class: "watches" },
        h("h3", {}, `Watches (${watches.length})`),
        watches.length ? h("ul", { class: "watch-list" }, watchItems) : h("p", { class: "muted" }, "No watch saved: sitroom watch add NAME --place P --threshold N, or POST /api/watches."),
      ),
    );
    const items = alerts.map((a) =>
      h(
        "li",
        { class: "alert", dataset: { key: a.key } },
        h("div", { class: "signal-line1" }, h("strong", {}, a.watch), h("span", { class: "badge dead" }, `${a.count} ≥ ${a.threshold}`), h("span", { class: "muted" }, `${a.window_start} – ${a.window_end}`)),
        h("div", { class: "signal-reason" }, a.title),
        h(
          "div",
          { class: "signal-events muted" },
          a.places.length ? `${a.places.join(", ")} · ` : "",
          `raised ${a.created_at ? a.created_at.slice(0, 16).replace("T", " ") : "—"} · `,
          a.delivered_at ? "posted to the webhook" : a.attempts ? `webhook failed ${a.attempts}×${a.last_error ? ` (${a.last_error})` : ""}` : "not posted",
          a.event_ids.length ? [" · reports: ", eventLinks(a.event_ids, this.onOpen)] : null,
        ),
      ),
    );
    container.append(
      h(
        "section",
        { class: "alerts" },
        h("h3", {}, "Raised"),
        items.length ? h("ul", { class: "signal-list" }, items) : h("p", { class: "empty" }, "No alert yet. Watches are evaluated by the follower as reports arrive, by sitroom alerts or POST /api/alerts/evaluate."),
      ),
    );
  }
}
