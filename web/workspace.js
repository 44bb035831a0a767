// The chatter's workspace: the queue of fans (tabs, search), the conversation with its composer
// (the draft streams into it; edit, send, regenerate, discard; PPV one click away) and the
// fan's dossier.
import { ApiError, getJSON, postJSON, postStream } from "./api.js";
import { refreshCounts } from "./app.js";
import { initDossier, renderDossier, resetDossier } from "./dossier.js";
import { $, el, fill, formatWhen, money, setText, show, showError } from "./dom.js";

const TAB_NAMES = {
  awaiting_reply: "Awaiting reply",
  vip: "VIP",
  hot_leads: "Hot leads",
  all: "All",
  dormant: "Dormant",
  new: "New",
};
const PAGE = 30;
const OUTCOME_WORDS = {
  drafted: "Drafted: edit it if you like, then send.",
  awaiting_approval: "The agent proposed an action that waits for the creator.",
  superseded: "The fan wrote again meanwhile: draft again.",
  no_usable_draft: "Nothing the model wrote could be sent: pick a suggestion or write your own.",
};
const SEND_WORDS = {
  awaiting_approval: "Sent for the creator's approval.",
  executed: "In the outbox: the platform delivers it.",
  failed: "Sending failed",
};
const STATUS_WORDS = {
  received: "",
  queued: "queued for delivery",
  sent: "sent",
  failed: "failed to send",
  awaiting_approval: "waiting for approval",
  rejected: "rejected",
  expired: "approval expired",
};

const state = {
  tab: "awaiting_reply",
  offset: 0,
  entries: [],
  run: 0,
  fan: null, // {id, name}
  draftId: null, // the stored draft Send sends
  messageId: null, // the fan message the reply answers
  drafting: null, // the AbortController of a streaming draft
  offer: null, // the PPV the agent suggests offering with this reply {media_id, title, price}
};

// ---------------------------------------------------------------- the queue

export async function loadWorkspace() {
  await Promise.all([loadTabs(), loadQueue()]);
}

async function loadTabs() {
  try {
    const tabs = await getJSON("/v1/inbox/tabs");
    fill(
      $("queue-tabs"),
      tabs.map(({ tab, total }) => {
        const button = el(
          "button",
          {
            type: "button",
            role: "tab",
            class: "queue-tab",
            "data-testid": "queue-tab",
            dataset: { tab },
            "aria-selected": String(tab === state.tab),
          },
          TAB_NAMES[tab] || tab,
          " ",
          el("span", { class: "count", "data-testid": "queue-tab-count" }, String(total ?? "")),
        );
        button.addEventListener("click", () => {
          state.tab = tab;
          $("fan-search").value = "";
          for (const other of $("queue-tabs").children)
            other.setAttribute("aria-selected", String(other === button));
          loadQueue();
        });
        return button;
      }),
    );
  } catch (error) {
    fill($("queue-tabs"), []);
    showError($("queue-error"), error);
  }
}

async function loadQueue({ more = false } = {}) {
  const run = ++state.run;
  const text = $("fan-search").value.trim();
  if (!more) state.offset = 0;
  showError($("queue-error"), null);
  setText($("queue-status"), "Loading…");
  try {
    let entries;
    let hasMore;
    if (text) {
      const page = await getJSON(`/v1/fans?${new URLSearchParams({ q: text, limit: "50" })}`);
      entries = page.items.map(fanRowAsEntry);
      hasMore = false;
    } else {
      const query = new URLSearchParams({ tab: state.tab, limit: String(PAGE), offset: String(state.offset) });
      const page = await getJSON(`/v1/inbox?${query}`);
      entries = page.entries;
      hasMore = page.has_more;
    }
    if (run !== state.run) return;
    state.entries = more ? [...state.entries, ...entries] : entries;
    state.offset += entries.length;
    fill($("queue"), state.entries.map(queueItem));
    show($("queue-more"), hasMore);
    setText(
      $("queue-status"),
      state.entries.length ? "" : text ? "No fan matches." : "Nobody here right now.",
    );
    markSelected();
  } catch (error) {
    if (run !== state.run) return;
    setText($("queue-status"), "");
    fill($("queue"), []);
    showError($("queue-error"), error);
  }
}

/** A row of GET /v1/fans (search) in the shape of an inbox entry. */
function fanRowAsEntry(row) {
  return {
    fan_id: row.id,
    display_name: row.display_name,
    stage: row.relationship_stage,
    temperature: row.temperature,
    lifetime_spend: row.lifetime_spend,
    awaiting_reply: row.awaiting_reply,
    unread: null,
    last_message: null,
    segment: null,
  };
}

