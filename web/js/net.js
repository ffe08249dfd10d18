// Requests to the coach (same origin, relative to the page's URL). A hung request on a phone
// counts as a network error after `timeoutMs`: every caller can retry safely.
export async function request(path, options, timeoutMs) {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    return await fetch(path, { cache: "no-store", credentials: "same-origin", signal: ctrl.signal, ...options });
  } finally {
    clearTimeout(timer);
  }
}

export async function readJson(res) {
  try {
    return await res.json();
  } catch (e) {
    return null;
  }
}

// POST a JSON body, optionally with the rep's token.
export function postJson(path, body, timeoutMs, token) {
  const headers = { "Content-Type": "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  return request(path, { method: "POST", headers, body: JSON.stringify(body) }, timeoutMs);
}
