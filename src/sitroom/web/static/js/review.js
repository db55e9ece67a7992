// The event panel's review section: the analysts' review status, the corrected fields and the
// corrections log (who, when, what, why), and a small form to confirm or dismiss the event
// with a reviewer's token (POST /api/events/{id}/review). The token is kept for this tab's
// session only (sessionStorage), never in the page's address or the local storage.

import { h } from "./dom.js";

const TOKEN_KEY = "sitroom-review-token";
const DISMISS_KINDS = ["not_event", "duplicate", "wrong"];

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

/** The review section of one event; ``onReviewed`` runs after an action succeeded. */
export function reviewSection(event, corrections, onReviewed) {
  const action = h("select", { "aria-label": "review action", name: "action" }, h("option", { value: "confirm" }, "confirm"), h("option", { value: "dismiss" }, "dismiss"));
  const kind = h("select", { "aria-label": "dismissal kind", name: "kind" }, ...DISMISS_KINDS.map((k) => h("option", { value: k }, k.replace("_", " "))));
  const reason = h("input", { type: "text", name: "reason", placeholder: "reason (required)", "aria-label": "reason", required: true, maxlength: 2000 });
  const token = h("input", { type: "password", name: "token", placeholder: "reviewer token", "aria-label": "reviewer token", autocomplete: "off" });
  token.value = sessionStorage.getItem(TOKEN_KEY) || "";
  const said = h("p", { class: "muted", role: "status" });
  const submit = async (e) => {
    e.preventDefault();
    const body = { action: action.value, reason: reason.value };
    if (action.value === "dismiss") body.kind = kind.value;
    said.textContent = "Saving…";
    try {
      const answer = await fetch(`/api/events/${encodeURIComponent(event.id)}/review`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token.value}` },
        body: JSON.stringify(body),
      });
      const json = await answer.json().catch(() => ({}));
      if (!answer.ok) {
        said.textContent = `Not saved: ${json.detail ? (typeof json.detail === "string" ? json.detail : JSON.stringify(json.detail)) : answer.status}`;
        return;
      }
      sessionStorage.setItem(TOKEN_KEY, token.value);
      said.textContent = `Saved: now ${json.event.review_status}`;
      onReviewed(event.id);
    } catch (err) {
      said.textContent = `Not saved: ${err.message}`;
    }
  };
  const log = (corrections || []).map((c) => h("li", {}, entryText(c)));
  return h(
    "section",
    { class: "review", "data-testid": "review" },
    h("h3", {}, "Review"),
    h("p", {}, `Status: ${event.review_status || "unreviewed"}`, (event.corrected || []).length ? ` · corrected: ${event.corrected.join(", ")}` : ""),
    log.length ? h("ul", { class: "review-log" }, log) : h("p", { class: "muted" }, "Not reviewed yet."),
    h("form", { class: "review-form", onsubmit: submit }, action, kind, reason, token, h("button", { type: "submit" }, "Save"), said),
    h("p", { class: "muted" }, "Corrections of fields, merges and splits: sitroom review or POST /api/events/{id}/review."),
  );
}
