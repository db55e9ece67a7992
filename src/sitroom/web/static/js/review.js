// The event panel's review section: the analysts' review status, the corrected fields and the
// corrections log (who, when, what, why), and the form of every review action with its reason
// (POST /api/events/{id}/review, a reviewer's token): confirm; correct the type, actors, place
// (picked from the gazetteer, GET /api/places), date and precision or tolls; dismiss with its
// kind; merge with another event; split this report out of its cluster. The token is kept for
// this tab's session only (api.js).

import { getJSON, keepToken, savedToken, sendJSON } from "./api.js";
import { countText, h } from "./dom.js";
import { TYPE_WORDS, dateLabel, typeLabel } from "./words.js";

const ACTIONS = {
  confirm: "confirm: the event is right",
  correct: "correct fields",
  dismiss: "dismiss",
  merge: "merge with another event",
  split: "split out of its cluster",
};
const DISMISS_KINDS = { not_event: "not an event", duplicate: "duplicate", wrong: "wrong" };
const PRECISIONS = ["day", "week", "month", "year"];
const PLACES_SHOWN = 10;
const MERGE_SHOWN = 100; // a merge's picks: enough for the events around this one, few enough to build at once
const TYPING_MS = 250; // the places are looked up once typing pauses this long

/** One log entry in words: "2026-01-09T10:00:00+00:00 ana: event_type ASSAULT → COERCE — why". */
export function entryText(entry) {
  const changes = entry.changes || {};
  let what = "confirmed";
  if (entry.action === "correct") what = Object.entries(changes).map(([field, c]) => `${field} ${short(c.before)} → ${short(c.after)}`).join("; ");
  else if (entry.action === "dismiss") what = `dismissed (${changes.dismissed})`;
  else if (entry.action === "merge") what = `merged with ${changes.merged_with}`;
  else if (entry.action === "split") what = "split out of its cluster";
  return `${entry.created_at} ${entry.reviewer}: ${what} — ${entry.reason}`;
}

function short(value) {
  if (value === null || value === undefined) return "—";
  if (Array.isArray(value)) return value.map(short).join(", ") || "—";
  if (typeof value === "object") {
    if ("min" in value) return value.min === value.max ? String(value.min) : `${value.min}–${value.max}`;
    return String(value.name || value.text || "?");
  }
  return String(value);
}

/** "Arīḩā · Idlib · SYR · city": a gazetteer entry (GET /api/places) as the place pick shows it. */
export function placeLabel(place) {
  return [place.name, place.admin1 !== place.name ? place.admin1 : null, place.country !== place.name ? place.country : null, place.kind].filter(Boolean).join(" · ");
}

/** The request body of the form's values: only the fields given, as POST /api/events/{id}/review takes them. */
export function reviewBody(values) {
  const body = { action: values.action, reason: values.reason };
  if (values.action === "dismiss") body.kind = values.kind;
  if (values.action === "merge") body.other = values.other;
  if (values.action === "correct") {
    for (const field of ["event_type", "actor", "recipient", "location", "date", "date_precision", "dead", "injured"]) {
      const value = (values[field] || "").trim();
      if (value) body[field] = value;
    }
  }
  return body;
}

function field(label, control, hint) {
  return h("label", { class: "review-field" }, h("span", {}, label), control, hint ? h("small", { class: "muted" }, hint) : null);
}

function options(choices, keep) {
  return [keep ? h("option", { value: "" }, keep) : null, ...Object.entries(choices).map(([value, text]) => h("option", { value }, text))];
}

/** The place input and its list of gazetteer entries, looked up as the reviewer types or
 * around a point clicked on the map (``picker``, when given); ``value()`` is the entry id of
 * a picked label, else the typed text as it is (a name the server looks up). */
