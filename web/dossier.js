// The fan's dossier beside the conversation: profile, scores, tags, memories (edit, forget, where
// each came from), notes, purchases, custom requests, and the personal fields for owners and
// managers (the API leaves them out for chatters).
import { getJSON, postJSON, putJSON, remove } from "./api.js";
import { $, el, fill, formatDay, formatWhen, money, percent, show, showError } from "./dom.js";

const PROFILE_FIELDS = [
  ["relationship_stage", "stage"],
  ["temperature", "temperature"],
  ["lifetime_spend", "lifetime spend", money],
  ["purchase_count", "purchases"],
  ["avg_order_value", "average order", money],
  ["price_range", "price range"],
  ["buyer_type", "buyer type"],
  ["fan_type", "fan type"],
  ["emotional_drivers", "drives", (v) => (Array.isArray(v) ? v.join(", ") : v)],
  ["last_purchase_at", "last purchase", formatWhen],
  ["next_best_action", "next best action"],
  ["top_objection", "top objection"],
  ["narrative_summary", "summary"],
];
const SCORE_FIELDS = [
  ["upsell_readiness", "likely to buy", percent],
  ["churn_risk", "churn risk", percent],
  ["loyalty", "loyalty", percent],
  ["predicted_ltv", "predicted value", money],
];
const PERSONAL_FIELDS = ["real_name", "email", "phone_number", "city", "country"];

let fanId = null;
let tags = {}; // the fan's tags, tag -> value (or null)
let messages = new Map(); // message id -> text, to say where a memory came from

export function resetDossier() {
  fanId = null;
  show($("dossier-body"), false);
  show($("dossier-empty"), true);
  showError($("dossier-error"), null);
  showError($("dossier-action-error"), null);
}

function facts(list, fields, values) {
  fill(
    list,
    fields
      .filter(([key]) => values && values[key] !== null && values[key] !== undefined && values[key] !== "")
      .flatMap(([key, name, format]) => [
        el("dt", {}, name),
        el("dd", { dataset: { field: key } }, format ? format(values[key]) : String(values[key]).replaceAll("_", " ")),
      ]),
  );
}

/** Renders GET /v1/fans/{id} for the fan `id` (with its memories' sources). */
export async function renderDossier(id, dossier) {
  fanId = id;
  messages = new Map((dossier.recent_messages || []).map((m) => [m.id || m.message_id, m.body]));
  facts($("profile"), PROFILE_FIELDS, dossier.profile || {});
  facts($("scores"), SCORE_FIELDS, dossier.scores || {});
  tags = { ...(dossier.profile?.tags || {}) };
  renderTags();
  renderNotes(dossier.notes || []);
  fill(
    $("purchases"),
    (dossier.purchases || []).length
      ? dossier.purchases.slice(0, 10).map((p) =>
          el("li", { "data-testid": "purchase" }, `${p.kind} ${money(p.amount)}`, p.media_title ? ` · ${p.media_title}` : "", ` · ${formatWhen(p.occurred_at)}`),
        )
      : [el("li", { class: "empty" }, "none yet")],
  );
  const customs = dossier.custom_requests || [];
  fill(
    $("customs"),
    customs.length
      ? customs.map((c) =>
          el(
            "li",
            { "data-testid": "custom-request" },
            el("span", { class: "badge" }, String(c.status || "").replaceAll("_", " ")),
            " ",
            c.description || "",
            c.agreed_price ? ` · ${money(c.agreed_price)}` : c.proposed_price ? ` · proposed ${money(c.proposed_price)}` : "",
          ),
        )
      : [el("li", { class: "empty" }, "none")],
  );
  const personal = dossier.personal;
  show($("personal-box"), Boolean(personal));
  if (personal) facts($("personal"), PERSONAL_FIELDS.map((f) => [f, f.replaceAll("_", " ")]), personal);
  show($("dossier-empty"), false);
  show($("dossier-body"), true);
  await loadMemories();
}

// ---------------------------------------------------------------- tags

function renderTags() {
  const entries = Object.entries(tags);
  fill(
    $("tags"),
    entries.length
      ? entries.map(([tag, value]) => {
          const drop = el("button", { type: "button", class: "chip-remove", "aria-label": `Remove the tag ${tag}` }, "×");
          drop.addEventListener("click", () => act(async () => {
            await remove(`/v1/fans/${fanId}/tags/${encodeURIComponent(tag)}`);
            delete tags[tag];
            renderTags();
          }));
          return el("li", { class: "chip", "data-testid": "tag", dataset: { tag } }, value ? `${tag}: ${value}` : tag, drop);
        })
      : [el("li", { class: "empty" }, "no tags")],
  );
}