function queueItem(entry) {
  const preview = entry.last_message
    ? `${entry.last_message.direction === "outbound" ? "You: " : ""}${entry.last_message.text}`
    : entry.stage || "";
  const button = el(
    "button",
    {
      type: "button",
      class: "fan-item",
      "data-testid": "fan-item",
      dataset: { id: entry.fan_id, awaiting: String(Boolean(entry.awaiting_reply)) },
    },
    el(
      "span",
      { class: "fan-line" },
      el("span", { class: "fan-name" }, entry.display_name || "(no name)"),
      entry.segment && entry.segment !== "active"
        ? el("span", { class: `badge seg-${entry.segment}` }, entry.segment.replace("_", " "))
        : null,
      entry.unread
        ? el("span", { class: "unread", "data-testid": "unread", title: "unread messages" }, String(entry.unread))
        : null,
    ),
    el("span", { class: "fan-preview", "data-testid": "fan-preview" }, preview),
    el(
      "span",
      { class: "fan-meta" },
      [
        entry.awaiting_reply ? "awaits a reply" : null,
        entry.lifetime_spend !== undefined ? money(entry.lifetime_spend) : null,
        entry.last_message ? formatWhen(entry.last_message.at) : null,
      ]
        .filter(Boolean)
        .join(" · "),
    ),
  );
  button.addEventListener("click", () => openFan(entry.fan_id, entry.display_name));
  return el("li", {}, button);
}

function markSelected() {
  for (const item of document.querySelectorAll('[data-testid="fan-item"]')) {
    if (state.fan && item.dataset.id === state.fan.id) item.setAttribute("aria-current", "true");
    else item.removeAttribute("aria-current");
  }
}

function moveSelection(step) {
  const items = [...document.querySelectorAll('[data-testid="fan-item"]')];
  if (!items.length) return;
  const index = items.findIndex((item) => state.fan && item.dataset.id === state.fan.id);
  const next = items[Math.min(items.length - 1, Math.max(0, index + step))];
  next.click();
  next.focus();
}

// ---------------------------------------------------------------- the conversation

/** Another creator (or key): no fan is open, the queue shows. */
export function resetWorkspace() {
  if (state.drafting) state.drafting.abort();
  state.fan = null;
  state.tab = "awaiting_reply";
  $("fan-search").value = "";
  setText($("fan-title"), "Pick a fan");
  fill($("fan-badges"), []);
  fill($("thread"), []);
  show($("composer"), false);
  resetDossier();
  $("view-workspace").dataset.pane = "queue";
}

export async function openFan(fanId, name) {
  if (state.drafting) state.drafting.abort();
  state.fan = { id: fanId, name: name || "" };
  markSelected();
  setText($("fan-title"), name || "…");
  $("view-workspace").dataset.pane = "thread";
  resetComposer();
  show($("composer"), true);
  fill($("thread"), []);
  resetDossier();
  await Promise.all([loadThread(), loadDossier()]);
}

async function loadDossier() {
  const fan = state.fan;
  try {
    const dossier = await getJSON(`/v1/fans/${fan.id}`);
    if (state.fan !== fan) return;
    const name = dossier.profile?.display_name || fan.name;
    fan.name = name;
    setText($("fan-title"), name);
    fill($("fan-badges"), [
      dossier.profile?.relationship_stage
        ? el("span", { class: "chip", "data-testid": "fan-stage" }, dossier.profile.relationship_stage.replaceAll("_", " "))
        : null,
      dossier.profile?.temperature
        ? el("span", { class: `chip temp-${dossier.profile.temperature}` }, dossier.profile.temperature)
        : null,
    ].filter(Boolean));
    await renderDossier(fan.id, dossier);
  } catch (error) {
    showError($("dossier-error"), error);
  }
}