function placePick(current, picker) {
  const list = h("datalist", { id: "review-places" });
  const input = h("input", { name: "location", list: "review-places", placeholder: current || "a place name", "aria-label": "place", autocomplete: "off" });
  const ids = new Map();
  let timer = null;
  let asked = 0;
  /** Offer the places of ``query`` (GET /api/places); resolves to them, or null when a newer ask came. */
  const offer = async (query) => {
    const ticket = ++asked;
    const places = await getJSON(`/api/places?${new URLSearchParams({ ...query, limit: String(PLACES_SHOWN) })}`);
    if (ticket !== asked) return null;
    list.replaceChildren(
      ...places.map((p) => {
        const label = placeLabel(p);
        ids.set(label, p.id);
        return h("option", { value: label }, p.distance_km === null || p.distance_km === undefined ? `${p.lat.toFixed(2)}, ${p.lon.toFixed(2)}` : `${p.distance_km} km away`);
      }),
    );
    input.dataset.found = String(places.length);
    return places;
  };
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const q = input.value.trim();
    if (q.length < 2 || ids.has(input.value)) return;
    timer = setTimeout(() => offer({ q }).catch(() => (input.dataset.found = "error")), TYPING_MS); // on error the server resolves the name on saving
  });
  const controls = [input];
  if (picker) {
    const idle = "or click it on the map";
    const button = h("button", { type: "button", class: "link", "data-testid": "pick-on-map", "aria-pressed": "false" }, idle);
    button.addEventListener("click", async () => {
      if (button.getAttribute("aria-pressed") === "true") return picker.cancel(); // a second press cancels
      button.setAttribute("aria-pressed", "true");
      button.textContent = "click the place on the map (Esc cancels)";
      const point = await picker.pick();
      button.setAttribute("aria-pressed", "false");
      button.textContent = idle;
      if (!point) return;
      try {
        const places = await offer({ lat: point.lat.toFixed(4), lon: point.lon.toFixed(4) });
        if (places === null) return;
        input.value = places.length ? placeLabel(places[0]) : "";
        input.placeholder = places.length ? input.placeholder : `no town near ${point.lat.toFixed(2)}, ${point.lon.toFixed(2)}`;
      } catch (err) {
        input.placeholder = `cannot look the point up: ${err.message}`;
      }
    });
    controls.push(button);
  }
  return { controls, list, value: () => ids.get(input.value) || input.value };
}

/** The other events a merge may pick: of those listed (this one left out), the MERGE_SHOWN at
 * the same place first, then the nearest in date. */
function mergeChoices(event, candidates) {
  const place = (e) => (e.location ? e.location.name : null);
  const days = (e) => (e.date && event.date ? Math.abs(Date.parse(e.date) - Date.parse(event.date)) : Infinity);
  const rank = (e) => [place(e) && place(e) === place(event) ? 0 : 1, days(e)];
  const before = (a, b) => rank(a)[0] - rank(b)[0] || (rank(a)[1] === rank(b)[1] ? 0 : rank(a)[1] < rank(b)[1] ? -1 : 1);
  const others = (candidates || []).filter((e) => e.id !== event.id).sort(before).slice(0, MERGE_SHOWN);
  return h(
    "datalist",
    { id: "review-merge" },
    others.map((e) => h("option", { value: e.id }, [typeLabel(e.event_type), e.location ? e.location.name : null, dateLabel(e)].filter(Boolean).join(" · "))),
  );
}

/** The review section of one event. ``onReviewed(id, notice)`` runs after an action succeeded;
 * ``candidates`` are the events listed (a merge's picks); ``notice`` is said in the status line;
 * ``picker.pick()`` resolves to the {lat, lon} of the next click on the map (null when
 * ``picker.cancel()`` ends it first). */
