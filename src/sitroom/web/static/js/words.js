// Event records in plain words for the event list (sitroom.describe says the same for the CLI;
// a test keeps TYPE_WORDS equal to its Python twin).

export const TYPE_WORDS = {
  AGREE: "agreement", CONSULT: "talks", SUPPORT: "support", CONCEDE: "concession",
  COOPERATE: "cooperation", AID: "aid", RETREAT: "withdrawal", REQUEST: "appeal",
  ACCUSE: "accusation", REJECT: "refusal", THREATEN: "threat", PROTEST: "protest",
  SANCTION: "sanction", MOBILIZE: "mobilisation", COERCE: "coercion", ASSAULT: "attack",
};

/** "ASSAULT (attack)"; "no type" for an event without one. */
export function typeLabel(type) {
  if (!type) return "no type";
  return TYPE_WORDS[type] ? `${type} (${TYPE_WORDS[type]})` : type;
}

/** The date as precise as it is known: "2026-01-14", "2026-01-12 (week)", "2026-01 (month)", "2026 (year)", "1990s (decade)". */
export function dateLabel(event) {
  if (!event.date) return "undated";
  const precision = event.date_precision || "day";
  if (precision === "month") return `${event.date.slice(0, 7)} (month)`;
  if (precision === "year") return `${event.date.slice(0, 4)} (year)`;
  if (precision === "decade" || precision === "century") return `${Number(event.date.slice(0, 4))}s (${precision})`;
  return precision === "day" ? event.date : `${event.date} (${precision})`;
}

/** Why an event is marked "background" (sitroom.background says when). */
export const BACKGROUND_TITLE = "history, not news: dated more than a year before its report; left out of counts, charts and alerts";

/** The evidence sentence on one line (the list's CSS cuts it to fit). */
export function evidenceStart(event) {
  return ((event.evidence && event.evidence.sentence) || "").split(/\s+/).filter(Boolean).join(" ");
}