/** The messages, oldest first, with the replies still waiting for approval at their place. */
export async function loadThread() {
  const fan = state.fan;
  if (!fan) return;
  showError($("thread-error"), null);
  try {
    const [page, drafts] = await Promise.all([
      getJSON(`/v1/fans/${fan.id}/messages?limit=50`),
      getJSON(`/v1/fans/${fan.id}/drafts?limit=20`),
    ]);
    if (state.fan !== fan) return;
    const shown = page.items
      .filter((m) => m.status !== "draft" && m.status !== "superseded")
      .map((m) => ({ ...m, at: m.created_at }));
    const waiting = drafts
      .filter((d) => ["awaiting_approval", "rejected", "expired"].includes(d.state) && d.send_text)
      .map((d) => ({
        id: d.id,
        direction: "outbound",
        status: d.state,
        body: d.send_text,
        price: d.send_price,
        at: d.created_at,
        note: d.decision_note,
      }));
    const items = [...shown, ...waiting].sort((a, b) => String(a.at).localeCompare(String(b.at)));
    fill($("thread"), items.length ? items.map(bubble) : [el("li", { class: "empty" }, "No messages yet.")]);
    const last = $("thread").lastElementChild;
    if (last) last.scrollIntoView({ block: "end" });
  } catch (error) {
    showError($("thread-error"), error);
  }
}

function bubble(message) {
  const ours = message.direction === "outbound";
  const words = STATUS_WORDS[message.status] ?? message.status;
  const meta = [
    formatWhen(message.at),
    message.price ? `PPV ${money(message.price)}` : null,
    ours ? words : null,
    message.note ? `(${message.note})` : null,
  ]
    .filter(Boolean)
    .join(" · ");
  return el(
    "li",
    {
      class: `msg ${ours ? "ours" : "fan"} status-${message.status}`,
      "data-testid": "message",
      dataset: { id: message.id, status: message.status, direction: message.direction },
    },
    el("p", { class: "msg-body" }, message.body),
    el("span", { class: "msg-meta", "data-testid": "message-meta" }, meta),
  );
}

// ---------------------------------------------------------------- the composer

function resetComposer({ keepText = false } = {}) {
  state.draftId = null;
  state.messageId = null;
  if (!keepText) $("composer-text").value = "";
  fill($("steps"), []);
  showError($("draft-error"), null);
  showError($("send-error"), null);
  show($("draft-refusals"), false);
  fill($("suggestions"), []);
  show($("suggestions"), false);
  fill($("draft-pending"), []);
  show($("draft-pending"), false);
  state.offer = null;
  show($("draft-offer"), false);
  show($("regenerate"), false);
  setText($("composer-state"), "");
  delete $("composer-text").dataset.done;
  delete $("composer-text").dataset.replaced;
  $("composer-text").dataset.tokens = "0";
  $("composer-text").readOnly = false;
}

async function draft({ regenerate = false } = {}) {
  if (!state.fan) return;
  const path = regenerate && state.draftId
    ? `/v1/drafts/${state.draftId}/regenerate`
    : `/v1/fans/${state.fan.id}/drafts`;
  if (state.drafting) state.drafting.abort();
  const controller = new AbortController();
  state.drafting = controller;
  resetComposer();
  const box = $("composer-text");
  box.readOnly = true;
  box.setAttribute("aria-busy", "true");
  $("draft-button").disabled = true;
  setText($("composer-state"), "Drafting…");
  try {
    await postStream(path, {}, (name, data) => state.drafting === controller && onDraftEvent(name, data), {
      signal: controller.signal,
    });
    if (state.drafting === controller && !box.dataset.done) {
      showError($("draft-error"), new ApiError(0, "stream_ended", "The stream ended before the draft was finished."));
      setText($("composer-state"), "");
    }
  } catch (error) {
    if (error && error.name === "AbortError") return;
    setText($("composer-state"), "");
    showError($("draft-error"), error);
  } finally {
    if (state.drafting === controller) {
      state.drafting = null;
      box.readOnly = false;
      box.setAttribute("aria-busy", "false");
      $("draft-button").disabled = false;
    }
  }
}

function onDraftEvent(name, data) {
  const box = $("composer-text");
  if (name === "step") {
    for (const previous of $("steps").children) previous.classList.add("done");
    $("steps").append(el("li", { "data-testid": "step", dataset: { step: data.step } }, data.step.replaceAll("_", " ")));
  } else if (name === "token") {
    box.value += data.text || "";
    box.dataset.tokens = String(Number(box.dataset.tokens || 0) + 1);
    setText($("composer-state"), "Writing…");
  } else if (name === "replace") {
    // The guard refused what streamed: it is taken back, never offered for sending.
    box.value = data.text || "";
    box.dataset.replaced = String(Number(box.dataset.replaced || 0) + 1);
  } else if (name === "outcome") {
    for (const previous of $("steps").children) previous.classList.add("done");
    renderOutcome(data);
  }
}

