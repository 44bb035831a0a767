// The page: the API key, the creator's approval inbox, and the chatter console.
import {
  ApiError,
  forgetSettings,
  getJSON,
  loadSettings,
  postJSON,
  postStream,
  saveSettings,
} from "./api.js";
import {
  $,
  el,
  fill,
  formatJSON,
  formatWhen,
  intentChips,
  memoryItems,
  money,
  setText,
  show,
  showError,
} from "./dom.js";

const OUTCOME_WORDS = {
  drafted: "drafted",
  awaiting_approval: "waiting for the creator's approval",
  superseded: "superseded by a newer message",
  no_usable_draft: "not usable: nothing the model wrote could be sent. Pick a suggestion or write one",
};

// ---------------------------------------------------------------- settings

function initSettings() {
  const saved = loadSettings();
  $("api-key").value = saved.key;
  $("creator-id").value = saved.creatorId;
  if (saved.key) setText($("settings-status"), "Using the key saved in this browser.");

  $("settings-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = $("api-key").value.trim();
    const creatorId = $("creator-id").value.trim();
    if (!key) {
      setText($("settings-status"), "Paste an API key first.");
      $("api-key").focus();
      return;
    }
    saveSettings({ key, creatorId });
    setText($("settings-status"), "Key saved in this browser.");
    fansLoaded = false;
    fansUnavailable = false;
    refreshCurrentView();
  });

  $("forget-settings").addEventListener("click", () => {
    forgetSettings();
    $("api-key").value = "";
    $("creator-id").value = "";
    setText($("settings-status"), "Key forgotten.");
    fill($("approvals"), []);
    show($("approval-detail"), false);
    fill($("fans"), []);
  });
}

// ---------------------------------------------------------------- tabs

const TABS = ["inbox", "console"];
let currentTab = "inbox";

function selectTab(name, { focus = false } = {}) {
  currentTab = name;
  for (const tab of TABS) {
    const button = $(`tab-${tab}`);
    const selected = tab === name;
    button.setAttribute("aria-selected", String(selected));
    button.tabIndex = selected ? 0 : -1;
    show($(`view-${tab}`), selected);
    if (selected && focus) button.focus();
  }
  if (location.hash !== `#${name}`) history.replaceState(null, "", `#${name}`);
  refreshCurrentView();
}

function initTabs() {
  for (const tab of TABS) {
    $(`tab-${tab}`).addEventListener("click", () => selectTab(tab));
  }
  document.querySelector('[role="tablist"]').addEventListener("keydown", (event) => {
    const index = TABS.indexOf(currentTab);
    const moves = {
      ArrowRight: (index + 1) % TABS.length,
      ArrowLeft: (index - 1 + TABS.length) % TABS.length,
      Home: 0,
      End: TABS.length - 1,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    selectTab(TABS[moves[event.key]], { focus: true });
  });
}

function refreshCurrentView() {
  if (!loadSettings().key) return;
  if (currentTab === "inbox") loadApprovals();
  else if (!fansLoaded) searchFans();
}

// ---------------------------------------------------------------- the approval inbox

let selectedAction = null;

async function loadApprovals() {
  const status = $("status-filter").value;
  const query = new URLSearchParams({ limit: "100" });
  if (status) query.set("status", status);
  setText($("approvals-status"), "Loading…");
  showError($("approvals-error"), null);
  try {
    const rows = await getJSON(`/v1/approvals?${query}`);
    fill($("approvals"), rows.map(approvalItem));
    const label = status || "queued";
    setText($("approvals-status"), rows.length ? `${rows.length} ${label}` : `Nothing ${label}.`);
  } catch (error) {
    setText($("approvals-status"), "");
    fill($("approvals"), []);
    showError($("approvals-error"), error);
  }
}

function approvalItem(row) {
  const args = row.edited_args || row.args || {};
  const button = el(
    "button",
    {
      type: "button",
      class: "queue-item",
      "data-testid": "approval-item",
      dataset: { id: row.id, action: row.action, status: row.status },
      "aria-current": row.id === selectedAction ? "true" : null,
    },
    el("span", { class: "queue-action" }, row.action),
    args.price !== undefined ? el("span", { class: "queue-price" }, money(args.price)) : null,
    el("span", { class: `badge status-${row.status}` }, row.status),
    el("span", { class: "queue-draft" }, row.draft || row.reason || ""),
    el("span", { class: "queue-when" }, formatWhen(row.created_at)),
  );
  button.addEventListener("click", () => openApproval(row.id));
  return el("li", {}, button);
}

/** Shows the queued action `id`; `refresh` re-reads it after a decision, keeping what the
 * decision showed (its outcome or its error). */
async function openApproval(id, { refresh = false } = {}) {
  selectedAction = id;
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
    if (selectedAction !== id) return;
    renderApproval(row);
    if (!refresh) $("approval-title").focus();
  } catch (error) {
    show($("approval-detail"), true);
    showError($("decision-error"), error);
  }
}

