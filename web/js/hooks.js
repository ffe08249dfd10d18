// Calls that go up the module graph (a chip inside a card sends a message, a 401 asks for the
// login form). main.js fills them in, so the modules below it need not import the ones above.
export const hooks = {
  send: (display, payload) => {}, // the rep says something (typed, a chip or a header button)
  retry: (rec) => {}, // send a failed message again, with the same id
  edit: (rec) => {}, // put a failed message back into the input box
  expired: () => {}, // the server refused the token: log in again
  replyLang: (lang) => {}, // the coach answered in another language: the page follows
  redraw: (rid) => {}, // a card stored a choice made on it: save and draw it again
  replied: (messages) => {}, // the coach answered: a scorecard may have completed an assignment
};
