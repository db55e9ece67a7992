// The event panel: evidence highlighted in the article text, attribution chain, the other
// reports of the same event with the contradicted fields marked, and credibility.

import { CREDIBILITY, COARSE_PRECISIONS, countText, h, names, placeName, safeHref, typeColour } from "./dom.js";
import { reviewSection } from "./review.js";
import { BACKGROUND_TITLE } from "./words.js";

const COUNT_FIELDS = ["dead", "injured", "displaced", "arrested"];

function fact(label, value, attrs = {}) {
  return h("div", { class: "fact", ...attrs }, h("dt", {}, label), h("dd", {}, value || "—"));
}

function badge(text, kind) {
  return h("span", { class: `badge ${kind || ""}` }, text);
}

function attributionChain(event) {
  const a = event.attribution || {};
  const chain = (a.chain || []).length ? a.chain : [event.evidence.outlet || "outlet"];
  const steps = [];
  chain.forEach((step, i) => {
    if (i) steps.push(h("span", { class: "chain-arrow", "aria-hidden": "true" }, "→"));
    steps.push(h("span", { class: "chain-step" }, step));
  });
  return h(
    "section",
    { class: "attribution", "data-testid": "attribution" },
    h("h3", {}, "Who says so"),
    h("div", { class: "chain" }, steps),
    h(
      "p",
      { class: "claim-meta" },
      a.speaker_type ? badge(a.speaker_type.replace(/_/g, " "), "muted") : null,
      a.cue ? ["cue: ", h("q", {}, a.cue), " "] : null,
      a.hedge ? badge(`hedged: ${a.hedge}`, "warn") : null,
      a.direct_quote ? badge("direct quote", "muted") : null,
      !a.speaker || a.speaker_type === "outlet" ? badge("the outlet's own claim", "muted") : null,
    ),
  );
}

function reportValue(report, field) {
  if (COUNT_FIELDS.includes(field)) return countText(report.size && report.size[field]);
  if (field === "perpetrator") return names(report.actor);
  if (field === "date") return report.date;
  if (field === "place") return report.location ? report.location.name : null;
  return null;
}

function reportsTable(event, reports, onOpen) {
  const disputed = new Set((event.contradictions || []).filter((c) => c.disputed !== false).map((c) => c.field));
  const fields = ["date", "place", "perpetrator", "dead", "injured"];
  const all = [event, ...reports];
  const head = h("tr", {}, h("th", {}, "Report"), h("th", {}, "Said by"), fields.map((f) => h("th", { class: disputed.has(f) ? "disputed" : "" }, f)));
  const rows = all.map((report) =>
    h(
      "tr",
      { class: report.id === event.id ? "current" : "", dataset: { id: report.id } },
      h(
        "td",
        {},
        report.id === event.id
          ? h("strong", {}, report.evidence.outlet || "this report")
          : h("button", { type: "button", class: "link", onclick: () => onOpen(report.id) }, report.evidence.outlet || report.id),
      ),
      h("td", {}, (report.attribution.chain || []).slice(1).join(" → ") || "outlet"),
      fields.map((f) => h("td", { class: disputed.has(f) ? "disputed" : "" }, reportValue(report, f) || "—")),
    ),
  );
  return h("table", { class: "reports" }, h("thead", {}, head), h("tbody", {}, rows));
}

function articleText(detail) {
  const { article, event } = detail;
  if (!article) return h("p", { class: "muted" }, "The article is not in the store.");
  const text = article.text || "";
  const { start, end } = event.evidence;
  const mark = h("mark", { id: "evidence", class: "evidence", title: "evidence of this event" }, text.slice(start, end));
  const href = safeHref(article.url || article.canonical_url);
  return h(
    "section",
    { class: "article" },
    h("h3", {}, "Article"),
    h("p", { class: "article-title" }, article.title || "(no title)"),
    h(
      "p",
      { class: "article-meta" },
      [article.outlet, article.published && article.published.slice(0, 16).replace("T", " "), article.author].filter(Boolean).join(" · "),
      href ? [" · ", h("a", { href, target: "_blank", rel: "noopener noreferrer" }, "original")] : null,
    ),
    h("div", { class: "article-text", "data-testid": "article-text" }, text.slice(0, start), mark, text.slice(end)),
  );
}

