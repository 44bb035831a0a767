// Automations: the creator's rules (a trigger, an action chain, paused or active), a form for a
// win-back, welcome, trial, birthday or segment-entered rule (its message a text, a template filled per fan,
// or both; a segment picked from the creator's), and a rule's runs, newest first, with what each
// did per fan.
import { getJSON, postJSON } from "./api.js";
import { $, el, fill, formatWhen, setText, show, showError } from "./dom.js";
import { isManager } from "./session.js";

// The trigger's one number, by kind: its parameter's name, unit and the API's default (put in
// the field when the trigger is picked); segment_entered has none: it takes the segment picked.
const TRIGGER_PARAMS = {
  expired: ["within_days", "days since it ended", 30],
  expiring: ["days", "days before it ends", 3],
  new_subscriber: ["within_days", "days since they joined", 1],
  no_reply: ["hours", "hours without an answer", 24],
  trial_started: ["within_days", "days since it started", 1],
  trial_converted: ["within_days", "days since it converted", 1],
  key_date: ["days", "days before the birthday", 1],
};
let selected = null;
let templateNames = new Map(); // template id -> name
let segmentNames = new Map(); // segment id -> name

export async function loadAutomations() {
  showError($("rules-error"), null);
  show($("rule-form"), isManager());
  try {
    const [rules, templates, segments] = await Promise.all([
      getJSON("/v1/automations/rules"),
      getJSON("/v1/templates"),
      getJSON("/v1/segments"),
    ]);
    templateNames = new Map(templates.map((t) => [t.id, t.name]));
    segmentNames = new Map(segments.map((s) => [s.id, s.name]));
    fillTemplates(templates);
    fillSegments(segments);
    fill($("rules"), rules.map(ruleItem));
    setText($("rules-status"), rules.length ? "" : "No rules yet.");
    if (selected) {
      const fresh = rules.find((r) => r.id === selected.id);
      if (fresh) await openRule(fresh);
    }
  } catch (error) {
    showError($("rules-error"), error);
  }
}

function fillTemplates(templates) {
  const picked = $("rule-template").value;
  fill($("rule-template"), [
    el("option", { value: "" }, "No template"),
    ...templates.map((t) => el("option", { value: t.id }, t.name)),
  ]);
  if (templateNames.has(picked)) $("rule-template").value = picked;
}

function fillSegments(segments) {
  const picked = $("rule-segment").value;
  fill($("rule-segment"), segments.map((s) => el("option", { value: s.id }, s.name)));
  if (segmentNames.has(picked)) $("rule-segment").value = picked;
}

function step(action) {
  if (action.kind === "discount") return `${action.percent}% off`;
  if (action.kind === "message" && action.template_id) {
    return `message "${templateNames.get(action.template_id) ?? "a template"}"`;
  }
  return action.kind;
}

function describe(rule) {
  const steps = rule.actions.map(step).join(" → ");
  const segment = rule.trigger.segment_id
    ? ` "${segmentNames.get(rule.trigger.segment_id) ?? "a segment"}"`
    : "";
  return `${rule.trigger.kind.replaceAll("_", " ")}${segment}: ${steps}`;
}

function ruleItem(rule) {
  const button = el(
    "button",
    { type: "button", class: "queue-item", "data-testid": "rule-item", dataset: { id: rule.id } },
    el("span", { class: "queue-action" }, rule.name),
    el("span", { class: "badge", "data-testid": "rule-state" }, rule.paused ? "paused" : "active"),
    el("span", { class: "queue-draft" }, describe(rule)),
  );
  button.addEventListener("click", () => openRule(rule));
  return el("li", {}, button);
}

async function openRule(rule) {
  selected = rule;
  setText($("rule-title"), rule.name);
  setText($("rule-description"), `${describe(rule)} · ${rule.paused ? "paused" : "active"}`);
  show($("rule-actions"), isManager());
  setText($("rule-toggle"), rule.paused ? "Resume" : "Pause");
  $("rule-run").disabled = rule.paused;
  fill($("run-actions"), []);
  await loadRuns();
}

