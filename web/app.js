/* Objection Coach chat page: login, chat, cards, drills, offline queue.
 *
 * Safety rule for this file: server and user text only ever reaches the page through
 * textContent / createTextNode (see el() and formatText()); innerHTML is never used.
 */
"use strict";

(() => {
  // ---------------------------------------------------------------- settings
  const LANGS = ["zh-Hans", "zh-Hant", "en"];
  const LANG_NAMES = { "zh-Hans": "简体中文", "zh-Hant": "繁體中文", en: "English" };
  const KEY_AUTH = "coach.auth";
  const KEY_LANG = "coach.lang";
  const logKey = (sender) => "coach.log." + sender; // one transcript per rep: a new name starts afresh
  const CAP = 300; // messages kept per transcript
  const POLL_MS = 3000; // health poll while offline
  const SEND_TIMEOUT_MS = 30000; // a hung request on a phone counts as a network error (retry is safe)
  const HEALTH_TIMEOUT_MS = 5000;
  const STOP_PAYLOAD = "/stop_drill";
  // Replies that only come outside a drill: seeing one means no drill is running.
  // drill_end: a drill ended without a scorecard (its file was removed on the server).
  const QUICK_TYPES = new Set(["objection_card", "strategy", "objection_detail", "objection_menu", "drill_menu",
                               "scorecard", "drill_end"]);

  // ---------------------------------------------------------------- strings
  // UI chrome follows the chosen language; cards use the language the server wrote them in.
  const STRINGS = {
    "zh-Hans": {
      title: "异议应对教练", change_name: "换名字", lang_group: "语言",
      mode_quick: "快速解答", mode_drill: "练习中", stop: "结束练习", progress: "我的成绩", drills: "练习",
      log_label: "对话记录", composer_label: "输入客户说的话", send: "发送",
      placeholder_quick: "输入客户说的话…", placeholder_drill: "回复客户…",
      login_heading: "先告诉我你是谁", login_intro: "只需输入一次。你的练习成绩记在这个名字下。",
      login_name: "你的名字或工号", login_code: "团队访问码", login_submit: "开始", login_cancel: "返回对话",
      err_name: "请输入名字或工号（最多 40 个字）。", err_code: "团队访问码不对，请向培训师确认。",
      err_network: "连不上服务器，请稍后再试。", err_server: "服务器出错了，请稍后再试。",
      login_expired: "登录已失效，请重新登录。对话都还在，未发出的消息会接着发。",
      offline: "离线：消息先存在手机上，连上后按顺序发出。", reconnecting: "正在重新连接…",
      pending: "等待发送", sending: "发送中…", failed: "未发送", retry: "重试", edit: "改一改",
      err_too_long: "消息太长（最多 2000 字）。", err_rejected: "服务器没有收下这条消息。",
      empty_title: "把客户的原话发给我",
      empty_text: "我告诉你他可能的真实意思、先说什么、怎么接。也可以点「练习」让我扮演客户。",
      examples: ["老板说你们太贵了", "他想做我们的独家代理", "练习价格异议"],
      kicker_objection: "客户异议", kicker_strategy: "分情况应对", may_mean: "可能的真实意思", say_first: "先说", pick_branch: "先判断是哪种情况",
      how_to_tell: "怎么判断", strategy: "策略", sample_lines: "可以这样说", principle: "原则", source: "出处",
      then_which: "再细分", kicker_drill: "角色扮演练习", practice: "练习模式：每轮点评", exam: "考核模式：结束后出成绩",
      difficulty: "难度 {n}/3", max_turns: "最多 {n} 轮", customer: "你的客户", goal: "目标",
      rubric: "评分（满分 100，{n} 分通过）", penalties: "扣分", points: "{n} 分",
      mood_opens: "松口了", mood_pushes: "在加码", mood_cools: "变冷淡", turn: "第 {n} 轮", ended: "对话结束",
      feedback: "点评", moves_none: "没有识别出应对动作", next: "下一步", try_line: "示范",
      score: "成绩", passed: "通过", not_passed: "未通过", pass_mark: "{n} 分通过",
      truth_found: "问出了真实原因", truth_missed: "没问出真实原因",
      strengths: "做得好", gaps: "待改进", model_answer: "示范答法",
      outcome_goal: "达成目标", outcome_out_of_turns: "轮数用完", outcome_walked_away: "客户走了", outcome_stopped: "你结束了练习",
      progress_title: "我的成绩", col_objection: "异议", col_attempts: "次数", col_first: "首次", col_best: "最好", col_latest: "最近",
      best_bars: "最好成绩", bar_label: "{name}：最好 {n} 分", next_drill: "建议下一个练习：{t}",
    },
    "zh-Hant": {
      title: "異議應對教練", change_name: "換名字", lang_group: "語言",
      mode_quick: "快速解答", mode_drill: "練習中", stop: "結束練習", progress: "我的成績", drills: "練習",
      log_label: "對話記錄", composer_label: "輸入客戶說的話", send: "發送",
      placeholder_quick: "輸入客戶說的話…", placeholder_drill: "回覆客戶…",
      login_heading: "先告訴我你是誰", login_intro: "只需輸入一次。你的練習成績記在這個名字下。",
      login_name: "你的名字或工號", login_code: "團隊訪問碼", login_submit: "開始", login_cancel: "返回對話",
      err_name: "請輸入名字或工號（最多 40 個字）。", err_code: "團隊訪問碼不對，請向培訓師確認。",
      err_network: "連不上伺服器，請稍後再試。", err_server: "伺服器出錯了，請稍後再試。",
      login_expired: "登入已失效，請重新登入。對話都還在，未發出的訊息會接著發。",
      offline: "離線：訊息先存在手機上，連上後按順序發出。", reconnecting: "正在重新連線…",
      pending: "等待發送", sending: "發送中…", failed: "未發送", retry: "重試", edit: "改一改",
      err_too_long: "訊息太長（最多 2000 字）。", err_rejected: "伺服器沒有收下這條訊息。",
      empty_title: "把客戶的原話發給我",
      empty_text: "我告訴你他可能的真實意思、先說什麼、怎麼接。也可以點「練習」讓我扮演客戶。",
      examples: ["老闆說你們太貴了", "他想做我們的獨家代理", "練習價格異議"],
      kicker_objection: "客戶異議", kicker_strategy: "分情況應對", may_mean: "可能的真實意思", say_first: "先說", pick_branch: "先判斷是哪種情況",
      how_to_tell: "怎麼判斷", strategy: "策略", sample_lines: "可以這樣說", principle: "原則", source: "出處",
      then_which: "再細分", kicker_drill: "角色扮演練習", practice: "練習模式：每輪點評", exam: "考核模式：結束後出成績",
      difficulty: "難度 {n}/3", max_turns: "最多 {n} 輪", customer: "你的客戶", goal: "目標",
      rubric: "評分（滿分 100，{n} 分通過）", penalties: "扣分", points: "{n} 分",
      mood_opens: "鬆口了", mood_pushes: "在加碼", mood_cools: "變冷淡", turn: "第 {n} 輪", ended: "對話結束",
      feedback: "點評", moves_none: "沒有識別出應對動作", next: "下一步", try_line: "示範",
      score: "成績", passed: "通過", not_passed: "未通過", pass_mark: "{n} 分通過",
      truth_found: "問出了真實原因", truth_missed: "沒問出真實原因",
      strengths: "做得好", gaps: "待改進", model_answer: "示範答法",
      outcome_goal: "達成目標", outcome_out_of_turns: "輪數用完", outcome_walked_away: "客戶走了", outcome_stopped: "你結束了練習",
      progress_title: "我的成績", col_objection: "異議", col_attempts: "次數", col_first: "首次", col_best: "最好", col_latest: "最近",
      best_bars: "最好成績", bar_label: "{name}：最好 {n} 分", next_drill: "建議下一個練習：{t}",
    },
    en: {
      title: "Objection Coach", change_name: "change name", lang_group: "Language",
      mode_quick: "Quick answer", mode_drill: "Drill", stop: "Stop", progress: "My progress", drills: "Drills",
      log_label: "Conversation", composer_label: "Type what the customer said", send: "Send",
      placeholder_quick: "What did the customer say?", placeholder_drill: "Reply to the customer…",
      login_heading: "Who are you?", login_intro: "Asked once. Your drill scores are kept under this name.",
      login_name: "Your name or rep id", login_code: "Team access code", login_submit: "Start", login_cancel: "Back to the chat",
      err_name: "Enter your name or rep id (at most 40 characters).", err_code: "Wrong team access code. Ask your trainer.",
      err_network: "Can't reach the server. Try again in a moment.", err_server: "Server error. Try again in a moment.",
      login_expired: "Please log in again. The conversation is kept and unsent messages will follow.",
      offline: "Offline: messages are kept on this phone and sent in order when the connection is back.",
      reconnecting: "Reconnecting…",
      pending: "pending…", sending: "sending…", failed: "not sent", retry: "Retry", edit: "Edit",
      err_too_long: "Too long (at most 2,000 characters).", err_rejected: "The server did not accept this message.",
      empty_title: "Send me what the customer said",
      empty_text: "I'll tell you what it may really mean, what to say first and how to handle it. Or tap Drills and I'll play the customer.",
      examples: ["The owner says we're too expensive", "He wants to be our sole agent", "Practice the price objection"],
      kicker_objection: "Objection", kicker_strategy: "Case", may_mean: "What it may really mean", say_first: "Say first", pick_branch: "First work out which case it is",
      how_to_tell: "How to tell", strategy: "Strategy", sample_lines: "You could say", principle: "Principle", source: "Source",
      then_which: "Then narrow it down", kicker_drill: "Role-play drill", practice: "Practice: feedback every turn", exam: "Exam: scorecard at the end",
      difficulty: "Difficulty {n}/3", max_turns: "at most {n} turns", customer: "Your customer", goal: "Goal",
      rubric: "Scoring (out of 100, pass at {n})", penalties: "Penalties", points: "{n} pts",
      mood_opens: "opening up", mood_pushes: "pushing", mood_cools: "cooling", turn: "Turn {n}", ended: "conversation over",
      feedback: "Feedback", moves_none: "no moves recognised", next: "Next", try_line: "Try",
      score: "Score", passed: "PASSED", not_passed: "NOT PASSED", pass_mark: "pass at {n}",
      truth_found: "Real reason uncovered", truth_missed: "Real reason not uncovered",
      strengths: "Strengths", gaps: "To improve", model_answer: "Model answer",
      outcome_goal: "Goal reached", outcome_out_of_turns: "Out of turns", outcome_walked_away: "The customer walked away", outcome_stopped: "You stopped the drill",
      progress_title: "My progress", col_objection: "Objection", col_attempts: "Tries", col_first: "First", col_best: "Best", col_latest: "Latest",
      best_bars: "Best score", bar_label: "{name}: best {n}", next_drill: "Suggested next drill: {t}",
    },
  };
  const MOOD_ICONS = { opens: "🙂", pushes: "😤", cools: "😒" };

  const $ = (id) => document.getElementById(id);

  // ---------------------------------------------------------------- state
  const state = {
    auth: null, // {token, sender, name}
    lang: "zh-Hans",
    records: [], // transcript: user records and bot records, in display order
    els: new Map(), // record id -> element
    sending: false, // one request at a time, in order
    offline: false,
    pollTimer: null,
    checking: false,
    needLogin: false, // a 401 paused the outbox until the rep logs in again
  };

  function strings(lang) {
    return STRINGS[lang] || STRINGS[state.lang];
  }
  function t(key, vars, lang) {
    let s = strings(lang)[key];
    if (s === undefined) s = STRINGS.en[key] || key;
    for (const [k, v] of Object.entries(vars || {})) s = s.split("{" + k + "}").join(String(v));
    return s;
  }

  // ---------------------------------------------------------------- storage
  function load(key, fallback) {
    try {
      const raw = localStorage.getItem(key);
      return raw ? JSON.parse(raw) : fallback;
    } catch (e) {
      return fallback;
    }
  }
  function save(key, value) {
    try {
      localStorage.setItem(key, JSON.stringify(value));
      return true;
    } catch (e) {
      return false; // quota or private mode: the page keeps working, only memory is lost
    }
  }
  function persist() {
    if (!state.auth) return;
    if (!save(logKey(state.auth.sender), { v: 1, records: state.records })) {
      trim(Math.floor(CAP / 2)); // storage full: keep the recent half rather than nothing
      save(logKey(state.auth.sender), { v: 1, records: state.records });
    }
  }
  // Drop the oldest records beyond `cap`, but never a message that has not been sent.
  function trim(cap) {
    let excess = state.records.length - cap;
    if (excess <= 0) return;
    state.records = state.records.filter((r) => {
      if (excess > 0 && !(r.kind === "user" && r.state !== "sent")) {
        excess--;
        const node = state.els.get(r.rid);
        if (node) node.remove();
        state.els.delete(r.rid);
        return false;
      }
      return true;
    });
  }

  // ---------------------------------------------------------------- DOM helpers
  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }
  const str = (v) => (typeof v === "string" ? v : v === undefined || v === null ? "" : String(v));
  const arr = (v) => (Array.isArray(v) ? v : []);

  // **bold** inside one line, as text nodes and <strong>.
  function appendInline(parent, line) {
    line.split(/\*\*(.+?)\*\*/).forEach((part, i) => {
      if (part) parent.append(i % 2 ? el("strong", null, part) : document.createTextNode(part));
    });
  }

  // Plain text -> paragraphs, line breaks, "• " bullet lists and "1. " numbered lists.
  function formatText(text) {
    const frag = document.createDocumentFragment();
    let list = null;
    let para = null;
    for (const line of str(text).split("\n")) {
      const bullet = /^\s*•\s+(.*)$/.exec(line);
      const numbered = /^\s*(\d+)\.\s+(.*)$/.exec(line);
      if (bullet || numbered) {
        const tag = bullet ? "UL" : "OL";
        if (!list || list.tagName !== tag) {
          list = el(tag.toLowerCase(), "fmt-list");
          if (numbered && numbered[1] !== "1") list.start = Number(numbered[1]);
          frag.append(list);
        }
        const li = el("li");
        appendInline(li, bullet ? bullet[1] : numbered[2]);
        list.append(li);
        para = null;
      } else if (!line.trim()) {
        list = null;
        para = null;
      } else {
        list = null;
        if (para) para.append(el("br"));
        else frag.append((para = el("p", "fmt-p")));
        appendInline(para, line);
      }
    }
    return frag;
  }

  function textBlock(text, className) {
    const div = el("div", className || "text");
    div.append(formatText(text));
    return div;
  }

  // Buttons as chips: tapping sends the payload and shows the title as the rep's bubble.
  function chips(buttons, secondaryPayloads) {
    const valid = arr(buttons).filter((b) => b && str(b.title) && str(b.payload));
    if (!valid.length) return null;
    const box = el("div", "chips");
    for (const b of valid) {
      const chip = el("button", "chip", b.title);
      chip.type = "button";
      if (secondaryPayloads && secondaryPayloads.has(b.payload)) chip.classList.add("chip-secondary");
      chip.addEventListener("click", () => submit(str(b.title), str(b.payload)));
      box.append(chip);
    }
    return box;
  }

  function section(label, content, className) {
    const box = el("div", "section" + (className ? " " + className : ""));
    box.append(el("h4", "section-label", label));
    if (content) box.append(content);
    return box;
  }

  function quoteBlock(text, lang) {
    const q = el("blockquote", "say");
    q.textContent = lang === "en" ? "\u201c" + str(text) + "\u201d" : "「" + str(text) + "」";
    return q;
  }

  function bulletList(items, className) {
    const ul = el("ul", className || "fmt-list");
    for (const item of items) {
      const li = el("li");
      appendInline(li, str(item));
      ul.append(li);
    }
    return ul;
  }

  function sourceLine(source, lang) {
    if (!source || (!source.file && !source.section)) return null;
    const where = [str(source.file), str(source.section)].filter(Boolean).join(" · ");
    return el("p", "source", t("source", null, lang) + (lang === "en" ? ": " : "：") + where);
  }

  function card(node, kicker, title) {
    const box = el("article", "card");
    if (kicker) box.append(el("p", "kicker", kicker));
    if (title) box.append(el("h3", "card-title", title));
    node.append(box);
    return box;
  }

  // ---------------------------------------------------------------- renderers (one per payload type)
  function renderPlain(node, msg) {
    if (str(msg.text)) {
      const bubble = el("div", "bubble");
      bubble.append(formatText(msg.text));
      node.append(bubble);
    }
    const c = chips(msg.buttons);
    if (c) node.append(c);
  }

  function payloadsOf(items) {
    return new Set(arr(items).map((i) => i && i.payload).filter(Boolean));
  }

  const RENDERERS = {
    objection_card(node, msg, c, lang) {
      const box = card(node, t("kicker_objection", null, lang), c.title);
      if (arr(c.analysis).length) box.append(section(t("may_mean", null, lang), bulletList(c.analysis)));
      if (str(c.opener)) box.append(section(t("say_first", null, lang), quoteBlock(c.opener, lang), "section-say"));
      const branchChips = chips(arr(c.branches).map((b) => ({ title: b.label, payload: b.payload })));
      if (branchChips) box.append(section(t("pick_branch", null, lang), branchChips));
      // Whatever else the server offered (more detail, another objection), as secondary chips.
      const branchPayloads = payloadsOf(c.branches);
      const rest = arr(msg.buttons).filter((b) => b && !branchPayloads.has(b.payload));
      const restChips = chips(rest, payloadsOf(rest));
      if (restChips) box.append(restChips);
      const src = sourceLine(c.source, lang);
      if (src) box.append(src);
    },

    strategy(node, msg, c, lang) {
      const box = card(node, t("kicker_strategy", null, lang), c.title);
      if (str(c.signal)) box.append(section(t("how_to_tell", null, lang), textBlock(c.signal)));
      if (str(c.strategy)) box.append(section(t("strategy", null, lang), textBlock(c.strategy)));
      if (arr(c.lines).length) {
        const lines = el("div", "says");
        c.lines.forEach((line) => lines.append(quoteBlock(line, lang)));
        box.append(section(t("sample_lines", null, lang), lines, "section-say"));
      }
      if (str(c.principle)) box.append(section(t("principle", null, lang), textBlock(c.principle)));
      const branchChips = chips(arr(c.branches).map((b) => ({ title: b.label, payload: b.payload })));
      if (branchChips) box.append(section(t("then_which", null, lang), branchChips));
      const branchPayloads = payloadsOf(c.branches);
      const rest = arr(msg.buttons).filter((b) => b && !branchPayloads.has(b.payload));
      const restChips = chips(rest, payloadsOf(rest));
      if (restChips) box.append(restChips);
      const src = sourceLine(c.source, lang);
      if (src) box.append(src);
    },

    drill_intro(node, msg, c, lang) {
      const box = card(node, "🎭 " + t("kicker_drill", null, lang), c.title);
      const meta = el("p", "meta");
      const level = Math.max(1, Math.min(3, Number(c.difficulty) || 1));
      const stars = el("span", "stars", "★".repeat(level) + "☆".repeat(3 - level));
      stars.setAttribute("role", "img");
      stars.setAttribute("aria-label", t("difficulty", { n: level }, lang));
      meta.append(stars, document.createTextNode(" · " + t(c.mode === "exam" ? "exam" : "practice", null, lang)));
      if (c.max_turns) meta.append(document.createTextNode(" · " + t("max_turns", { n: c.max_turns }, lang)));
      box.append(meta);
      const persona = c.persona || {};
      if (str(persona.name)) {
        const who = el("div", "persona");
        who.append(avatar(persona.name));
        const about = el("div");
        about.append(el("p", "persona-name", persona.name), el("p", "persona-about", persona.about));
        who.append(about);
        box.append(section(t("customer", null, lang), who));
      }
      if (str(c.goal)) box.append(section(t("goal", null, lang), textBlock(c.goal)));
      const rubric = c.rubric || {};
      const items = el("ul", "rubric");
      for (const r of arr(rubric.required)) {
        const li = el("li");
        li.append(el("span", "rubric-label", r.label), el("span", "rubric-weight", "+" + str(r.weight)));
        items.append(li);
      }
      for (const f of arr(rubric.forbidden)) {
        const li = el("li", "rubric-forbidden");
        li.append(el("span", "rubric-label", "✗ " + str(f.label)), el("span", "rubric-weight", "−" + str(f.penalty)));
        items.append(li);
      }
      if (items.childElementCount) box.append(section(t("rubric", { n: str(rubric.pass_mark) }, lang), items));
      const c2 = chips(msg.buttons);
      if (c2) box.append(c2);
    },

    customer_line(node, msg, c, lang) {
      node.classList.add("msg-customer");
      node.append(avatar(c.persona));
      const bubble = el("div", "customer-bubble");
      const head = el("p", "customer-head");
      head.append(el("span", "customer-name", c.persona));
      if (MOOD_ICONS[c.mood]) {
        const mood = el("span", "mood mood-" + c.mood, MOOD_ICONS[c.mood] + " " + t("mood_" + c.mood, null, lang));
        head.append(mood);
      }
      bubble.append(head);
      bubble.append(quoteBlock(c.text, lang));
      if (c.ended) {
        const key = "outcome_" + c.ended;
        bubble.append(el("p", "customer-ended", t("ended", null, lang) + (STRINGS.en[key] ? " · " + t(key, null, lang) : "")));
      }
      node.append(bubble);
      const c2 = chips(msg.buttons);
      if (c2) node.append(c2);
    },

    drill_feedback(node, msg, c, lang) {
      const box = el("aside", "feedback");
      const head = el("p", "feedback-head", "📝 " + t("feedback", null, lang) + (c.turn ? " · " + t("turn", { n: c.turn }, lang) : ""));
      box.append(head);
      const tags = el("p", "tags");
      const moves = arr(c.moves);
      if (moves.length) moves.forEach((m) => tags.append(el("span", "tag", m.label || m.name)));
      else tags.append(el("span", "tag tag-none", t("moves_none", null, lang)));
      for (const p of arr(c.penalties)) {
        tags.append(el("span", "tag tag-penalty", "⚠ " + moveLabel(p.move, moves) + " −" + str(p.penalty)));
      }
      box.append(tags);
      if (c.next) {
        const next = el("p", "feedback-next");
        next.append(el("strong", null, t("next", null, lang) + (lang === "en" ? ": " : "：")), document.createTextNode(str(c.next.tip)));
        box.append(next);
        if (str(c.next.line)) {
          const tryLine = el("p", "feedback-try");
          tryLine.append(el("strong", null, t("try_line", null, lang) + (lang === "en" ? ": " : "：")));
          tryLine.append(document.createTextNode(lang === "en" ? "\u201c" + c.next.line + "\u201d" : "「" + c.next.line + "」"));
          box.append(tryLine);
        }
      }
      node.append(box);
    },

    scorecard(node, msg, c, lang) {
      const box = card(node, "📋 " + t("score", null, lang), null);
      box.classList.add(c.passed ? "card-passed" : "card-failed");
      const top = el("div", "score-top");
      const score = el("p", "score");
      score.append(el("span", "score-num", str(c.score)), el("span", "score-of", "/100"));
      const badge = el("p", "badge " + (c.passed ? "badge-pass" : "badge-fail"),
        (c.passed ? "✓ " : "✗ ") + t(c.passed ? "passed" : "not_passed", null, lang));
      const side = el("div", "score-side");
      side.append(badge, el("p", "pass-mark", t("pass_mark", { n: str(c.pass_mark) }, lang)));
      top.append(score, side);
      box.append(top);
      const key = "outcome_" + c.outcome;
      if (c.outcome) box.append(el("p", "outcome", STRINGS.en[key] ? t(key, null, lang) : str(c.outcome)));
      const truth = el("div", "truth " + (c.truth_uncovered ? "truth-found" : "truth-missed"));
      truth.append(el("p", "truth-head", (c.truth_uncovered ? "✓ " : "✗ ") + t(c.truth_uncovered ? "truth_found" : "truth_missed", null, lang)));
      if (str(c.truth)) truth.append(el("p", "truth-text", c.truth));
      box.append(truth);
      const marks = (items) => bulletList(arr(items).map((m) => (m && m.text) || str(m && m.label)));
      if (arr(c.strengths).length) box.append(section(t("strengths", null, lang), marks(c.strengths), "section-strengths"));
      if (arr(c.gaps).length) box.append(section(t("gaps", null, lang), marks(c.gaps), "section-gaps"));
      if (str(c.model_answer)) box.append(section(t("model_answer", null, lang), textBlock(c.model_answer, "model-answer")));
      if (c.next_drill && str(c.next_drill.title)) box.append(el("p", "next-drill", t("next_drill", { t: c.next_drill.title }, lang)));
      const c2 = chips(msg.buttons);
      if (c2) box.append(c2);
    },

    progress(node, msg, c, lang) {
      const rows = arr(c.rows);
      if (!rows.length) return renderPlain(node, msg);
      const box = card(node, null, "📈 " + t("progress_title", null, lang));
      const names = progressNames(msg.text, rows);
      const wrap = el("div", "table-wrap");
      const table = el("table", "progress-table");
      const headRow = el("tr");
      for (const key of ["col_objection", "col_attempts", "col_first", "col_best", "col_latest"]) {
        const th = el("th", null, t(key, null, lang));
        th.scope = "col";
        headRow.append(th);
      }
      table.append(el("thead"), el("tbody"));
      table.tHead.append(headRow);
      rows.forEach((r, i) => {
        const tr = el("tr");
        const th = el("th", null, names[i] + (r.passed ? " ✓" : ""));
        th.scope = "row";
        tr.append(th);
        for (const v of [r.attempts, r.first, r.best, r.latest]) tr.append(el("td", null, str(v)));
        table.tBodies[0].append(tr);
      });
      wrap.append(table);
      box.append(wrap);
      const bars = el("div", "bars");
      rows.forEach((r, i) => {
        const best = Math.max(0, Math.min(100, Number(r.best) || 0));
        const row = el("div", "bar-row");
        row.setAttribute("role", "img");
        row.setAttribute("aria-label", t("bar_label", { name: names[i], n: best }, lang));
        const track = el("div", "bar-track");
        const fill = el("div", "bar-fill" + (r.passed ? " bar-pass" : ""));
        fill.style.width = best + "%"; // CSSOM, allowed by the page's CSP (unlike style attributes)
        track.append(fill);
        row.append(el("span", "bar-name", names[i]), track, el("span", "bar-value", String(best)));
        bars.append(row);
      });
      box.append(section(t("best_bars", null, lang), bars));
      if (c.next_drill && str(c.next_drill.title)) box.append(el("p", "next-drill", t("next_drill", { t: c.next_drill.title }, lang)));
      const c2 = chips(msg.buttons);
      if (c2) box.append(c2);
    },
  };

  function avatar(name) {
    const a = el("span", "avatar", Array.from(str(name).trim())[0] || "?");
    a.setAttribute("aria-hidden", "true");
    return a;
  }

  // Penalties carry only the move name: find its label in this feedback or the drill's rubric.
  function moveLabel(move, moves) {
    const found = moves.find((m) => m && m.name === move);
    if (found && found.label) return found.label;
    for (let i = state.records.length - 1; i >= 0; i--) {
      const c = state.records[i].msg && state.records[i].msg.custom;
      if (c && c.type === "drill_intro" && c.rubric) {
        const f = arr(c.rubric.forbidden).find((x) => x.move === move);
        if (f) return f.label;
        break;
      }
    }
    return str(move);
  }

  // Rows carry a localized label; older transcripts (stored before it existed) fall back to the text.
  function progressNames(text, rows) {
    const lines = str(text).split("\n").filter((l) => l.startsWith("• "));
    return rows.map((r, i) => {
      if (r.label) return str(r.label);
      const m = lines.length === rows.length && /^•\s*(.+?)(?:：|:\s)/.exec(lines[i]);
      return m ? m[1] : str(r.objection).replace(/^objection_/, "").replace(/_/g, " ");
    });
  }

  function renderBot(rec) {
    const msg = rec.msg && typeof rec.msg === "object" ? rec.msg : { text: str(rec.msg) };
    const custom = msg.custom && typeof msg.custom === "object" ? msg.custom : null;
    const type = custom && typeof custom.type === "string" ? custom.type : "text";
    const node = el("div", "msg msg-bot");
    node.dataset.type = type;
    const lang = custom && LANGS.includes(custom.lang) ? custom.lang : state.lang;
    if (custom && LANGS.includes(custom.lang)) node.lang = custom.lang;
    const render = custom && RENDERERS[type];
    try {
      if (render) render(node, msg, custom, lang);
      else renderPlain(node, msg);
    } catch (e) {
      node.replaceChildren(); // a malformed card still shows its plain text
      renderPlain(node, msg);
    }
    return node;
  }

  function renderUser(rec) {
    const node = el("div", "msg msg-user");
    node.append(el("div", "bubble", rec.text));
    updateUserNode(node, rec);
    return node;
  }

  // Marker under a rep bubble: pending / sending / failed (with retry), nothing once sent.
  function updateUserNode(node, rec) {
    node.classList.toggle("pending", rec.state === "pending");
    node.classList.toggle("sending", rec.state === "sending");
    node.classList.toggle("failed", rec.state === "failed");
    const old = node.querySelector(".msg-status");
    if (old) old.remove();
    if (rec.state === "sent" || rec.state === "sending") return;
    const status = el("div", "msg-status");
    if (rec.state === "pending") {
      status.append(el("span", null, "⏳ " + t("pending")));
    } else if (rec.state === "failed") {
      status.append(el("span", "status-failed", "⚠ " + t("failed") + (rec.error ? (state.lang === "en" ? ": " : "：") + rec.error : "")));
      const actions = el("span", "status-actions");
      const retry = el("button", "linkish status-action", t("retry"));
      retry.type = "button";
      retry.addEventListener("click", () => {
        setUserState(rec, "pending"); // same id: the server never runs a message twice
        pump();
      });
      const edit = el("button", "linkish status-action", t("edit"));
      edit.type = "button";
      edit.addEventListener("click", () => {
        const input = $("composer-input");
        input.value = rec.payload;
        autosize();
        input.focus();
      });
      actions.append(retry, edit);
      status.append(actions);
    }
    node.append(status);
  }

  function renderRecord(rec) {
    const node = rec.kind === "user" ? renderUser(rec) : renderBot(rec);
    node.dataset.rid = rec.rid;
    state.els.set(rec.rid, node);
    return node;
  }

  function renderAll() {
    const box = $("messages");
    box.replaceChildren();
    state.els.clear();
    const frag = document.createDocumentFragment();
    state.records.forEach((r) => frag.append(renderRecord(r)));
    box.append(frag);
    refreshChrome();
  }

  // ---------------------------------------------------------------- transcript changes
  function newId() {
    // crypto.randomUUID needs a secure context; a phone on a LAN address has none.
    const bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Date.now().toString(36) + "-" + Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // The rep says something (typed, or a chip/header button): queue it, show it, send when possible.
  function submit(display, payload) {
    if (!str(payload).trim() || !state.auth) return;
    const id = newId();
    const rec = { rid: id, kind: "user", id, text: display, payload, state: "pending", at: Date.now() };
    state.records.push(rec);
    $("messages").append(renderRecord(rec));
    trim(CAP);
    persist();
    refreshChrome();
    scrollToBottom();
    pump();
  }

  function setUserState(rec, next, error) {
    rec.state = next;
    rec.error = error || "";
    const node = state.els.get(rec.rid);
    if (node) {
      updateUserNode(node, rec);
      const status = node.querySelector(".msg-status");
      if (next === "failed" && status) status.scrollIntoView({ block: "nearest" }); // the reason must be seen
    }
    persist();
  }

  // Replies go right after the message they answer (later queued messages stay below them).
  function addReplies(rec, messages) {
    let at = state.records.indexOf(rec);
    if (at < 0) return; // the rep switched name meanwhile: that transcript is no longer shown
    at += 1;
    while (at < state.records.length && state.records[at].kind === "bot") at++;
    const before = at < state.records.length ? state.els.get(state.records[at].rid) : null;
    const fresh = messages.filter((m) => m && typeof m === "object").map((m, i) => ({ rid: rec.id + ":" + i, kind: "bot", msg: m, replyTo: rec.id }));
    state.records.splice(at, 0, ...fresh);
    const box = $("messages");
    let first = null;
    let replyLang = null;
    for (const r of fresh) {
      const node = renderRecord(r);
      box.insertBefore(node, before);
      first = first || node;
      const c = r.msg.custom;
      if (c && LANGS.includes(c.lang)) replyLang = c.lang;
    }
    // The switch shows the language the coach answers in (pinned by a switch, or the rep's own).
    if (replyLang && replyLang !== state.lang) setLang(replyLang);
    trim(CAP);
    persist();
    refreshChrome();
    if (first) revealReplies(first);
  }

  // ---------------------------------------------------------------- mode, chrome
  // The mode is read from the transcript, so it is right again after a reload.
  function currentMode() {
    let mode = "quick";
    for (const r of state.records) {
      if (r.kind === "user") {
        if (r.payload === STOP_PAYLOAD) mode = "quick"; // stop always ends the drill (scorecard or "none running")
        continue;
      }
      const c = r.msg && r.msg.custom;
      if (!c) continue;
      if (c.type === "drill_intro" || (c.type === "customer_line" && !c.ended)) mode = "drill";
      else if (QUICK_TYPES.has(c.type)) mode = "quick";
    }
    return mode;
  }

  function refreshChrome() {
    const mode = currentMode();
    const indicator = $("mode-indicator");
    indicator.dataset.mode = mode;
    indicator.textContent = (mode === "drill" ? "🎭 " : "⚡ ") + t(mode === "drill" ? "mode_drill" : "mode_quick");
    $("stop-drill").hidden = mode !== "drill";
    $("composer-input").placeholder = t(mode === "drill" ? "placeholder_drill" : "placeholder_quick");
    $("empty-state").hidden = state.records.length > 0;
  }

  function setLang(lang, remember = true) {
    if (!LANGS.includes(lang)) return;
    state.lang = lang;
    if (remember) save(KEY_LANG, lang);
    document.documentElement.lang = lang;
    document.title = t("title");
    for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
    for (const b of document.querySelectorAll(".lang-switch button")) b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
    $("lang-switch").setAttribute("aria-label", t("lang_group"));
    $("messages").setAttribute("aria-label", t("log_label"));
    const examples = $("examples");
    examples.replaceChildren();
    for (const ex of t("examples")) {
      const chip = el("button", "chip chip-example", ex);
      chip.type = "button";
      chip.addEventListener("click", () => submit(ex, ex));
      examples.append(chip);
    }
    for (const r of state.records) {
      const node = state.els.get(r.rid);
      if (r.kind === "user" && r.state !== "sent" && node) updateUserNode(node, r);
    }
    if (state.offline) showBanner();
    refreshChrome();
  }

  // ---------------------------------------------------------------- scrolling
  function scrollToBottom() {
    const s = $("scroller");
    requestAnimationFrame(() => (s.scrollTop = s.scrollHeight));
  }

  // Long cards: show the start of the answer rather than its last line.
  function revealReplies(first) {
    const s = $("scroller");
    requestAnimationFrame(() => {
      const top = first.getBoundingClientRect().top - s.getBoundingClientRect().top + s.scrollTop - 8;
      s.scrollTop = Math.min(top, s.scrollHeight - s.clientHeight);
    });
  }

  // ---------------------------------------------------------------- network
  async function request(path, options, timeoutMs) {
    const ctrl = new AbortController();
    const timer = setTimeout(() => ctrl.abort(), timeoutMs);
    try {
      return await fetch(path, Object.assign({ cache: "no-store", credentials: "same-origin", signal: ctrl.signal }, options));
    } finally {
      clearTimeout(timer);
    }
  }
  async function readJson(res) {
    try {
      return await res.json();
    } catch (e) {
      return null;
    }
  }

  function rejectReason(status, body) {
    if (status === 413) return t("err_too_long");
    return (body && str(body.error)) || t("err_rejected") + " (HTTP " + status + ")";
  }

  // Send the outbox: the oldest unsent message, one at a time; stop on offline or a 401.
  async function pump() {
    if (state.sending || !state.auth || state.needLogin) return;
    if (navigator.onLine === false) return goOffline();
    if (state.offline) return;
    const rec = state.records.find((r) => r.kind === "user" && r.state === "pending");
    if (!rec) return;
    state.sending = true;
    const token = state.auth.token;
    setUserState(rec, "sending");
    let again = true;
    try {
      const res = await request("message", {
        method: "POST",
        headers: { Authorization: "Bearer " + token, "Content-Type": "application/json" },
        body: JSON.stringify({ message: rec.payload, id: rec.id }),
      }, SEND_TIMEOUT_MS);
      const body = await readJson(res);
      if (res.ok && body && Array.isArray(body.messages)) {
        setUserState(rec, "sent");
        addReplies(rec, body.messages);
      } else if (res.status === 401) {
        setUserState(rec, "pending");
        again = false;
        askLogin(true);
      } else if (res.ok || res.status >= 500 || res.status === 408 || res.status === 429) {
        setUserState(rec, "pending"); // the server is struggling: retry later with the same id
        again = false;
        goOffline();
      } else {
        setUserState(rec, "failed", rejectReason(res.status, body));
      }
    } catch (e) {
      setUserState(rec, "pending"); // network error or timeout
      again = false;
      goOffline();
    } finally {
      state.sending = false;
    }
    if (again) pump();
  }

  function showBanner(text) {
    const banner = $("connection-banner");
    banner.hidden = false;
    banner.dataset.state = "offline";
    banner.textContent = text || t("offline");
  }

  function goOffline() {
    state.offline = true;
    showBanner();
    if (!state.pollTimer) state.pollTimer = setInterval(checkHealth, POLL_MS);
  }

  function goOnline() {
    state.offline = false;
    clearInterval(state.pollTimer);
    state.pollTimer = null;
    const banner = $("connection-banner");
    banner.hidden = true;
    banner.dataset.state = "online";
    banner.textContent = "";
    pump();
  }

  async function checkHealth() {
    if (state.checking) return;
    if (navigator.onLine === false) return goOffline();
    state.checking = true;
    if (state.offline) showBanner(t("reconnecting"));
    try {
      const res = await request("health", { method: "GET" }, HEALTH_TIMEOUT_MS);
      const body = await readJson(res);
      if (res.ok && body && body.status === "ok") goOnline();
      else if (state.offline) showBanner();
    } catch (e) {
      if (state.offline) showBanner();
    } finally {
      state.checking = false;
    }
  }

  // ---------------------------------------------------------------- login
  function askLogin(expired) {
    state.needLogin = !!expired;
    $("login-view").hidden = false;
    $("chat-view").hidden = true;
    $("chat-controls").hidden = true;
    $("whoami").hidden = true;
    $("login-error").textContent = expired ? t("login_expired") : "";
    $("login-name").value = state.auth ? state.auth.name : "";
    $("login-cancel").hidden = !state.auth || expired; // after a 401 the old token is no use
    if (!expired || !state.auth) $("login-name").focus();
  }

  function showChat() {
    $("login-view").hidden = true;
    $("chat-view").hidden = false;
    $("chat-controls").hidden = false;
    $("whoami").hidden = false;
    $("whoami-name").textContent = state.auth.name;
    refreshChrome();
    scrollToBottom();
    // Laptops get the cursor in the input; phones don't get a keyboard thrown at them.
    if (matchMedia("(pointer: fine)").matches) $("composer-input").focus();
  }

  function openTranscript(sender) {
    const stored = load(logKey(sender), null);
    state.records = stored && Array.isArray(stored.records) ? stored.records.filter((r) => r && r.rid) : [];
    // A request cut off by a reload is resent with its id; the server replays its answer.
    for (const r of state.records) if (r.kind === "user" && r.state === "sending") r.state = "pending";
    renderAll();
  }

  async function onLogin(event) {
    event.preventDefault();
    const name = $("login-name").value.trim();
    const code = $("login-code").value;
    const error = $("login-error");
    if (!name || Array.from(name).length > 40) {
      error.textContent = t("err_name");
      $("login-name").focus();
      return;
    }
    const button = $("login-submit");
    button.disabled = true;
    error.textContent = "";
    try {
      const res = await request("login", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ name, code }),
      }, 15000);
      const body = await readJson(res);
      if (res.ok && body && body.token) {
        signedIn({ token: str(body.token), sender: str(body.sender || name), name: str(body.name || name) });
      } else if (res.status === 401) {
        error.textContent = t("err_code");
        $("login-code").focus();
      } else if (res.status === 400) {
        error.textContent = t("err_name");
      } else {
        error.textContent = t("err_server") + (body && body.error ? " " + str(body.error) : "");
      }
    } catch (e) {
      error.textContent = t("err_network");
    } finally {
      button.disabled = false;
    }
  }

  function signedIn(auth) {
    const sameRep = state.auth && state.auth.sender === auth.sender;
    state.auth = auth;
    state.needLogin = false;
    save(KEY_AUTH, auth);
    if (!sameRep) openTranscript(auth.sender);
    showChat();
    // A rep who picked a language before logging in gets replies in it from the first message.
    if (!state.records.length && state.lang !== "zh-Hans") switchLanguage(state.lang);
    pump();
  }

  function switchLanguage(lang) {
    setLang(lang);
    if (state.auth && !state.needLogin) submit(LANG_NAMES[lang], '/switch_language{"language": "' + lang + '"}');
  }

  // ---------------------------------------------------------------- composer
  function autosize() {
    const input = $("composer-input");
    input.style.height = ""; // CSSOM: fine under the CSP
    if (input.value) input.style.height = Math.min(input.scrollHeight + 4, 140) + "px"; // + the 2 px borders
  }

  function sendTyped() {
    const input = $("composer-input");
    const text = input.value;
    if (!text.trim()) return;
    input.value = "";
    autosize();
    submit(text, text);
  }

  // ---------------------------------------------------------------- start
  function init() {
    const stored = load(KEY_LANG, null);
    setLang(LANGS.includes(stored) ? stored : "zh-Hans", false);

    $("login-form").addEventListener("submit", onLogin);
    $("login-cancel").addEventListener("click", showChat);
    $("change-name").addEventListener("click", () => askLogin(false));
    $("composer").addEventListener("submit", (e) => {
      e.preventDefault();
      sendTyped();
    });
    $("composer-input").addEventListener("keydown", (e) => {
      // Enter sends, Shift+Enter is a new line; Enter that confirms a Chinese IME candidate is not a send.
      if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
        e.preventDefault();
        sendTyped();
      }
    });
    $("composer-input").addEventListener("input", autosize);
    for (const b of document.querySelectorAll(".lang-switch button")) {
      b.addEventListener("click", () => switchLanguage(b.dataset.lang));
    }
    $("stop-drill").addEventListener("click", () => submit(t("stop"), STOP_PAYLOAD));
    $("progress-button").addEventListener("click", () => submit(t("progress"), "/my_progress"));
    $("drills-button").addEventListener("click", () => submit(t("drills"), "/list_drills"));

    window.addEventListener("online", checkHealth);
    window.addEventListener("offline", goOffline);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState !== "visible") return;
      if (state.offline) checkHealth();
      else pump();
    });
    // Another tab of the same rep wrote the transcript: show its version.
    window.addEventListener("storage", (e) => {
      if (state.auth && e.key === logKey(state.auth.sender) && !state.sending) openTranscript(state.auth.sender);
    });

    const auth = load(KEY_AUTH, null);
    if (auth && auth.token && auth.sender) {
      state.auth = { token: str(auth.token), sender: str(auth.sender), name: str(auth.name || auth.sender) };
      openTranscript(state.auth.sender);
      showChat();
      if (navigator.onLine === false) goOffline();
      else pump();
    } else {
      askLogin(false);
    }
  }

  document.addEventListener("DOMContentLoaded", init);
})();
