// The header's figures (GET /api/summary): each real event once, its dead at the conservative
// figure of its reports; background, denied and planned events are left out of the dead.

const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

/** "4 events (5 reports) · 3 places · at least 12 reported dead (up to 14 in some reports)". */
export function summaryText(figures) {
  const reports = figures.reports !== figures.events ? ` (${plural(figures.reports, "report")})` : "";
  const range = figures.dead_high > figures.dead ? ` (up to ${figures.dead_high} in some reports)` : "";
  return `${plural(figures.events, "event")}${reports} · ${plural(figures.places, "place")} · at least ${figures.dead} reported dead${range}`;
}

/** What the dead leave out and why, for the header's tooltip. */
export function summaryNote(figures) {
  const left = Object.entries(figures.left_out || {}).map(([reason, n]) => `${n} ${reason}`);
  const counted = `Dead: each event once, at the lowest credible figure its reports give (${plural(figures.events_counted, "event")} counted)`;
  return left.length ? `${counted}; left out: ${left.join(", ")}` : counted;
}