async function loadRuns() {
  const rule = selected;
  try {
    const runs = await getJSON(`/v1/automations/rules/${rule.id}/runs?limit=20`);
    if (selected !== rule) return;
    fill($("runs"), runs.map(runItem));
    setText($("runs-status"), runs.length ? `${runs.length} run(s)` : "Not run yet.");
  } catch (error) {
    showError($("rules-error"), error);
  }
}

function runItem(run) {
  const open = el(
    "button",
    { type: "button", class: "link", "data-testid": "run" },
    `${formatWhen(run.started_at)} · ${run.triggered_by} · ${run.outcome} · ${run.matched_fan_count} fan(s)`,
  );
  open.addEventListener("click", () => loadRunActions(run));
  return el("li", {}, open);
}

async function loadRunActions(run) {
  try {
    const actions = await getJSON(`/v1/automations/runs/${run.id}/actions`);
    fill($("run-actions"), actions.map((a) => el(
      "li",
      { "data-testid": "run-action" },
      `${a.display_name} · ${a.action} · ${a.outcome}`,
      a.detail.why ? ` (waits: ${a.detail.why})` : a.detail.approval === "auto" ? " (auto-approved)" : "",
      a.detail.reason ? ` (${a.detail.reason})` : "",
    )));
  } catch (error) {
    showError($("rules-error"), error);
  }
}

async function toggle() {
  if (!selected) return;
  try {
    const rule = await postJSON(`/v1/automations/rules/${selected.id}/${selected.paused ? "resume" : "pause"}`, undefined);
    selected = rule;
    await loadAutomations();
  } catch (error) {
    showError($("rules-error"), error);
  }
}

async function runNow() {
  if (!selected) return;
  try {
    const run = await postJSON(`/v1/automations/rules/${selected.id}/run`, undefined);
    await loadRuns();
    setText($("runs-status"), `Ran: ${run.outcome}, ${run.fired} fan(s)`);
  } catch (error) {
    showError($("rules-error"), error);
  }
}

function ruleOfForm() {
  const kind = $("rule-trigger").value;
  const actions = [];
  const percent = Number($("rule-discount").value);
  if (percent > 0) actions.push({ kind: "discount", percent, days: 3 });
  const message = { kind: "message" };
  const text = $("rule-text").value.trim();
  if (text) message.text = text;
  if ($("rule-template").value) message.template_id = $("rule-template").value;
  actions.push(message);
  const autonomy = $("rule-auto").checked
    ? { auto_approve: true, max_discount: Number($("rule-max-discount").value) || null }
    : {};
  return {
    name: $("rule-name").value.trim(),
    trigger: kind === "segment_entered"
      ? { kind, segment_id: $("rule-segment").value }
      : { kind, [TRIGGER_PARAMS[kind][0]]: Number($("rule-param").value) },
    actions,
    autonomy,
  };
}

function showParam() {
  const param = TRIGGER_PARAMS[$("rule-trigger").value];
  show($("rule-param-row"), Boolean(param));
  show($("rule-segment"), !param);
  if (param) setText($("rule-param-label"), param[1]);
}

async function save(event) {
  event.preventDefault();
  showError($("rule-form-error"), null);
  try {
    const rule = await postJSON("/v1/automations/rules", ruleOfForm());
    $("rule-name").value = "";
    setText($("rule-saved"), `Saved "${rule.name}".`);
    await loadAutomations();
    await openRule(rule);
  } catch (error) {
    showError($("rule-form-error"), error);
  }
}

function pickTrigger() {
  const param = TRIGGER_PARAMS[$("rule-trigger").value];
  if (param) $("rule-param").value = String(param[2]);
  showParam();
}

export function initAutomations() {
  $("rule-trigger").addEventListener("change", pickTrigger);
  $("rule-form").addEventListener("submit", save);
  $("rule-toggle").addEventListener("click", toggle);
  $("rule-run").addEventListener("click", runNow);
  showParam();
}