export function reviewSection(event, corrections, { onReviewed, candidates = [], inCluster = false, notice = "", picker = null }) {
  const action = h("select", { "aria-label": "review action", name: "action" }, options(ACTIONS));
  const kind = h("select", { "aria-label": "dismissal kind", name: "kind" }, options(DISMISS_KINDS));
  const type = h("select", { "aria-label": "event type", name: "event_type" }, options({ none: "no type", ...Object.fromEntries(Object.keys(TYPE_WORDS).sort().map((t) => [t, typeLabel(t)])) }, `keep: ${typeLabel(event.event_type)}`));
  const names = (list) => (list || []).map((e) => e.name || e.text).join("; ");
  const actor = h("input", { name: "actor", placeholder: names(event.actor) || "names; separated by ;", "aria-label": "actor (source)" });
  const recipient = h("input", { name: "recipient", placeholder: names(event.recipient) || "names; separated by ;", "aria-label": "recipient (target)" });
  const place = placePick(event.location && event.location.name, picker);
  const date = h("input", { type: "date", name: "date", "aria-label": "date" });
  const precision = h("select", { name: "date_precision", "aria-label": "date precision" }, options(Object.fromEntries(PRECISIONS.map((p) => [p, p])), `keep: ${event.date_precision || "—"}`));
  const toll = (name, count) => h("input", { name, inputmode: "numeric", pattern: "\\s*(none|\\d+(\\s*-\\s*\\d+)?)\\s*", placeholder: countText(count) || "7 or 7-9", "aria-label": name });
  const size = event.size || {};
  const dead = toll("dead", size.dead);
  const injured = toll("injured", size.injured);
  const other = h("input", { name: "other", list: "review-merge", placeholder: "the other event's id", "aria-label": "other event", autocomplete: "off" });
  const reason = h("input", { type: "text", name: "reason", placeholder: "reason (required)", "aria-label": "reason", required: true, maxlength: 2000 });
  const token = h("input", { type: "password", name: "token", placeholder: "reviewer token", "aria-label": "reviewer token", autocomplete: "off" });
  token.value = savedToken();
  const said = h("p", { class: notice ? "review-said" : "review-said muted", role: "status", "data-testid": "review-said" }, notice);
  const parts = {
    dismiss: h("fieldset", { class: "review-part" }, h("legend", {}, "Dismiss as"), field("kind", kind)),
    correct: h(
      "fieldset",
      { class: "review-part" },
      h("legend", {}, "Correct (empty: keep; none: clear)"),
      field("type", type),
      field("actor (source)", actor),
      field("recipient (target)", recipient),
      h("div", { class: "review-field" }, h("span", {}, "place"), place.controls),
      place.list,
      field("date", date),
      field("precision", precision),
      field("dead", dead, "7 or 7-9"),
      field("injured", injured, "7 or 7-9"),
    ),
    merge: h("fieldset", { class: "review-part" }, h("legend", {}, "The same happening as"), field("event", other, "pick or paste an id"), mergeChoices(event, candidates)),
    split: h("fieldset", { class: "review-part" }, h("legend", {}, "Split"), h("p", { class: "muted" }, inCluster ? "This report leaves its cluster and becomes an event of its own." : "This report is not in a cluster: there is nothing to split.")),
  };
  const showPart = () => {
    for (const [name, part] of Object.entries(parts)) part.hidden = name !== action.value;
  };
  action.addEventListener("change", showPart);
  showPart();
  const submit = async (e) => {
    e.preventDefault();
    const body = reviewBody({
      action: action.value, reason: reason.value, kind: kind.value, other: other.value.trim(),
      event_type: type.value, actor: actor.value, recipient: recipient.value, location: place.value(),
      date: date.value, date_precision: precision.value, dead: dead.value, injured: injured.value,
    });
    said.className = "review-said muted";
    said.textContent = "Saving…";
    try {
      const answer = await sendJSON("POST", `/api/events/${encodeURIComponent(event.id)}/review`, body, token.value.trim());
      keepToken(token.value.trim());
      onReviewed(event.id, `Saved (${action.value}): now ${answer.event.review_status}`);
    } catch (err) {
      said.className = "review-said error";
      said.textContent = `Not saved: ${err.message}`;
    }
  };
  const log = (corrections || []).map((c) => h("li", {}, entryText(c)));
  return h(
    "section",
    { class: "review", "data-testid": "review" },
    h("h3", {}, "Review"),
    h("p", {}, `Status: ${event.review_status || "unreviewed"}`, (event.corrected || []).length ? ` · corrected: ${event.corrected.join(", ")}` : ""),
    log.length ? h("ul", { class: "review-log", "data-testid": "review-log" }, log) : h("p", { class: "muted" }, "Not reviewed yet."),
    h(
      "form",
      { class: "review-form", onsubmit: submit, novalidate: true },
      field("action", action),
      ...Object.values(parts),
      h("div", { class: "review-send" }, reason, token, h("button", { type: "submit", class: "primary" }, "Save")),
      said,
    ),
  );
}
