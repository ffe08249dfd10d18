// The desk's calls to the coach: JSON with the trainer's token, and CSV downloads. A refused token
// (401) or a rep's token (403 on trainer/…) sends the page back to its sign-in message (main.js).
import { str } from "../dom.js";
import { readJson, request } from "../net.js";
import { load, KEY_AUTH } from "../store.js";

const TIMEOUT_MS = 20000;
const TRY_TIMEOUT_MS = 120000; // the first dry run trains the move model

export const session = { auth: null, onRefused: (status) => {} };

export function readAuth() {
  const auth = load(KEY_AUTH, null);
  if (!auth || typeof auth.token !== "string" || !auth.token) return null;
  return { token: auth.token, name: str(auth.name || auth.sender), role: str(auth.role), sender: str(auth.sender) };
}

// A failed call: its HTTP status and the server's own message (shown as text).
export class DeskError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function headers(json) {
  const h = { Authorization: "Bearer " + (session.auth ? session.auth.token : "") };
  if (json) h["Content-Type"] = "application/json";
  return h;
}

async function call(path, options, timeoutMs) {
  let res;
  try {
    res = await request(path, options, timeoutMs || TIMEOUT_MS);
  } catch (e) {
    throw new DeskError(0, "");
  }
  if (res.status === 401 || res.status === 403) session.onRefused(res.status);
  if (res.ok) return res;
  const body = await readJson(res);
  throw new DeskError(res.status, body && body.error ? str(body.error) : "HTTP " + res.status);
}

export async function getJson(path) {
  return readJson(await call(path, { method: "GET", headers: headers(false) }));
}

export async function postJson(path, body, long) {
  const options = { method: "POST", headers: headers(true), body: JSON.stringify(body || {}) };
  return readJson(await call(path, options, long ? TRY_TIMEOUT_MS : TIMEOUT_MS));
}

// Fetch a CSV with the token (a plain link can't send it) and hand it to the browser as a download.
export async function download(path, filename) {
  const res = await call(path, { method: "GET", headers: headers(false) });
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
