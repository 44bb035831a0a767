// The alerts feed: what needs someone now (a VIP online, a hot lead, a renewal due), with the
// fan one click away; mark read, dismiss.
import { getJSON, postJSON } from "./api.js";
import { goToFan, refreshCounts } from "./app.js";
import { $, el, fill, formatWhen, setText, showError } from "./dom.js";

export async function loadAlerts() {
  const query = new URLSearchParams({ limit: "100", unread_only: String($("alerts-unread").checked) });
  showError($("alerts-error"), null);
  setText($("alerts-status"), "Loading…");
  try {
    const alerts = await getJSON(`/v1/alerts?${query}`);
    fill($("alerts"), alerts.map(alertItem));
    setText($("alerts-status"), alerts.length ? "" : "No alerts right now.");
  } catch (error) {
    setText($("alerts-status"), "");
    fill($("alerts"), []);
    showError($("alerts-error"), error);
  }
}

function alertItem(alert) {
  const open = el("button", { type: "button", class: "secondary small", "data-testid": "alert-open" }, `Open ${alert.fan_name || "the fan"}`);
  const read = el("button", { type: "button", class: "secondary small", "data-testid": "alert-read", hidden: Boolean(alert.read_at) }, "Mark read");
  const dismiss = el("button", { type: "button", class: "secondary small", "data-testid": "alert-dismiss" }, "Dismiss");
  const item = el(
    "li",
    {
      class: `alert priority-${alert.priority}${alert.read_at ? " read" : ""}`,
      "data-testid": "alert",
      dataset: { id: alert.id, type: alert.type },
    },
    el("span", { class: `badge priority-${alert.priority}` }, alert.priority),
    el("p", { class: "alert-message" }, alert.message),
    el("span", { class: "hint" }, `${String(alert.suggested_action || "").replaceAll("_", " ")} · ${formatWhen(alert.created_at)}`),
    el("span", { class: "row compact" }, open, read, dismiss),
  );
  open.addEventListener("click", () => {
    mark(alert, "read", item);
    goToFan(alert.fan_id, alert.fan_name);
  });
  read.addEventListener("click", () => mark(alert, "read", item));
  dismiss.addEventListener("click", () => mark(alert, "dismiss", item));
  return item;
}

async function mark(alert, state, item) {
  showError($("alerts-error"), null);
  try {
    await postJSON(`/v1/alerts/${alert.id}/${state}`, undefined);
    if (state === "dismiss") item.remove();
    else {
      item.classList.add("read");
      item.querySelector('[data-testid="alert-read"]').hidden = true;
    }
    refreshCounts();
  } catch (error) {
    showError($("alerts-error"), error);
  }
}

export function initAlerts() {
  $("alerts-unread").addEventListener("change", loadAlerts);
}
