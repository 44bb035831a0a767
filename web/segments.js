// Segments: the creator's saved audiences (rules over the CRM's allow-listed fields), their
// members (a click opens the fan), and a rule builder with a dry-run count before saving.
import { getJSON, postJSON, remove } from "./api.js";
import { goToFan } from "./app.js";
import { $, el, fill, money, setText, show, showError } from "./dom.js";
import { isManager } from "./session.js";

const NO_VALUE = new Set(["is_null", "is_not_null"]);
const LIST_VALUE = new Set(["in", "not_in", "between"]);
let fields = [];
let selected = null;

export async function loadSegments() {
  showError($("segments-error"), null);
  show($("segment-form"), isManager());
  try {
    const [segments, known] = await Promise.all([
      getJSON("/v1/segments"),
      fields.length ? fields : getJSON("/v1/segments/fields"),
    ]);
    fields = known;
    fill($("segments"), segments.map(segmentItem));
    setText($("segments-status"), segments.length ? "" : "No segments yet.");
    if (!$("segment-rules").children.length) addRule();
  } catch (error) {
    showError($("segments-error"), error);
  }
}

function segmentItem(segment) {
  const button = el(
    "button",
    { type: "button", class: "queue-item", "data-testid": "segment", dataset: { id: segment.id } },
    el("span", { class: "queue-action" }, segment.name),
    el("span", { class: "badge" }, segment.materialised_at ? `${segment.members} fans` : "not evaluated"),
    el("span", { class: "queue-draft" }, segment.description || (segment.is_preset ? "preset" : "")),
  );
  button.addEventListener("click", () => openSegment(segment));
  return el("li", {}, button);
}

async function openSegment(segment) {
  selected = segment;
  setText($("segment-title"), segment.name);
  setText($("segment-description"), segment.description || "");
  show($("segment-actions"), true);
  show($("segment-delete"), isManager() && !segment.is_preset);
  await loadMembers();
}

async function loadMembers() {
  const segment = selected;
  setText($("members-status"), "Loading…");
  try {
    const members = await getJSON(`/v1/segments/${segment.id}/members?limit=100`);
    if (selected !== segment) return;
    fill($("members"), members.map(memberItem));
    setText($("members-status"), members.length ? `${members.length} shown` : "No members stored: evaluate it.");
  } catch (error) {
    setText($("members-status"), "");
    showError($("segments-error"), error);
  }
}

function memberItem(member) {
  const open = el("button", { type: "button", class: "link", "data-testid": "member" }, member.display_name);
  open.addEventListener("click", () => goToFan(member.fan_id, member.display_name));
  return el("li", {}, open, member.lifetime_spend !== undefined ? ` · ${money(member.lifetime_spend)}` : "");
}

async function evaluateSelected() {
  if (!selected) return;
  try {
    const result = await postJSON(`/v1/segments/${selected.id}/evaluate`, undefined);
    await loadMembers();
    setText($("members-status"), `${result.total} fans now`);
    loadSegments();
  } catch (error) {
    showError($("segments-error"), error);
  }
}

async function deleteSelected() {
  if (!selected) return;
  try {
    await remove(`/v1/segments/${selected.id}`);
    selected = null;
    setText($("segment-title"), "Pick a segment");
    show($("segment-actions"), false);
    fill($("members"), []);
    loadSegments();
  } catch (error) {
    showError($("segments-error"), error);
  }
}

// ---------------------------------------------------------------- the rule builder

function addRule() {
  const field = el("select", { "data-testid": "rule-field", "aria-label": "Field" },
    fields.map((f) => el("option", { value: f.field, title: f.description }, f.field.replaceAll("_", " "))));
  const op = el("select", { "data-testid": "rule-op", "aria-label": "Condition" });
  const value = el("input", { type: "text", "data-testid": "rule-value", "aria-label": "Value" });
  const drop = el("button", { type: "button", class: "link danger", "aria-label": "Remove the condition" }, "remove");
  const refresh = () => {
    const spec = fields.find((f) => f.field === field.value);
    if (!spec) return;
    const current = op.value;
    fill(op, spec.operators.map((o) => el("option", { value: o, selected: o === current }, o.replaceAll("_", " "))));
    value.placeholder = spec.choices.length ? spec.choices.join(", ") : spec.kind === "flag" ? "true or false" : spec.description;
    value.hidden = NO_VALUE.has(op.value);
  };
  field.addEventListener("change", refresh);
  op.addEventListener("change", refresh);
  const item = el("li", { class: "row compact rule", "data-testid": "rule" }, field, op, value, drop);
  drop.addEventListener("click", () => item.remove());
  $("segment-rules").append(item);
  refresh();
}

/** The value typed, as the field's kind wants it. */
function parseValue(kind, op, text) {
  if (NO_VALUE.has(op)) return null;
  const one = (part) => {
    if (kind === "number" || kind === "days_since") return Number(part);
    if (kind === "flag") return part.trim().toLowerCase() === "true";
    return part.trim();
  };
  return LIST_VALUE.has(op) ? text.split(",").map(one) : one(text);
}

function rulesOfForm() {
  const conditions = [...$("segment-rules").children].map((item) => {
    const field = item.querySelector('[data-testid="rule-field"]').value;
    const op = item.querySelector('[data-testid="rule-op"]').value;
    const spec = fields.find((f) => f.field === field);
    const value = parseValue(spec.kind, op, item.querySelector('[data-testid="rule-value"]').value);
    return { field, op, value };
  });
  return { [$("segment-match").value]: conditions };
}

async function preview() {
  showError($("segment-form-error"), null);
  try {
    const found = await postJSON("/v1/segments/preview", { rules: rulesOfForm() });
    const names = found.sample.map((s) => s.display_name).join(", ");
    setText($("segment-count"), `${found.count} fans${names ? `, e.g. ${names}` : ""}`);
  } catch (error) {
    showError($("segment-form-error"), error);
  }
}

async function save(event) {
  event.preventDefault();
  showError($("segment-form-error"), null);
  try {
    const segment = await postJSON("/v1/segments", { name: $("segment-name").value.trim(), rules: rulesOfForm() });
    $("segment-name").value = "";
    setText($("segment-count"), `Saved "${segment.name}".`);
    await loadSegments();
    await openSegment(segment);
    await evaluateSelected();
  } catch (error) {
    showError($("segment-form-error"), error);
  }
}

export function initSegments() {
  $("add-rule").addEventListener("click", addRule);
  $("segment-preview").addEventListener("click", preview);
  $("segment-form").addEventListener("submit", save);
  $("segment-evaluate").addEventListener("click", evaluateSelected);
  $("segment-delete").addEventListener("click", deleteSelected);
}