async function addTag(event) {
  event.preventDefault();
  const [tag, ...rest] = $("tag-name").value.trim().split("=");
  if (!tag) return;
  await act(async () => {
    const saved = await putJSON(`/v1/fans/${fanId}/tags/${encodeURIComponent(tag.trim().toLowerCase())}`, {
      value: rest.length ? rest.join("=").trim() : null,
    });
    $("tag-name").value = "";
    tags[saved.tag] = saved.value;
    renderTags();
  });
}

// ---------------------------------------------------------------- notes

function renderNotes(notes) {
  fill(
    $("notes"),
    notes.length
      ? notes.map((note) => el("li", { "data-testid": "note" }, el("p", {}, note.body), el("span", { class: "hint" }, formatWhen(note.created_at))))
      : [el("li", { class: "empty" }, "no notes")],
  );
}

async function addNote(event) {
  event.preventDefault();
  const body = $("note-body").value.trim();
  if (!body) return;
  await act(async () => {
    await postJSON(`/v1/fans/${fanId}/notes`, { body });
    $("note-body").value = "";
    renderNotes(await getJSON(`/v1/fans/${fanId}/notes`));
  });
}

// ---------------------------------------------------------------- memories

async function loadMemories() {
  const id = fanId;
  const memories = await getJSON(`/v1/fans/${id}/memories`);
  if (id !== fanId) return;
  fill(
    $("memories"),
    memories.length ? memories.map(memoryItem) : [el("li", { class: "empty" }, "nothing remembered yet")],
  );
}

function memoryItem(memory) {
  const source = memory.source_message_id
    ? messages.has(memory.source_message_id)
      ? `from the fan's message "${messages.get(memory.source_message_id)}"`
      : "from one of the fan's messages"
    : "added by the team";
  const body = el("span", { class: "memory-body" }, memory.body);
  const plan = !memory.expires_at
    ? ""
    : new Date(memory.expires_at) <= new Date()
      ? `, a plan, past since ${formatDay(memory.expires_at)}`
      : `, a plan until ${formatDay(memory.expires_at)}`;
  const edit = el("button", { type: "button", class: "link", "data-testid": "edit-memory" }, "edit");
  const forget = el("button", { type: "button", class: "link danger", "data-testid": "forget-memory" }, "forget");
  const item = el(
    "li",
    { "data-testid": "memory", dataset: { id: memory.id } },
    el("span", { class: "tag" }, memory.kind),
    " ",
    body,
    el("span", { class: "hint memory-source", "data-testid": "memory-source" }, `${source}, ${formatDay(memory.created_at)}${plan}`),
    el("span", { class: "memory-actions" }, edit, " ", forget),
  );
  edit.addEventListener("click", () => {
    const input = el("input", { type: "text", value: memory.body, maxlength: 500, "aria-label": "The memory", "data-testid": "memory-input" });
    const save = el("button", { type: "button", class: "secondary small", "data-testid": "save-memory" }, "Save");
    const form = el("span", { class: "row compact" }, input, save);
    body.replaceWith(form);
    input.focus();
    const commit = () => act(async () => {
      const text = input.value.trim();
      if (!text || text === memory.body) return loadMemories();
      await putJSON(`/v1/memories/${memory.id}`, { kind: memory.kind, body: text, subject: memory.subject, expires_at: memory.expires_at });
      await loadMemories();
    });
    save.addEventListener("click", commit);
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        commit();
      } else if (event.key === "Escape") loadMemories();
    });
  });
  forget.addEventListener("click", () => act(async () => {
    await remove(`/v1/memories/${memory.id}`);
    item.remove();
  }));
  return item;
}

/** Runs a dossier change, showing its error in place. */
async function act(change) {
  showError($("dossier-action-error"), null);
  try {
    await change();
  } catch (error) {
    showError($("dossier-action-error"), error);
  }
}

export function initDossier() {
  $("tag-form").addEventListener("submit", addTag);
  $("note-form").addEventListener("submit", addNote);
}
