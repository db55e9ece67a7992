// The event map: country boundaries (bundled Natural Earth via world-atlas) drawn as SVG in a
// Mercator projection written here, events as circles sized by fatalities and coloured by type.

import { COARSE_PRECISIONS, dead, h, names, placeName, s, typeColour, clear } from "./dom.js";
import { decodeTopology } from "./topo.js";

const MAX_LAT = 85;
const MIN_SPAN = 3; // degrees: the closest initial view, so one event still shows its region
const BASE_RADIUS = 5; // px: an event without reported deaths
const RADIUS_PER_SQRT_DEAD = 2.2; // px per square root of the death toll, so area grows with deaths
const MAX_RADIUS = 26;
const COARSE_EXTRA = 7; // px: approximate places are drawn larger, dashed and pale
const LABEL_PX = 12;
const LABEL_ROOM_PX = 90; // horizontal room a place name needs before the next may be shown

function project(lon, lat) {
  const clamped = Math.max(-MAX_LAT, Math.min(MAX_LAT, lat));
  const y = (Math.log(Math.tan(Math.PI / 4 + (clamped * Math.PI) / 360)) * 180) / Math.PI;
  return [lon, -y];
}

function pathOf(polygons) {
  const parts = [];
  for (const rings of polygons) {
    for (const ring of rings) {
      ring.forEach(([lon, lat], i) => {
        const [x, y] = project(lon, lat);
        parts.push(`${i ? "L" : "M"}${x.toFixed(3)} ${y.toFixed(3)}`);
      });
      parts.push("Z");
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
    this.markerLayer = s("g", { class: "markers" });
    this.svg.append(s("rect", { class: "sea", x: -400, y: -400, width: 800, height: 800 }), this.countryLayer, this.markerLayer);
    this.legend = h("div", { class: "map-legend" });
    this.status = h("div", { class: "map-status" });
    const zoom = (factor) => () => this.zoomBy(factor);
    const controls = h(
      "div",
      { class: "map-controls" },
      h("button", { type: "button", title: "Zoom in", onclick: zoom(1 / 1.6) }, "+"),
      h("button", { type: "button", title: "Zoom out", onclick: zoom(1.6) }, "−"),
      h("button", { type: "button", title: "Fit the events", onclick: () => this.fit() }, "⤢"),
    );
    container.append(this.svg, controls, this.legend, this.status);
    this.view = { x: -180, y: -90, w: 360, h: 180 };
    this.events = [];
    this.selected = null;
    this.enablePanZoom();
    new ResizeObserver(() => this.applyView()).observe(container);
  }

  async loadCountries(urls) {
    for (const url of urls) {
      try {
        const response = await fetch(url);
        if (!response.ok) continue;
        const features = decodeTopology(await response.json(), "countries");
        for (const feature of features) {
          this.countryLayer.append(s("path", { class: "country", d: pathOf(feature.polygons) }, s("title", {}, feature.name)));
        }
        this.container.dataset.countries = String(features.length);
        return features.length;
      } catch (error) {
        console.warn("map data", url, error);
      }
    }
    this.status.textContent = "Country boundaries are missing: run scripts/fetch_map_data.py";
    this.container.dataset.countries = "0";
    return 0;
  }

  setEvents(events) {
    this.events = events.filter((e) => e.location && e.location.lat !== null && e.location.lon !== null);
    clear(this.markerLayer);
    const ordered = [...this.events].sort((a, b) => dead(b) - dead(a));
    for (const event of ordered) {
      const [x, y] = project(event.location.lon, event.location.lat);
      const coarse = COARSE_PRECISIONS.has(event.location.precision);
      const colour = typeColour(event.event_type);
      const marker = s(
        "circle",
        {
          class: coarse ? "marker coarse" : "marker",
          cx: x,
          cy: y,
          fill: colour,
          stroke: coarse ? colour : "#ffffff",
          dataset: { id: event.id, radius: markerRadius(event) + (coarse ? COARSE_EXTRA : 0) },
          onclick: () => this.onSelect(event.id),
        },
        s("title", {}, `${event.event_type || "event"} · ${placeName(event)}${coarse ? ` (approximate: ${event.location.precision})` : ""} · ${event.date || "undated"}${names(event.actor) ? ` · ${names(event.actor)}` : ""}`),
      );
      if (event.id === this.selected) marker.classList.add("selected");
      this.markerLayer.append(marker);
    }
    this.labelPlaces();
    this.renderLegend();
    this.applyView();
    this.status.textContent = events.length && !this.events.length ? "No event in view has coordinates" : "";
  }

  labelPlaces() {
    const seen = new Set();
    for (const event of this.events) {
      const loc = event.location;
      if (COARSE_PRECISIONS.has(loc.precision) || seen.has(loc.name)) continue;
      seen.add(loc.name);
      const [x, y] = project(loc.lon, loc.lat);
      this.markerLayer.append(s("text", { class: "place-label", x, y, dataset: { dx: markerRadius(event) + 3 } }, loc.name));
    }
  }

  renderLegend() {
    const types = [...new Set(this.events.map((e) => e.event_type || "unknown type"))].sort();
    clear(this.legend);
    for (const type of types) {
      this.legend.append(h("span", { class: "legend-item" }, s("svg", { width: 10, height: 10 }, s("circle", { cx: 5, cy: 5, r: 5, fill: typeColour(type) })), type));
    }
    if (this.events.length) this.legend.append(h("span", { class: "legend-note" }, "size: deaths · dashed: approximate place"));
  }

  select(id) {
    this.selected = id;
    for (const marker of this.markerLayer.querySelectorAll("circle")) marker.classList.toggle("selected", marker.dataset.id === id);
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
    const px = Math.min(this.container.clientWidth / v.w, this.container.clientHeight / v.h) || 1;
    for (const marker of this.markerLayer.querySelectorAll("circle")) marker.setAttribute("r", Number(marker.dataset.radius) / px);
    const shown = [];
    for (const label of this.markerLayer.querySelectorAll("text")) {
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

  zoomBy(factor, cx = this.view.x + this.view.w / 2, cy = this.view.y + this.view.h / 2) {
    const v = this.view;
    const w = Math.min(720, Math.max(0.05, v.w * factor));
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
      if (event.target.classList.contains("marker")) return;
      drag = { start: this.toMap(event.clientX, event.clientY), view: { ...this.view } };
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
    this.svg.addEventListener("pointerup", stop);
    this.svg.addEventListener("pointercancel", stop);
  }
}
