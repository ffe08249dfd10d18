// The page's icons, drawn as inline SVG: phones without an emoji font would show empty boxes.
// 24×24, stroked in the text colour ("fill" marks the shapes that are filled instead).
const SVG_NS = "http://www.w3.org/2000/svg";
const FACE = "M3 12a9 9 0 1 0 18 0a9 9 0 1 0-18 0";
const EYES = "M9 10h.01M15 10h.01";
const STAR = "M12 3.2l2.7 5.6 6.1.8-4.5 4.2 1.1 6.1L12 17l-5.4 2.9 1.1-6.1-4.5-4.2 6.1-.8z";

const SHAPES = {
  bolt: [{ d: "M13.5 2.5 4.5 13.5h6.5l-1 8 9-11h-6.5z" }],
  mask: [{ d: "M4 4.5c4 1.6 12 1.6 16 0V11a8 8 0 0 1-16 0z" }, { d: "M8 10.2l2.5.6M16 10.2l-2.5.6" },
    { d: "M9 15c1.8 1.4 4.2 1.4 6 0" }],
  note: [{ d: "M12 4H5.5a1 1 0 0 0-1 1v14a1 1 0 0 0 1 1h13a1 1 0 0 0 1-1v-6.5" },
    { d: "M17.3 3.2a1.9 1.9 0 0 1 2.7 2.7L12.5 13.4 9 14.3l.9-3.5z" }],
  clipboard: [{ d: "M9 3.5h6v3H9z" }, { d: "M9 5H6v15.5h12V5h-3" }, { d: "M9 11h6M9 15h4" }],
  chart: [{ d: "M4 3.5v16.5h16.5" }, { d: "M7.5 15l4-4.5 3 3 5-6" }],
  clock: [{ d: FACE }, { d: "M12 7.5V12l3 2" }],
  warning: [{ d: "M12 3.5 2.5 20h19z" }, { d: "M12 10v4.5M12 17.3h.01" }],
  check: [{ d: "M4.5 12.5l4.8 4.8L19.5 7" }],
  cross: [{ d: "M6 6l12 12M18 6 6 18" }],
  retry: [{ d: "M19.5 12a7.5 7.5 0 1 1-2.2-5.3" }, { d: "M19.5 3.5v5h-5" }],
  star: [{ d: STAR, fill: true }],
  "star-empty": [{ d: STAR }],
  "mood-opens": [{ d: FACE }, { d: EYES }, { d: "M8.5 14.5c2 2 5 2 7 0" }],
  "mood-pushes": [{ d: FACE }, { d: "M8 8.5l3 1.2M16 8.5l-3 1.2" }, { d: "M8.5 16.5c2-1.8 5-1.8 7 0" }],
  "mood-cools": [{ d: FACE }, { d: "M8 10h2M14 10h2" }, { d: "M9 15.5h6" }],
};

// Symbols the server may start a text with (ui.yml), shown as the matching icon.
const LEADING = { "🎭": "mask", "📋": "clipboard", "📈": "chart", "📝": "note", "⚠": "warning", "↻": "retry" };

function svgNode(tag, attrs) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}

// An <svg> icon; with `label` it is announced as an image, otherwise hidden from screen readers.
export function icon(name, label) {
  const svg = svgNode("svg", {
    class: "icon icon-" + name, viewBox: "0 0 24 24", width: "24", height: "24", fill: "none",
    stroke: "currentColor", "stroke-width": "2", "stroke-linecap": "round", "stroke-linejoin": "round",
    focusable: "false",
  });
  if (label) {
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", label);
  } else {
    svg.setAttribute("aria-hidden", "true");
  }
  for (const shape of SHAPES[name] || []) {
    svg.append(svgNode("path", shape.fill ? { d: shape.d, fill: "currentColor" } : { d: shape.d }));
  }
  return svg;
}

export const hasIcon = (name) => Object.prototype.hasOwnProperty.call(SHAPES, name);

// "📋 成绩…" -> ["clipboard", "成绩…"]; a text without a known leading symbol -> [null, text].
export function splitLeadingIcon(text) {
  const found = /^(\S+?)\uFE0F?\s+/u.exec(text);
  const name = found && LEADING[found[1]];
  return name ? [name, text.slice(found[0].length)] : [null, text];
}
