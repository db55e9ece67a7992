// The alerts tab: the saved watches (GET /api/watches), a form to add one (POST /api/watches)
// and a button to delete each (DELETE /api/watches/{name}), both with an admin's token, and
// the alerts they raised (GET /api/alerts), with the Atom feed's address for feed readers.

import { getJSON, keepToken, savedToken, sendJSON } from "./api.js";
import { PROTECTION_KINDS, clear, eventLinks, h } from "./dom.js";
import { TYPE_WORDS, typeLabel } from "./words.js";

const LIMIT = 200;
const FEED = "/api/alerts.atom";

/** The body of POST /api/watches from the form's values: the fields given, numbers as numbers. */
export function watchBody(values) {
  const body = { name: values.name.trim(), threshold: Number(values.threshold) };
  if (values.window_days) body.window_days = Number(values.window_days);
  for (const key of ["place", "actor", "event_type", "protection"]) {
    const value = (values[key] || "").trim();
    if (value) body[key] = value;
  }
  return body;
}

function labelled(text, control) {
  return h("label", { class: "review-field" }, h("span", {}, text), control);
}

export class AlertsView {
  constructor(container, { onOpen }) {
    this.container = container;
    this.onOpen = onOpen;
    this.request = 0;
  }

  /** ``notice``: what the last add or delete did, said under the form. */
  async show(notice = "") {
    const ticket = ++this.request;
    try {
      const [watches, alerts] = await Promise.all([getJSON("/api/watches"), getJSON(`/api/alerts?limit=${LIMIT}`)]);
      if (ticket !== this.request) return;
      this.render(clear(this.container), watches, alerts, notice);
    } catch (error) {
      if (ticket !== this.request) return;
      clear(this.container).append(h("p", { class: "error" }, `Cannot load alerts: ${error.message}`));
    }
    this.container.dataset.loaded = "true";
  }

  /** The form that adds a watch, with the admin token that the delete buttons use too. */
  watchForm(notice) {
    const input = (name, attrs = {}) => h("input", { name, "aria-label": `watch ${name.replace("_", " ")}`, autocomplete: "off", ...attrs });
    const name = input("name", { required: true, maxlength: 200, placeholder: "e.g. idlib-attacks" });
    const threshold = input("threshold", { type: "number", min: 1, step: 1, required: true, placeholder: "3" });
    const windowDays = input("window_days", { type: "number", min: 1, max: 366, step: 1, placeholder: "7 (ISO weeks)" });
    const place = input("place", { placeholder: "Idlib, Syria or SYR" });
    const actor = input("actor", { placeholder: "name or part of one" });
    const type = h("select", { name: "event_type", "aria-label": "watch event type" }, h("option", { value: "" }, "any"), Object.keys(TYPE_WORDS).sort().map((t) => h("option", { value: t }, typeLabel(t))));
    const protection = h("select", { name: "protection", "aria-label": "watch protection" }, h("option", { value: "" }, "any"), Object.entries(PROTECTION_KINDS).map(([k, v]) => h("option", { value: k }, v.label)));
    this.token = input("token", { type: "password", placeholder: "admin token", "aria-label": "admin token" });
    this.token.value = savedToken();
    this.said = h("p", { class: "watch-said muted", role: "status", "data-testid": "watch-said" }, notice);
    const submit = async (e) => {
      e.preventDefault();
      const body = watchBody({ name: name.value, threshold: threshold.value, window_days: windowDays.value, place: place.value, actor: actor.value, event_type: type.value, protection: protection.value });
      await this.write("POST", "/api/watches", body, `Saved watch ${body.name}`);
    };
    return h(
      "form",
      { class: "watch-form", onsubmit: submit, novalidate: true, "data-testid": "watch-form" },
      h(
        "fieldset",
        {},
        h("legend", {}, "Add a watch: an alert when the events of one window reach the threshold (give a place, an actor, a type or a protection kind)"),
        labelled("name", name),
        labelled("threshold", threshold),
        labelled("window (days)", windowDays),
        labelled("place", place),
        labelled("actor", actor),
        labelled("event type", type),
        labelled("protection", protection),
      ),
      h("div", { class: "review-send" }, this.token, h("button", { type: "submit", class: "primary" }, "Add watch")),
      this.said,
    );
  }

  /** A write with the form's token; the tab again with ``done`` said, or the error's one line. */
  async write(method, url, body, done) {
    const token = this.token.value.trim();
    this.said.className = "watch-said muted";
    this.said.textContent = "Saving…";
    try {
      await sendJSON(method, url, body, token);
      keepToken(token);
      await this.show(done);
    } catch (err) {
      this.said.className = "watch-said error";
      this.said.textContent = `Not saved: ${err.message}`;
    }
  }

  render(container, watches, alerts, notice = "") {
    container.append(
      h(
        "header",
        { class: "tab-head" },
        h("h2", {}, "Alerts", h("span", { class: "badge muted" }, String(alerts.length))),
        h("div", { class: "tab-tools" }, h("a", { href: FEED, type: "application/atom+xml", class: "feed-link", "data-testid": "atom-feed" }, "Atom feed"), h("span", { class: "muted" }, FEED)),
      ),
    );
    const remove = (w) => this.write("DELETE", `/api/watches/${encodeURIComponent(w.name)}`, undefined, `Deleted watch ${w.name}`);
    const watchItems = watches.map((w) =>
      h(
        "li",
        { dataset: { name: w.name } },
        h("span", { class: "watch-text" }, h("strong", {}, w.name), " ", h("span", { class: "muted" }, `${w.description} · since ${w.added || "—"}`)),
        h("button", { type: "button", class: "link", "aria-label": `delete watch ${w.name}`, onclick: () => remove(w) }, "delete"),
      ),
    );
    container.append(
      h(
        "section",
        { class: "watches" },
        h("h3", {}, `Watches (${watches.length})`),
        watches.length ? h("ul", { class: "watch-list" }, watchItems) : h("p", { class: "muted" }, "No watch saved: add one below (an admin's token), or sitroom watch add NAME --place P --threshold N."),
        this.watchForm(notice),
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
