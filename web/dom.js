// Building the page from data. Everything the server sends (fan text above all) goes in as text
// nodes: nothing here parses HTML.

export const $ = (id) => document.getElementById(id);

/** `el("li", {class: "x", dataset: {id}}, "text", child)`: an element; strings become text. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name === "text") node.textContent = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export function setText(node, value) {
  node.textContent = value === undefined || value === null ? "" : String(value);
}

export function fill(list, items) {
  list.replaceChildren(...items);
}

export function show(node, visible = true) {
  node.hidden = !visible;
}

/** The API error shape, as a readable block: message, code, each field's problem, request id. */
export function showError(container, error) {
  if (!error) {
    container.replaceChildren();
    container.hidden = true;
    return;
  }
  const parts = [
    el("p", { class: "error-message", "data-testid": "error-message" }, messageOf(error)),
  ];
  const meta = [];
  if (error.code) meta.push(error.status ? `${error.code} (HTTP ${error.status})` : error.code);
  if (error.requestId) meta.push(`request ${error.requestId}`);
  if (meta.length)
    parts.push(el("p", { class: "error-meta", "data-testid": "error-code" }, meta.join(" · ")));
  const details = Array.isArray(error.details) ? error.details : [];
  if (details.length) {
    parts.push(
      el(
        "ul",
        { class: "error-details", "data-testid": "error-details" },
        details.map((detail) =>
          el(
            "li",
            {},
            detail.path ? el("code", {}, detail.path) : null,
            detail.path ? ": " : "",
            detail.message || "",
          ),
        ),
      ),
    );
  }
  container.replaceChildren(...parts);
  container.hidden = false;
}

function messageOf(error) {
  if (error instanceof Error) return error.message || String(error);
  return String(error);
}

export function formatJSON(value) {
  return JSON.stringify(value ?? {}, null, 2);
}

/** A moment as people read it in a list: the time today, else the day and time (and the year
 * when not this year). */
export function formatWhen(text) {
  if (!text) return "";
  const when = new Date(text);
  if (Number.isNaN(when.getTime())) return String(text);
  const now = new Date();
  const time = when.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" });
  if (when.toDateString() === now.toDateString()) return time;
  return `${formatDay(text)}, ${time}`;
}

/** A day as people read it: "Dec 2" (and the year when not this year). */
export function formatDay(text) {
  const when = new Date(text);
  if (Number.isNaN(when.getTime())) return String(text ?? "");
  return when.toLocaleDateString([], {
    month: "short",
    day: "numeric",
    year: when.getFullYear() === new Date().getFullYear() ? undefined : "numeric",
  });
}

export function percent(value) {
  const number = Number(value);
  return Number.isFinite(number) ? `${Math.round(number * 100)}%` : "";
}

export function money(value) {
  const number = Number(value);
  return Number.isFinite(number) ? `$${number.toFixed(2)}` : "";
}

/** Intents `[{signal, confidence}]` as chips, highest confidence first. */
export function intentChips(intents) {
  const sorted = [...(Array.isArray(intents) ? intents : [])].sort(
    (a, b) => Number(b.confidence) - Number(a.confidence),
  );
  if (!sorted.length) return [el("li", { class: "empty" }, "none detected")];
  return sorted.map((intent) =>
    el(
      "li",
      { class: "chip", "data-testid": "intent", dataset: { signal: intent.signal } },
      el("span", { class: "chip-name" }, intent.signal),
      " ",
      el("span", { class: "chip-value" }, percent(intent.confidence)),
    ),
  );
}

/** Memories `[{kind, body, score}]`, best match first as the agent ranked them. */
export function memoryItems(memories) {
  const list = Array.isArray(memories) ? memories : [];
  if (!list.length) return [el("li", { class: "empty" }, "none used")];
  return list.map((memory) =>
    el(
      "li",
      { "data-testid": "memory" },
      el("span", { class: "tag" }, memory.kind || "memory"),
      " ",
      el("span", { class: "memory-body" }, memory.body || ""),
      memory.score !== undefined && memory.score !== null
        ? el("span", { class: "score", title: "similarity" }, ` ${Number(memory.score).toFixed(2)}`)
        : null,
    ),
  );
}