/** "7 (reports give 7–9)"; "not counted in totals: background" when left out. */
function tollText(cluster) {
  const { min, max } = cluster.dead;
  const range = max !== null && max !== min ? ` (reports give ${min}–${max})` : "";
  return cluster.not_counted ? `not counted in totals: ${cluster.not_counted}` : `${min}${range}`;
}

/** The contradictions that ``keep`` picks, each field with each report's value and outlet. */
function differences(event, reports, keep, title, joiner) {
  const picked = (event.contradictions || []).filter(keep);
  if (!picked.length) return null;
  const outlet = new Map([event, ...reports].map((r) => [r.id, (r.evidence && r.evidence.outlet) || r.id]));
  const values = (c) => (c.reports && c.reports.length ? c.reports.map((r) => `${r.value} (${outlet.get(r.id) || r.id})`) : c.values).join(joiner);
  return h("section", { class: "contradictions" }, h("h3", {}, title), h("ul", {}, picked.map((c) => h("li", {}, h("strong", {}, c.field), ": ", values(c)))));
}

/** Fill ``container`` with the event of ``detail`` (GET /api/events/{id}). ``onReviewed(id, notice)``
 * runs after a review action saved; ``candidates``: the events a merge may pick; ``picker``: the
 * map's click that picks a place (review.js). */
export function renderEvent(container, detail, { onOpen, onClose, onReviewed, candidates = [], notice = "", picker = null }) {
  const { event, cluster, reports } = detail;
  const loc = event.location;
  const coarse = loc && COARSE_PRECISIONS.has(loc.precision);
  const cred = event.credibility;
  const size = event.size || {};
  const sections = [
    h(
      "header",
      { class: "panel-head" },
      h("button", { type: "button", class: "back", onclick: onClose }, "← Events"),
      h(
        "h2",
        {},
        h("span", { class: "type-dot", dataset: { type: event.event_type || "" } }),
        `${event.event_type || "Event"}${event.mode ? ` · ${event.mode}` : ""}`,
      ),
      h(
        "p",
        { class: "panel-sub" },
        badge(event.status, `status-${event.status}`),
        event.background ? h("span", { class: "badge background", title: BACKGROUND_TITLE }, "background") : null,
        " ",
        event.date ? `${event.date}${event.date_precision && event.date_precision !== "day" ? ` (${event.date_precision})` : ""}` : "undated",
        " · ",
        placeName(event),
        coarse ? badge(`approximate: ${loc.precision}`, "muted") : null,
      ),
    ),
    h(
      "dl",
      { class: "facts" },
      fact("Actor", names(event.actor)),
      fact("Recipient", names(event.recipient)),
      fact("ACLED type", [event.acled_event_type, event.acled_sub_event_type].filter(Boolean).join(" · ")),
      fact("Dead", countText(size.dead)),
      fact("Injured", countText(size.injured)),
      fact("Displaced / arrested", [countText(size.displaced), countText(size.arrested)].map((v) => v || "—").join(" / ")),
      fact("Independent sources", String(event.independent_sources || 1)),
      fact("Credibility", cred ? `${cred} · ${CREDIBILITY[cred]}` : "not graded", { "data-testid": "credibility" }),
      fact("Graded on", cluster && cluster.credibility_basis, { "data-testid": "credibility-basis" }),
      fact("Dead (conservative)", cluster && cluster.dead ? tollText(cluster) : null),
      fact("Civilian protection", [...(event.civilian_protection || []), event.protected_site].filter(Boolean).join(", ")),
    ),
    attributionChain(event),
    differences(event, reports, (c) => c.disputed !== false, "Reports disagree", " vs "),
    differences(event, reports, (c) => c.disputed === false, "Figures differ (all can be right)", ", "),
    cluster
      ? h("section", { class: "cluster" }, h("h3", {}, `Reports of this event (${reports.length + 1})`), reportsTable(event, reports, onOpen))
      : h("section", { class: "cluster" }, h("h3", {}, "Reports of this event"), h("p", { class: "muted" }, "Only this report so far: a single-source claim, not confirmed.")),
    reviewSection(event, detail.corrections, { onReviewed, candidates, inCluster: Boolean(cluster), notice, picker }),
    articleText(detail),
  ];
  container.append(...sections.filter(Boolean));
  for (const dot of container.querySelectorAll(".type-dot")) dot.style.background = typeColour(event.event_type);
  const box = container.querySelector(".article-text");
  const mark = container.querySelector("#evidence");
  if (box && mark) box.scrollTop = Math.max(0, mark.offsetTop - box.clientHeight / 3);
}
