// The page: the API key and the creator it acts for, the views, and their start.
import { forgetSettings, getJSON, loadSettings, saveCreator, saveKey } from "./api.js";
import { $, el, fill, setText, show, showError } from "./dom.js";
import { initAlerts, loadAlerts } from "./alerts.js";
import { initApprovals, loadApprovals, openApproval } from "./approvals.js";
import { initBroadcasts, loadBroadcasts } from "./broadcasts.js";
import { isManager, session } from "./session.js";
import { initSegments, loadSegments } from "./segments.js";
import { initAutomations, loadAutomations } from "./automations.js";
import { initSettings, loadSettingsView } from "./settings.js";
import { initWorkspace, loadWorkspace, openFan, resetWorkspace } from "./workspace.js";

const VIEWS = ["workspace", "approvals", "alerts", "segments", "automations", "broadcasts", "settings"];
const MANAGER_VIEWS = new Set(["approvals", "broadcasts", "settings"]);

let currentView = "workspace";

// ---------------------------------------------------------------- the key and the creator

async function startSession() {
  showError($("session-error"), null);
  if (!loadSettings().key) {
    show($("session"), false);
    keyForm(true);
    return;
  }
  try {
    session.me = await getJSON("/v1/me");
  } catch (error) {
    session.me = null;
    session.creator = null;
    show($("session"), false);
    keyForm(true);
    showError($("session-error"), error);
    return;
  }
  const creators = session.me.creators;
  const saved = loadSettings().creatorId;
  const chosen = creators.find((c) => c.id === saved) || creators[0];
  fill(
    $("creator-select"),
    creators.map((c) =>
      el("option", { value: c.id, selected: c.id === chosen.id }, `${c.display_name} (@${c.handle})`),
    ),
  );
  $("creator-select").disabled = creators.length < 2;
  useCreator(chosen);
  show($("session"), true);
  keyForm(false);
}

function useCreator(creator) {
  session.creator = creator;
  resetWorkspace();
  // The header only matters when the key works for several creators.
  saveCreator(session.me.creators.length > 1 ? creator.id : null);
  setText($("role"), creator.role);
  document.body.dataset.role = creator.role;
  for (const view of MANAGER_VIEWS) show($(`tab-${view}`), isManager());
  const view = MANAGER_VIEWS.has(currentView) && !isManager() ? "workspace" : currentView;
  selectView(view, { reload: true });
  refreshCounts();
}

function keyForm(open) {
  show($("settings-form"), open);
  $("key-toggle").setAttribute("aria-expanded", String(open));
  if (open) $("api-key").focus();
}

function initSession() {
  $("api-key").value = loadSettings().key;
  $("settings-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const key = $("api-key").value.trim();
    if (!key) {
      setText($("settings-status"), "Paste an API key first.");
      $("api-key").focus();
      return;
    }
    saveKey(key);
    saveCreator(null);
    setText($("settings-status"), "Key saved in this browser.");
    startSession();
  });
  $("forget-settings").addEventListener("click", () => {
    forgetSettings();
    $("api-key").value = "";
    session.me = null;
    session.creator = null;
    setText($("settings-status"), "Key forgotten.");
    location.hash = "";
    location.reload();
  });
  $("key-toggle").addEventListener("click", () => keyForm($("settings-form").hidden));
  $("creator-select").addEventListener("change", () => {
    const creator = session.me.creators.find((c) => c.id === $("creator-select").value);
    if (creator) useCreator(creator);
  });
}

// ---------------------------------------------------------------- views

export function selectView(name, { focus = false, reload = true } = {}) {
  currentView = name;
  for (const view of VIEWS) {
    const tab = $(`tab-${view}`);
    const selected = view === name;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    show($(`view-${view}`), selected);
    if (selected && focus) tab.focus();
  }
  if (location.hash !== `#${name}`) history.replaceState(null, "", `#${name}`);
  if (reload && session.creator) {
    if (name === "workspace") loadWorkspace();
    else if (name === "approvals") loadApprovals();
    else if (name === "alerts") loadAlerts();
    else if (name === "segments") loadSegments();
    else if (name === "automations") loadAutomations();
    else if (name === "broadcasts") loadBroadcasts();
    else loadSettingsView();
  }
}

function initViews() {
  for (const view of VIEWS) $(`tab-${view}`).addEventListener("click", () => selectView(view));
  document.querySelector('nav[role="tablist"]').addEventListener("keydown", (event) => {
    const visible = VIEWS.filter((v) => !$(`tab-${v}`).hidden);
    const index = visible.indexOf(currentView);
    const moves = {
      ArrowRight: (index + 1) % visible.length,
      ArrowLeft: (index - 1 + visible.length) % visible.length,
      Home: 0,
      End: visible.length - 1,
    };
    if (!(event.key in moves)) return;
    event.preventDefault();
    selectView(visible[moves[event.key]], { focus: true });
  });
}

/** The badges on the tabs: approvals waiting, unread alerts. */
export async function refreshCounts() {
  if (!session.creator) return;
  const jobs = [];
  if (isManager()) {
    jobs.push(
      getJSON("/v1/approvals?status=pending&limit=200")
        .then((rows) => setText($("approvals-count"), rows.length || ""))
        .catch(() => setText($("approvals-count"), "")),
    );
  }
  jobs.push(
    getJSON("/v1/alerts?unread_only=true&limit=200")
      .then((rows) => setText($("alerts-count"), rows.length || ""))
      .catch(() => setText($("alerts-count"), "")),
  );
  await Promise.all(jobs);
}

/** From anywhere (an alert, an approval): the fan's conversation in the workspace. */
export function goToFan(fanId, name) {
  selectView("workspace", { reload: false });
  openFan(fanId, name);
}

export function goToApproval(actionId) {
  $("status-filter").value = "pending";
  selectView("approvals");
  openApproval(actionId);
}

// ---------------------------------------------------------------- start

initSession();
initViews();
initWorkspace();
initApprovals();
initAlerts();
initSegments();
initAutomations();
initBroadcasts();
initSettings();
const wanted = location.hash.slice(1);
if (VIEWS.includes(wanted)) currentView = wanted;
startSession().finally(() => {
  document.body.dataset.ready = "true";
});
