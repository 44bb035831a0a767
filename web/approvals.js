// The creator's approvals: each queued action in plain words with the fan's name, what the fan
// wrote and why the agent proposed it; approve, edit (a form built from the action's argument
// schema) or reject with a reason; bulk approve or reject of the selected.
import { ApiError, getJSON, postJSON } from "./api.js";
import { goToFan, refreshCounts } from "./app.js";
import { $, el, fill, formatWhen, intentChips, memoryItems, setText, show, showError } from "./dom.js";
import { buildFields, readFields, sameValues } from "./forms.js";

const OUTCOME_WORDS = {
  drafted: "the agent's follow-up reply is drafted",
  awaiting_approval: "the agent proposed something more, waiting here",
  superseded: "the fan wrote again meanwhile",
  no_usable_draft: "the agent had no usable follow-up reply",
};

let selected = null; // the open action: {id, args (effective)}
const checked = new Set();

export async function loadApprovals() {
  const status = $("status-filter").value;
  const query = new URLSearchParams({ limit: "100" });
  if (status) query.set("status", status);
  setText($("approvals-status"), "Loading…");
  showError($("approvals-error"), null);
  try {
    const rows = await getJSON(`/v1/approvals?${query}`);
    checked.clear();
    fill($("approvals"), rows.map(approvalItem));
    const label = status || "queued";
    setText($("approvals-status"), rows.length ? `${rows.length} ${label}` : `Nothing ${label}.`);
    $("select-all").checked = false;
    show($("bulk"), status === "pending" && rows.length > 0);
    updateBulk();
  } catch (error) {
    setText($("approvals-status"), "");
    fill($("approvals"), []);
    show($("bulk"), false);
    showError($("approvals-error"), error);
  }
}

function approvalItem(row) {
  const box = el("input", {
    type: "checkbox",
    "data-testid": "approval-check",
    "aria-label": `Select: ${row.summary}`,
    disabled: row.status !== "pending",
  });
  box.addEventListener("change", () => {
    if (box.checked) checked.add(row.id);
    else checked.delete(row.id);
    updateBulk();
  });
  const text = row.edited_args?.text ?? row.args?.text ?? row.args?.message ?? row.draft ?? "";
  const button = el(
    "button",
    {
      type: "button",
      class: "queue-item",
      "data-testid": "approval-item",
      dataset: { id: row.id, action: row.action, status: row.status },
      "aria-current": selected && row.id === selected.id ? "true" : null,
    },
    el("span", { class: "queue-action", "data-testid": "approval-item-summary" }, row.summary),
    el("span", { class: `badge status-${row.status}` }, row.status),
    el("span", { class: "queue-draft" }, text),
    el("span", { class: "queue-when" }, [row.fan_name, formatWhen(row.created_at)].filter(Boolean).join(" · ")),
  );
  button.addEventListener("click", () => openApproval(row.id));
  return el("li", { class: "approval-row" }, box, button);
}

function updateBulk() {
  const count = checked.size;
  $("bulk-approve").disabled = count === 0;
  $("bulk-reject").disabled = count === 0;
  setText($("bulk-approve"), count ? `Approve ${count}` : "Approve selected");
  setText($("bulk-reject"), count ? `Reject ${count}` : "Reject selected");
}

async function bulk(decision) {
  const ids = [...checked];
  if (!ids.length) return;
  const reason = $("bulk-reason").value.trim();
  if (decision === "reject" && !reason) {
    showError($("approvals-error"), new ApiError(0, "reason_needed", "Say why you reject them: the agent is told."));
    $("bulk-reason").focus();
    return;
  }
  showError($("approvals-error"), null);
  try {
    const body = decision === "reject" ? { ids, decision, reason } : { ids, decision };
    const { results } = await postJSON("/v1/approvals/bulk", body);
    const failed = results.filter((r) => !r.ok);
    $("bulk-reason").value = "";
    await loadApprovals();
    setText(
      $("approvals-status"),
      `${results.length - failed.length} ${decision === "reject" ? "rejected" : "approved"}` +
        (failed.length ? `, ${failed.length} not: ${failed.map((f) => f.error).join("; ")}` : "."),
    );
    refreshCounts();
  } catch (error) {
    showError($("approvals-error"), error);
  }
}

/** Shows the queued action `id`; `refresh` keeps what a decision showed. */
export async function openApproval(id, { refresh = false } = {}) {
  selected = { id, args: {} };
  for (const item of document.querySelectorAll('[data-testid="approval-item"]')) {
    if (item.dataset.id === id) item.setAttribute("aria-current", "true");
    else item.removeAttribute("aria-current");
  }
  if (!refresh) {
    showError($("decision-error"), null);
    show($("decision-outcome"), false);
  }
  try {
    const row = await getJSON(`/v1/approvals/${encodeURIComponent(id)}`);
    if (!selected || selected.id !== id) return;
    renderApproval(row);
    if (!refresh) {
      $("approval-title").focus();
      $("approval-detail").scrollIntoView({ block: "start" }); // below the list on a phone
    }
  } catch (error) {
    show($("approval-detail"), true);
    show($("approval-empty"), false);
    showError($("decision-error"), error);
  }
}

