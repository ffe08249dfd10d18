// What the page keeps on the phone (localStorage) and the page's shared state.
export const KEY_AUTH = "coach.auth";
export const KEY_LANG = "coach.lang";
export const CAP = 300; // messages kept per transcript
const LOG_PREFIX = "coach.log."; // one transcript per person (their id from the server)

export const state = {
  auth: null, // {token, sender, name, role, team}: what the server said at sign-in
  records: [], // transcript: user records and bot records, in display order
  els: new Map(), // record id -> element
  needLogin: false, // a 401 paused the outbox until the rep logs in again
};

export function load(key, fallback) {
  try {
    const raw = localStorage.getItem(key);
    return raw ? JSON.parse(raw) : fallback;
  } catch (e) {
    return fallback;
  }
}

export function save(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
    return true;
  } catch (e) {
    return false; // quota or private mode: the page keeps working, only memory is lost
  }
}

export function forget(key) {
  try {
    localStorage.removeItem(key);
  } catch (e) {
    // storage unavailable: nothing was kept either
  }
}

export const isLogKey = (key) => !!state.auth && key === LOG_PREFIX + state.auth.sender;

// False when storage is full: the caller trims and tries again.
export function saveTranscript() {
  return !state.auth || save(LOG_PREFIX + state.auth.sender, { v: 1, records: state.records });
}

// Signing out on a shared phone leaves no conversation behind.
export function dropTranscript(sender) {
  forget(LOG_PREFIX + sender);
}

export function loadTranscript(sender) {
  const stored = load(LOG_PREFIX + sender, null);
  return stored && Array.isArray(stored.records) ? stored.records.filter((r) => r && r.rid) : [];
}
