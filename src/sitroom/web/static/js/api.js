// Requests to the sitroom API (same origin only): JSON in, an Error with the problem's detail out.

/** The server did not answer at all (down, restarting, network gone): not a problem of the request. */
export class Unreachable extends Error {
  constructor() {
    super(`Cannot reach the sitroom server at ${location.origin}`);
    this.name = "Unreachable";
  }
}

export async function getJSON(url) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" } });
  } catch {
    throw new Unreachable(); // fetch rejects only when no answer came ("Failed to fetch")
  }
  const body = await response.json();
  if (!response.ok) throw new Error(body.detail || `${response.status} ${response.statusText}`);
  return body;
}

// The token of this tab's writes (review, watches): kept for the tab's session only
// (sessionStorage), never in the page's address or the local storage.
const TOKEN_KEY = "sitroom-review-token";

export function savedToken() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

export function keepToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

/** A write (POST, DELETE) with a bearer token: the JSON answer (null for 204 No Content), or an
 * Error of one line, "403: token 'rita' has role reader; this needs reviewer or above". */
export async function sendJSON(method, url, body, token) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new Unreachable();
  }
  if (response.status === 204) return null;
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(`${response.status}: ${oneLine(answer.detail) || response.statusText}`);
  return answer;
}

function oneLine(detail) {
  if (!detail) return "";
  return (typeof detail === "string" ? detail : JSON.stringify(detail)).split(/\s+/).join(" ");
}