function renderApproval(row) {
  const detail = $("approval-detail");
  detail.dataset.id = row.id;
  detail.dataset.status = row.status;
  setText($("approval-action"), row.action);
  const badge = $("approval-status");
  setText(badge, row.status);
  badge.className = `badge status-${row.status}`;
  setText($("approval-reason"), row.reason);
  setText($("approval-fan"), row.fan_id);
  setText($("approval-created"), formatWhen(row.created_at));
  setText($("approval-draft"), row.draft || "(no draft text)");
  const effective = row.edited_args || row.args || {};
  setText(
    $("approval-args"),
    row.edited_args
      ? `${formatJSON(effective)}\n\n(edited; proposed: ${formatJSON(row.args)})`
      : formatJSON(effective),
  );
  renderContext(row.context);

  const pending = row.status === "pending";
  show($("decision"), pending);
  if (pending) {
    $("edit-args").value = formatJSON(effective);
    $("reject-reason").value = "";
    $("edit-box").open = false;
    $("reject-box").open = false;
  }
  const settled = row.result || row.error || row.decision_note;
  const result = $("outcome-result");
  if (settled) {
    const lines = [];
    if (row.result) lines.push(formatJSON(row.result));
    if (row.error) lines.push(`error: ${row.error}`);
    if (row.decision_note) lines.push(`note: ${row.decision_note}`);
    setText(result, lines.join("\n"));
  }
  show(result, Boolean(settled));
  show(detail, true);
}

function renderContext(context) {
  const section = $("approval-context");
  if (!context || typeof context !== "object") {
    show(section, false);
    return;
  }
  setText($("context-message"), context.message || "");
  setText($("context-summary"), context.fan_summary || "");
  fill($("context-intents"), intentChips(context.intents));
  fill($("context-memories"), memoryItems(context.memories));
  show(section, true);
}

async function decide(kind, body) {
  const id = selectedAction;
  if (!id) return;
  const buttons = document.querySelectorAll("#decision button");
  for (const button of buttons) button.disabled = true;
  $("decision").setAttribute("aria-busy", "true");
  showError($("decision-error"), null);
  try {
    const decided = await postJSON(`/v1/approvals/${encodeURIComponent(id)}/${kind}`, body);
    const reply = decided.reply;
    const action = decided.action || {};
    const ended = `${action.action || "the action"} ${action.status || ""}`.trim();
    if (reply) {
      setText($("outcome-state"), `${ended}; reply ${OUTCOME_WORDS[reply.outcome] || reply.outcome}`);
      setText($("outcome-draft"), reply.draft || "(no reply text)");
    } else {
      setText($("outcome-state"), ended);
      setText($("outcome-draft"), decided.reply_error || "(the text sent is the reply)");
    }
    show($("decision-outcome"), true);
    await openApproval(id, { refresh: true });
    $("decision-outcome").scrollIntoView({ block: "nearest" });
    loadApprovals();
  } catch (error) {
    showError($("decision-error"), error);
    if (error instanceof ApiError && error.status === 409) {
      await openApproval(id, { refresh: true });
      loadApprovals();
    }
  } finally {
    for (const button of buttons) button.disabled = false;
    $("decision").removeAttribute("aria-busy");
  }
}