function renderApproval(row) {
  const detail = $("approval-detail");
  detail.dataset.id = row.id;
  detail.dataset.status = row.status;
  setText($("approval-summary"), row.summary);
  const badge = $("approval-status");
  setText(badge, row.status);
  badge.className = `badge status-${row.status}`;
  // A broadcast's approval has no fan: it is for every fan of its segment.
  setText($("approval-fan"), row.fan_name || row.fan_id || "every fan of the broadcast's segment");
  $("approval-fan").onclick = row.fan_id ? () => goToFan(row.fan_id, row.fan_name) : null;
  setText($("approval-action"), row.action);
  setText($("approval-reason"), row.reason);
  const guard = $("approval-guard");
  guard.hidden = !row.outbound_guard;
  setText(guard, row.outbound_guard ? `The outbound guard blocks this message: it ${row.outbound_guard}. Edit it or reject it.` : "");
  setText($("approval-created"), formatWhen(row.created_at));
  const args = row.edited_args || row.args || {};
  setText($("approval-draft"), args.text ?? args.message ?? row.draft ?? "(no reply text: the action itself)");
  const context = row.context && typeof row.context === "object" ? row.context : null;
  setText($("context-message"), context?.message || "");
  show($("approval-context"), Boolean(context?.message));
  fill($("context-intents"), intentChips(context?.intents));
  fill($("context-memories"), memoryItems(context?.memories));
  show($("approval-more"), Boolean(context));

  selected = { id: row.id, args };
  const pending = row.status === "pending";
  show($("decision"), pending);
  if (pending) {
    const schema = row.args_schema || schemaOfValues(args);
    buildFields($("args-fields"), schema, args, schema.$defs);
    show($("args-fields"), row.action !== "send_broadcast"); // approved or rejected as it is
    $("reject-reason").value = "";
    show($("edited-hint"), false);
  }
  show(detail, true);
  show($("approval-empty"), false);
}

/** Without a schema from the server: a field per argument, typed by its value. */
function schemaOfValues(args) {
  const types = { number: "number", boolean: "boolean", string: "string" };
  return {
    properties: Object.fromEntries(
      Object.entries(args).map(([name, value]) => [name, { type: types[typeof value] || "object" }]),
    ),
  };
}

async function decide(kind, body) {
  const id = selected?.id;
  if (!id) return;
  const buttons = document.querySelectorAll("#decision button");
  for (const button of buttons) button.disabled = true;
  showError($("decision-error"), null);
  try {
    const decided = await postJSON(`/v1/approvals/${encodeURIComponent(id)}/${kind}`, body);
    const action = decided.action || {};
    const reply = decided.reply;
    const lines = [`${action.summary}: ${action.status}.`];
    if (action.error) lines.push(`Error: ${action.error}`);
    if (action.result?.status === "queued") lines.push("The message is queued for delivery.");
    if (reply) lines.push(`Then ${OUTCOME_WORDS[reply.outcome] || reply.outcome}.`);
    if (decided.reply_error) lines.push(decided.reply_error);
    setText($("outcome-state"), lines.join(" "));
    setText($("outcome-draft"), reply?.draft || "");
    show($("outcome-draft"), Boolean(reply?.draft));
    show($("decision-outcome"), true);
    await openApproval(id, { refresh: true });
    loadApprovals();
    refreshCounts();
  } catch (error) {
    showError($("decision-error"), error);
    if (error instanceof ApiError && error.status === 409) {
      await openApproval(id, { refresh: true });
      loadApprovals();
    }
  } finally {
    for (const button of buttons) button.disabled = false;
  }
}

export function initApprovals() {
  $("approvals-filter").addEventListener("submit", (event) => {
    event.preventDefault();
    loadApprovals();
  });
  $("status-filter").addEventListener("change", loadApprovals);
  $("args-fields").addEventListener("input", () => {
    let changed = false;
    try {
      changed = !sameValues(readFields($("args-fields")), selected?.args);
    } catch {
      changed = true;
    }
    show($("edited-hint"), changed);
  });
  $("edit-form").addEventListener("submit", (event) => {
    event.preventDefault();
    let args;
    try {
      args = readFields($("args-fields"));
    } catch (error) {
      showError($("decision-error"), new ApiError(0, "invalid_json", `A field is not valid JSON: ${error.message}`));
      return;
    }
    if (sameValues(args, selected?.args)) decide("approve", undefined);
    else decide("edit", { args });
  });
  $("reject-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const reason = $("reject-reason").value.trim();
    if (!reason) {
      $("reject-reason").focus();
      return;
    }
    decide("reject", { reason });
  });
  $("select-all").addEventListener("change", () => {
    for (const box of document.querySelectorAll('[data-testid="approval-check"]:not(:disabled)')) {
      box.checked = $("select-all").checked;
      box.dispatchEvent(new Event("change"));
    }
  });
  $("bulk-approve").addEventListener("click", () => bulk("approve"));
  $("bulk-reject").addEventListener("click", () => bulk("reject"));
}