function renderOutcome(outcome) {
  const box = $("composer-text");
  box.value = outcome.draft || "";
  box.dataset.done = "true";
  state.draftId = outcome.draft_id || null;
  state.messageId = outcome.message_id || null;
  show($("regenerate"), Boolean(state.draftId));
  $("composer").dataset.outcome = outcome.outcome || "";
  const total = outcome.timings_ms && outcome.timings_ms.total;
  setText(
    $("composer-state"),
    `${OUTCOME_WORDS[outcome.outcome] || outcome.outcome}${total ? ` (${(total / 1000).toFixed(1)} s)` : ""}`,
  );
  const refusals = Array.isArray(outcome.refusals) ? outcome.refusals : [];
  setText($("draft-refusals"), refusals.length ? `Not sendable: ${refusals.map((r) => r.reason).join("; ")}.` : "");
  show($("draft-refusals"), refusals.length > 0);
  const suggestions = Array.isArray(outcome.suggestions) ? outcome.suggestions : [];
  fill($("suggestions"), suggestions.map(suggestionItem));
  show($("suggestions"), suggestions.length > 0);
  const pending = Array.isArray(outcome.pending) ? outcome.pending : [];
  fill($("draft-pending"), pending.map(pendingItem));
  show($("draft-pending"), pending.length > 0);
  state.offer = outcome.offer || null;
  if (state.offer) {
    setText($("offer-title"), state.offer.title);
    setText($("offer-price"), money(state.offer.price));
    const { percent_off: off, full_price: full, list_price: list } = state.offer;
    setText($("offer-list"), off ? `(${off}% off ${money(full)})` : list !== null ? `(list ${money(list)})` : "");
    $("draft-offer").title = state.offer.explanation || "";
  }
  show($("draft-offer"), Boolean(state.offer));
  if (outcome.draft) box.focus();
}

function suggestionItem(suggestion) {
  const use = el("button", { type: "button", class: "suggestion", "data-testid": "suggestion", title: "Use this reply" }, suggestion.text);
  use.addEventListener("click", () => {
    $("composer-text").value = suggestion.text;
    $("composer-text").focus();
  });
  return el("li", {}, use);
}

function pendingItem(action) {
  const what = action.summary || `${action.action}${action.args?.price !== undefined ? ` ${money(action.args.price)}` : ""}`;
  return el(
    "li",
    { "data-testid": "pending-action", dataset: { id: action.id, action: action.action } },
    `Waiting for the creator: ${what}`,
  );
}

async function send(event) {
  event.preventDefault();
  if (!state.fan || state.drafting) return;
  const text = $("composer-text").value.trim();
  if (!text) {
    $("composer-text").focus();
    return;
  }
  showError($("send-error"), null);
  $("send").disabled = true;
  try {
    const sent = state.draftId
      ? await postJSON(`/v1/drafts/${state.draftId}/send`, { text })
      : await postJSON(`/v1/fans/${state.fan.id}/replies`, state.messageId ? { text, message_id: state.messageId } : { text });
    const why = sent.action && sent.action.error ? `: ${sent.action.error}` : "";
    resetComposer();
    setText($("composer-state"), (SEND_WORDS[sent.state] || sent.state) + why);
    $("composer-state").dataset.state = sent.state;
    await loadThread();
    refreshCounts();
    loadQueue();
  } catch (error) {
    showError($("send-error"), error);
  } finally {
    $("send").disabled = false;
  }
}

function discard() {
  if (state.drafting) state.drafting.abort();
  resetComposer();
  $("composer-text").focus();
}

// ---------------------------------------------------------------- PPV

async function loadMedia() {
  if (!state.fan) return;
  const fan = state.fan;
  const query = new URLSearchParams({ fan_id: fan.id, limit: "20" });
  const text = $("media-search").value.trim();
  if (text) query.set("q", text);
  showError($("ppv-error"), null);
  try {
    const { items } = await getJSON(`/v1/media?${query}`);
    if (state.fan !== fan) return;
    fill($("media"), items.length ? items.map(mediaItem) : [el("li", { class: "empty" }, "Nothing in the vault matches.")]);
  } catch (error) {
    showError($("ppv-error"), error);
  }
}