function initInbox() {
  $("approvals-filter").addEventListener("submit", (event) => {
    event.preventDefault();
    loadApprovals();
  });
  $("status-filter").addEventListener("change", loadApprovals);
  $("approve").addEventListener("click", () => decide("approve", undefined));
  $("edit-form").addEventListener("submit", (event) => {
    event.preventDefault();
    let args;
    try {
      args = JSON.parse($("edit-args").value);
    } catch (error) {
      showError(
        $("decision-error"),
        new ApiError(0, "invalid_json", `The arguments are not JSON: ${error.message}`),
      );
      return;
    }
    if (!args || typeof args !== "object" || Array.isArray(args)) {
      showError(
        $("decision-error"),
        new ApiError(0, "invalid_json", "The arguments must be a JSON object."),
      );
      return;
    }
    decide("edit", { args });
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
}

// ---------------------------------------------------------------- the chatter console

let fansLoaded = false;
let fansUnavailable = false;
let fansCursor = null;
let searchTimer = null;
let searchRun = 0;
let drafting = null;
let currentDraft = null; // the stored draft the send form sends
let currentAnswer = null; // {fanId, messageId}: what a reply without a stored draft answers

async function searchFans({ more = false } = {}) {
  if (fansUnavailable || !loadSettings().key) return;
  const run = ++searchRun;
  const query = new URLSearchParams({ limit: "20" });
  const text = $("fan-search").value.trim();
  if (text) query.set("q", text);
  if (more && fansCursor) query.set("cursor", fansCursor);
  showError($("fans-error"), null);
  setText($("fans-status"), "Searching…");
  try {
    const page = await getJSON(`/v1/fans?${query}`);
    if (run !== searchRun) return;
    fansLoaded = true;
    fansCursor = page.next_cursor || null;
    const items = Array.isArray(page.items) ? page.items : [];
    if (more) $("fans").append(...items.map(fanItem));
    else fill($("fans"), items.map(fanItem));
    const shown = $("fans").children.length;
    setText(
      $("fans-status"),
      shown ? `${shown} fan(s)${fansCursor ? " so far" : ""}` : "No fan matches.",
    );
    show($("fans-more"), Boolean(fansCursor));
  } catch (error) {
    if (run !== searchRun) return;
    fill($("fans"), []);
    show($("fans-more"), false);
    // A server without the fans route answers FastAPI's bare "Not Found" (no such creator is
    // also a 404, with its own message): then the fan's id is typed in.
    const noRoute =
      error instanceof ApiError && error.status === 404 && error.message === "Not Found";
    if (noRoute || (error instanceof ApiError && error.status === 405)) {
      fansUnavailable = true;
      setText($("fans-status"), "This server has no fan search: paste the fan's id below.");
      return;
    }
    setText($("fans-status"), "");
    showError($("fans-error"), error);
  }
}

function fanItem(fan) {
  const summary = [
    fan.awaiting_reply ? "awaits a reply" : null,
    fan.relationship_stage,
    fan.lifetime_spend !== undefined ? money(fan.lifetime_spend) : null,
  ]
    .filter(Boolean)
    .join(" · ");
  const button = el(
    "button",
    { type: "button", class: "fan-item", "data-testid": "fan-item", dataset: { id: fan.id } },
    el("span", { class: "fan-name" }, fan.display_name || "(no name)"),
    el("span", { class: "fan-meta" }, summary),
  );
  button.addEventListener("click", () => {
    $("fan-id").value = fan.id;
    setText($("fan-picked"), `${fan.display_name || fan.id}${summary ? ` — ${summary}` : ""}`);
    for (const other of document.querySelectorAll('[data-testid="fan-item"]')) {
      if (other === button) other.setAttribute("aria-pressed", "true");
      else other.removeAttribute("aria-pressed");
    }
    $("fan-message").focus();
  });
  return el("li", {}, button);
}

function resetDraft() {
  showError($("draft-error"), null);
  showError($("send-error"), null);
  show($("send-form"), false);
  fill($("steps"), []);
  const text = $("draft-text");
  setText(text, "");
  text.dataset.tokens = "0";
  delete text.dataset.done;
  delete text.dataset.replaced;
  setText($("draft-state"), "");
  show($("draft-refusals"), false);
  fill($("draft-suggestions"), []);
  show($("draft-details"), false);
}

function onDraftEvent(name, data) {
  const text = $("draft-text");
  if (name === "step") {
    const steps = $("steps");
    for (const previous of steps.children) previous.classList.add("done");
    steps.append(el("li", { "data-testid": "step", dataset: { step: data.step } }, data.step));
  } else if (name === "token") {
    text.append(data.text || "");
    text.dataset.tokens = String(Number(text.dataset.tokens || 0) + 1);
  } else if (name === "replace") {
    // The guard refused what was streamed: it is not shown as a draft.
    setText(text, data.text || "");
    text.dataset.tokens = "0";
    text.dataset.replaced = String(Number(text.dataset.replaced || 0) + 1);
  } else if (name === "outcome") {
    for (const previous of $("steps").children) previous.classList.add("done");
    renderDraftOutcome(data);
  }
}

function renderDraftOutcome(outcome) {
  const text = $("draft-text");
  setText(text, outcome.draft || "");
  text.dataset.done = "true";
  currentDraft = outcome.draft_id || null;
  currentAnswer =
    !currentDraft && outcome.message_id && outcome.outcome === "no_usable_draft"
      ? { fanId: $("fan-id").value.trim(), messageId: outcome.message_id }
      : null;
  $("send-text").value = outcome.draft || "";
  setText($("send-state"), "");
  show($("send-form"), Boolean(currentDraft || currentAnswer));
  show($("regenerate"), Boolean(currentDraft));
  const refusals = Array.isArray(outcome.refusals) ? outcome.refusals : [];
  setText(
    $("draft-refusals"),
    refusals.length ? `Not sendable: ${refusals.map((r) => r.reason).join("; ")}.` : "",
  );
  show($("draft-refusals"), refusals.length > 0);
  const suggestions = Array.isArray(outcome.suggestions) ? outcome.suggestions : [];
  fill(
    $("draft-suggestions"),
    suggestions.length
      ? suggestions.map(suggestionItem)
      : [el("li", { class: "empty" }, "none found")],
  );
  const pending = Array.isArray(outcome.pending) ? outcome.pending : [];
  const state = OUTCOME_WORDS[outcome.outcome] || outcome.outcome || "drafted";
  const total = outcome.timings_ms && outcome.timings_ms.total;
  setText(
    $("draft-state"),
    `Reply ${state}` +
      (pending.length ? ` (${pending.length} action(s))` : "") +
      (total ? ` in ${Math.round(total)} ms.` : "."),
  );
  $("draft-state").dataset.outcome = outcome.outcome || "";
  fill($("draft-intents"), intentChips(outcome.intents));
  fill($("draft-memories"), memoryItems(outcome.memories));
  fill(
    $("draft-pending"),
    pending.length ? pending.map(pendingItem) : [el("li", { class: "empty" }, "nothing")],
  );
  const violations = Array.isArray(outcome.violations) ? outcome.violations : [];
  fill(
    $("draft-violations"),
    violations.length
      ? violations.map((v) =>
          el(
            "li",
            { "data-testid": "violation", dataset: { rule: v.rule || "" } },
            v.rule ? el("strong", {}, v.rule) : null,
            v.rule ? ": " : "",
            v.detail || v.message || formatJSON(v),
          ),
        )
      : [el("li", { class: "empty" }, "none")],
  );
  const usage = outcome.usage || {};
  setText(
    $("draft-usage"),
    Object.entries(usage)
      .map(([key, value]) => `${key.replaceAll("_", " ")}: ${value}`)
      .join(" · "),
  );
  show($("draft-details"), true);
}

function suggestionItem(suggestion) {
  const use = el(
    "button",
    { type: "button", class: "secondary", "data-testid": "use-suggestion" },
    "Use",
  );
  use.addEventListener("click", () => {
    $("send-text").value = suggestion.text;
    if (currentDraft || currentAnswer) show($("send-form"), true);
    $("send-text").focus();
  });
  return el("li", { "data-testid": "suggestion" }, el("span", {}, suggestion.text), " ", use);
}

function pendingItem(action) {
  const open = el(
    "button",
    { type: "button", class: "secondary", "data-testid": "open-pending" },
    "Review in the inbox",
  );
  open.addEventListener("click", () => {
    $("status-filter").value = "pending";
    selectTab("inbox");
    openApproval(action.id);
  });
  return el(
    "li",
    {
      class: "pending-item",
      "data-testid": "pending-action",
      dataset: { id: action.id, action: action.action },
    },
    el("strong", {}, action.action),
    " ",
    el("code", {}, JSON.stringify(action.args || {})),
    action.reason ? el("p", { class: "hint" }, action.reason) : null,
    open,
  );
}

async function draftReply(event) {
  event.preventDefault();
  const fanId = $("fan-id").value.trim();
  const message = $("fan-message").value.trim();
  if (!fanId) {
    $("fan-id").focus();
    return;
  }
  // Empty: answer the fan's latest message. Text: a preview, stored nowhere.
  await streamDraft(`/v1/fans/${encodeURIComponent(fanId)}/drafts`, message ? { text: message } : {});
}

async function streamDraft(path, body) {
  if (drafting) drafting.abort();
  const controller = new AbortController();
  drafting = controller;
  resetDraft();
  const text = $("draft-text");
  text.setAttribute("aria-busy", "true");
  $("draft-submit").disabled = true;
  setText($("draft-state"), "Drafting…");
  try {
    await postStream(
      path,
      body,
      (name, data) => {
        if (drafting === controller) onDraftEvent(name, data);
      },
      { signal: controller.signal },
    );
    if (drafting === controller && !text.dataset.done) {
      showError(
        $("draft-error"),
        new ApiError(0, "stream_ended", "The stream ended before the draft was finished."),
      );
      setText($("draft-state"), "");
    }
  } catch (error) {
    if (error && error.name === "AbortError") return;
    setText($("draft-state"), "");
    showError($("draft-error"), error);
  } finally {
    if (drafting === controller) {
      drafting = null;
      text.setAttribute("aria-busy", "false");
      $("draft-submit").disabled = false;
    }
  }
}

const SEND_WORDS = {
  awaiting_approval: "Sent for the creator's approval.",
  executed: "In the outbox: the platform delivers it.",
  failed: "Sending failed",
};

async function sendDraft(event) {
  event.preventDefault();
  if (!currentDraft && !currentAnswer) return;
  const text = $("send-text").value.trim();
  if (!text) {
    $("send-text").focus();
    return;
  }
  showError($("send-error"), null);
  $("send-submit").disabled = true;
  try {
    const sent = currentDraft
      ? await postJSON(`/v1/drafts/${encodeURIComponent(currentDraft)}/send`, { text })
      : await postJSON(`/v1/fans/${encodeURIComponent(currentAnswer.fanId)}/replies`, {
          text,
          message_id: currentAnswer.messageId,
        });
    const why = sent.action && sent.action.error ? `: ${sent.action.error}` : "";
    setText($("send-state"), (SEND_WORDS[sent.state] || sent.state) + why);
    $("send-state").dataset.state = sent.state;
  } catch (error) {
    showError($("send-error"), error);
  } finally {
    $("send-submit").disabled = false;
  }
}

function regenerateDraft() {
  if (!currentDraft) return;
  streamDraft(`/v1/drafts/${encodeURIComponent(currentDraft)}/regenerate`, {});
}

function initConsole() {
  $("fan-search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(searchTimer);
    searchFans();
  });
  $("fan-search").addEventListener("input", () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(searchFans, 250);
  });
  $("fans-more").addEventListener("click", () => searchFans({ more: true }));
  $("fan-id").addEventListener("input", () => setText($("fan-picked"), ""));
  $("draft-form").addEventListener("submit", draftReply);
  $("send-form").addEventListener("submit", sendDraft);
  $("regenerate").addEventListener("click", regenerateDraft);
}

// ---------------------------------------------------------------- start

initSettings();
initTabs();
initInbox();
initConsole();
selectTab(location.hash === "#console" ? "console" : "inbox");
document.body.dataset.ready = "true";
