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
