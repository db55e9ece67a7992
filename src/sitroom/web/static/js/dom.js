// Small DOM helpers. Data from the API only ever becomes text nodes (never HTML).

const SVG_NS = "http://www.w3.org/2000/svg";

function append(node, children) {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function setAttrs(node, attrs) {
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.setAttribute("class", value);
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  return node;
}

/** An HTML element: h("div", {class: "x"}, "text", child, ...). */
export function h(tag, attrs, ...children) {
  return append(setAttrs(document.createElement(tag), attrs), children);
}

/** An SVG element. */
export function s(tag, attrs, ...children) {
  return append(setAttrs(document.createElementNS(SVG_NS, tag), attrs), children);
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** Only http(s) links are ever made clickable. */
export function safeHref(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

// PLOVER's quad classes, each a hue of the Okabe-Ito colour-blind-safe set (blue, bluish green,
// orange, vermillion) in shades from dark to light: the quad reads at a glance and the types of
// one quad differ by lightness. The shades were searched so that any two types stay at least
// 13 CIELAB units apart with normal vision and simulated deuteranopia and protanopia (Vienot
// 1999); tests/web/test_palette.py checks it.
export const QUADS = [
  { name: "verbal cooperation", types: { SUPPORT: "#00314c", AGREE: "#005c90", CONSULT: "#92c3de" } },
  { name: "material cooperation", types: { AID: "#003a2a", RETREAT: "#005f45", CONCEDE: "#09a178", COOPERATE: "#9bd9c8" } },
  { name: "verbal conflict", types: { ACCUSE: "#503800", REQUEST: "#e09b00", REJECT: "#edbb4b", THREATEN: "#f2cc78" } },
  { name: "material conflict", types: { MOBILIZE: "#a54900", ASSAULT: "#d55e00", COERCE: "#e28f4d", SANCTION: "#e9a977", PROTEST: "#f0c7a6" } },
];
export const TYPE_COLOURS = Object.fromEntries(QUADS.flatMap((quad) => Object.entries(quad.types)));
const QUAD_OF = Object.fromEntries(QUADS.flatMap((quad, i) => Object.keys(quad.types).map((type) => [type, i])));

/** The index in QUADS of an event type's quad class, or -1. */
export function quadOf(type) {
  return type in QUAD_OF ? QUAD_OF[type] : -1;
}
export const NO_TYPE_COLOUR = "#757575";

export function typeColour(type) {
  return TYPE_COLOURS[type] || NO_TYPE_COLOUR;
}

export const COARSE_PRECISIONS = new Set(["admin2", "admin1", "country", "region"]);

export const CREDIBILITY = {
  1: "Confirmed by other sources",
  2: "Probably true",
  3: "Possibly true",
  4: "Doubtful",
  5: "Improbable",
  6: "Truth cannot be judged",
};

export function countText(count) {
  if (!count) return null;
  if (count.min === null && count.max === null) return count.text || null;
  if (count.max === null || count.max === undefined) return `${count.min ?? 0}+`;
  return count.min === count.max || count.min === null ? String(count.max) : `${count.min}–${count.max}`;
}

export function names(entities) {
  return (entities || []).map((e) => e.name || e.text).join(", ");
}

export function placeName(event) {
  const loc = event.location;
  if (!loc) return "place unknown";
  const parts = [loc.name];
  if (loc.admin1 && loc.admin1 !== loc.name) parts.push(loc.admin1);
  if (loc.country && loc.country !== loc.name) parts.push(loc.country);
  return parts.join(", ");
}

export function dead(event) {
  return (event.size && event.size.dead && event.size.dead.min) || 0;
}

/** A link to one event report: opens it in the dashboard (and works as a plain link too). */
export function eventLink(id, text, onOpen) {
  const open = (e) => {
    e.preventDefault();
    onOpen(id);
  };
  return h("a", { href: `#event=${encodeURIComponent(id)}`, class: "event-link", title: id, dataset: { id }, onclick: open }, text);
}

/** Links to the reports of a row or signal, numbered, at most ``max`` of them. */
export function eventLinks(ids, onOpen, max = 12) {
  const shown = ids.slice(0, max).map((id, i) => eventLink(id, String(i + 1), onOpen));
  return h("span", { class: "event-links" }, shown, ids.length > max ? ` +${ids.length - max}` : null);
}

export const PROTECTION_KINDS = {
  evacuation: { label: "Evacuations", colour: "#1565c0" },
  corridor: { label: "Corridors", colour: "#00897b" },
  protected_site: { label: "Protected sites", colour: "#6a1b9a" },
  human_shields: { label: "Human shields", colour: "#ad1457" },
  civilian_casualties: { label: "Civilian casualties", colour: "#c62828" },
  displacement: { label: "Displacement", colour: "#ef6c00" },
  aid_access: { label: "Aid access", colour: "#2e7d32" },
};

/** A button of a pair or group of choices (Weeks / Days), pressed when ``on``. */
export function toggleButton(label, on, onclick) {
  return h("button", { type: "button", class: on ? "toggle on" : "toggle", "aria-pressed": String(on), onclick }, label);
}

/** Milliseconds (UTC midnight) of a YYYY-MM-DD date, and back. */
export function dayOf(iso) {
  return Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10));
}

export function isoOf(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}