function mediaItem(media) {
  const price = el("span", { class: "media-price", "data-testid": "media-price" }, media.price !== null ? `list ${money(media.price)}` : "");
  const suggest = el("button", { type: "button", class: "secondary small", "data-testid": "suggest-price" }, "Suggest a price");
  const offer = el("button", { type: "button", class: "primary small", "data-testid": "offer", hidden: true }, "Offer");
  let suggested = null;
  suggest.addEventListener("click", async () => {
    try {
      const found = await getJSON(`/v1/fans/${state.fan.id}/price?media_id=${media.media_id}`);
      suggested = Number(found.suggested_price);
      const bought = found.already_purchased ? " · already bought" : "";
      setText(price, `suggested ${money(found.suggested_price)}${media.price !== null ? ` (list ${money(media.price)})` : ""}${bought}`);
      price.title = found.explanation || "";
      show(offer, true);
    } catch (error) {
      showError($("ppv-error"), error);
    }
  });
  offer.addEventListener("click", () => sendOffer(media.media_id, media.title, suggested, $("ppv-error")));
  return el(
    "li",
    { class: "media-item", "data-testid": "media-item", dataset: { id: media.media_id } },
    el("span", { class: "media-title" }, media.title),
    el("span", { class: "hint" }, [media.kind, ...(media.tags || [])].filter(Boolean).join(" · ")),
    media.already_bought ? el("span", { class: "badge warn", "data-testid": "already-bought" }, "already bought") : null,
    media.already_sent && !media.already_bought ? el("span", { class: "badge", "data-testid": "already-sent" }, "sent before") : null,
    price,
    el("span", { class: "row compact" }, suggest, offer),
  );
}

/** Sends the composer's text with the PPV `mediaId` at `price`, through the approval gate. */
async function sendOffer(mediaId, title, price, errors) {
  if (!state.fan) return;
  showError(errors, null);
  try {
    const text = $("composer-text").value.trim() || `something new just for you: ${title}`;
    const offered = { media_id: mediaId, price, text };
    const sent = state.messageId
      ? await postJSON(`/v1/fans/${state.fan.id}/offers`, { ...offered, message_id: state.messageId })
      : await postJSON(`/v1/fans/${state.fan.id}/offers`, offered);
    resetComposer();
    setText($("composer-state"), `${SEND_WORDS[sent.state] || sent.state} (PPV "${title}" for ${money(price)})`);
    $("composer-state").dataset.state = sent.state;
    show($("ppv-panel"), false);
    $("ppv-toggle").setAttribute("aria-expanded", "false");
    await loadThread();
    refreshCounts();
    loadQueue();
  } catch (error) {
    showError(errors, error);
  }
}

function togglePpv() {
  const open = $("ppv-panel").hidden;
  show($("ppv-panel"), open);
  $("ppv-toggle").setAttribute("aria-expanded", String(open));
  if (open) {
    loadMedia();
    $("media-search").focus();
  }
}

// ---------------------------------------------------------------- keys and start

function typing(target) {
  return target instanceof HTMLElement && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

function onKey(event) {
  if ($("view-workspace").hidden || event.altKey || event.metaKey) return;
  if (event.target === $("composer-text")) {
    if (event.key === "Enter" && event.ctrlKey) {
      event.preventDefault();
      $("composer").requestSubmit();
    } else if (event.key === "Escape") {
      event.preventDefault();
      discard();
    }
    return;
  }
  if (typing(event.target) || event.ctrlKey) return;
  const keys = {
    j: () => moveSelection(1),
    k: () => moveSelection(-1),
    d: () => draft(),
    "/": () => $("fan-search").focus(),
  };
  if (keys[event.key]) {
    event.preventDefault();
    keys[event.key]();
  }
}

export function initWorkspace() {
  initDossier();
  let timer = null;
  $("fan-search").addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => loadQueue(), 250);
  });
  $("fan-search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    loadQueue();
  });
  $("queue-more").addEventListener("click", () => loadQueue({ more: true }));
  $("composer").addEventListener("submit", send);
  $("draft-button").addEventListener("click", () => draft());
  $("regenerate").addEventListener("click", () => draft({ regenerate: true }));
  $("discard").addEventListener("click", discard);
  $("ppv-toggle").addEventListener("click", togglePpv);
  $("offer-send").addEventListener("click", () => {
    if (state.offer) sendOffer(state.offer.media_id, state.offer.title, state.offer.price, $("send-error"));
  });
  let mediaTimer = null;
  $("media-search").addEventListener("input", () => {
    clearTimeout(mediaTimer);
    mediaTimer = setTimeout(loadMedia, 250);
  });
  $("back-to-queue").addEventListener("click", () => {
    $("view-workspace").dataset.pane = "queue";
  });
  $("show-dossier").addEventListener("click", () => {
    $("view-workspace").dataset.pane = "dossier";
  });
  $("hide-dossier").addEventListener("click", () => {
    $("view-workspace").dataset.pane = "thread";
  });
  document.addEventListener("keydown", onKey);
}
