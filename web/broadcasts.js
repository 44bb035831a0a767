// Broadcasts (owners and managers): message templates, a broadcast of one to a segment, its dry
// run (how many, who is left out and why, five sample messages), its one approval, and then its
// counters and deliveries as the job worker writes them.
import { getJSON, postJSON } from "./api.js";
import { $, el, fill, setText, show, showError } from "./dom.js";

let selected = null;
let poll = null;

export async function loadBroadcasts() {
  showError($("broadcasts-error"), null);
  try {
    const [broadcasts, templates, segments, media, variables] = await Promise.all([
      getJSON("/v1/broadcasts"),
      getJSON("/v1/templates"),
      getJSON("/v1/segments"),
      getJSON("/v1/media?limit=50").then((page) => page.items),
      getJSON("/v1/templates/variables"),
    ]);
    fill($("broadcasts"), broadcasts.map(broadcastItem));
    fill($("broadcast-template"), templates.map((t) => el("option", { value: t.id }, t.name)));
    fill($("broadcast-segment"), segments.map((s) => el("option", { value: s.id }, s.name)));
    fill($("broadcast-media"), [
      el("option", { value: "" }, "nothing"),
      ...media.map((m) => el("option", { value: m.media_id }, `${m.title}${m.price ? ` ($${m.price})` : ""}`)),
    ]);
    setText(
      $("template-variables"),
      `Variables: ${variables.map((v) => `{${v.name}}`).join(" ")}; {memory|fallback} when a fan has none.`,
    );
  } catch (error) {
    showError($("broadcasts-error"), error);
  }
}

function broadcastItem(broadcast) {
  const button = el(
    "button",
    { type: "button", class: "queue-item", "data-testid": "broadcast", dataset: { id: broadcast.id } },
    el("span", { class: "queue-action" }, broadcast.name),
    el("span", { class: "badge" }, broadcast.status.replaceAll("_", " ")),
    el("span", { class: "queue-draft" }, `${broadcast.template_name} → ${broadcast.segment_name}`),
  );
  button.addEventListener("click", () => openBroadcast(broadcast.id));
  return el("li", {}, button);
}

async function openBroadcast(id) {
  showError($("broadcast-error"), null);
  setText($("dry-run-count"), "");
  fill($("dry-run-samples"), []);
  clearTimeout(poll);
  try {
    const broadcast = await getJSON(`/v1/broadcasts/${id}`);
    selected = broadcast;
    setText($("broadcast-title"), broadcast.name);
    setText($("broadcast-summary"), summary(broadcast));
    show($("broadcast-actions"), true);
    const waiting = broadcast.status === "awaiting_approval";
    show($("broadcast-approve"), waiting);
    show($("broadcast-reject"), waiting);
    const deliveries = await getJSON(`/v1/broadcasts/${id}/deliveries?limit=50`);
    fill($("deliveries"), deliveries.map(deliveryItem));
    if (broadcast.status === "approved" || broadcast.status === "sending") {
      poll = setTimeout(() => selected?.id === id && openBroadcast(id), 1000);
    }
  } catch (error) {
    showError($("broadcast-error"), error);
  }
}

function summary(b) {
  const media = b.media_title ? ` offering ${b.media_title}` : "";
  const counters = b.snapshot_at
    ? ` · ${b.recipients} fans: ${b.queued} queued, ${b.excluded} left out, ${b.blocked} blocked,` +
      ` ${b.skipped} skipped, ${b.converted} bought`
    : "";
  return `${b.status.replaceAll("_", " ")}: "${b.template_name}" to ${b.segment_name}${media}${counters}`;
}

function deliveryItem(d) {
  const why = d.reason ? ` (${d.reason})` : "";
  return el("li", { "data-testid": "delivery" }, `${d.fan_name}: ${d.status}${why}`);
}

async function dryRun() {
  if (!selected) return;
  showError($("broadcast-error"), null);
  setText($("dry-run-count"), "Counting…");
  try {
    const run = await postJSON(`/v1/broadcasts/${selected.id}/dry-run`, undefined);
    const left = Object.entries(run.excluded).map(([why, n]) => `${n} ${why}`).join(", ");
    setText(
      $("dry-run-count"),
      `${run.would_queue} of ${run.recipients} fans would get it` +
        `${left ? `; left out: ${left}` : ""}; ${run.blocked} blocked, ${run.skipped} skipped`,
    );
    fill(
      $("dry-run-samples"),
      run.samples.map((s) =>
        el("li", { "data-testid": "dry-run-sample" }, `${s.fan_name}: ${s.text}${s.reason ? ` (${s.reason})` : ""}`),
      ),
    );
  } catch (error) {
    setText($("dry-run-count"), "");
    showError($("broadcast-error"), error);
  }
}

async function decide(decision) {
  if (!selected) return;
  showError($("broadcast-error"), null);
  const id = selected.id;
  try {
    const body = decision === "reject" ? { reason: "rejected from the page" } : undefined;
    await postJSON(`/v1/broadcasts/${id}/${decision}`, body);
    await loadBroadcasts();
    await openBroadcast(id);
  } catch (error) {
    showError($("broadcast-error"), error);
  }
}

async function createBroadcast(event) {
  event.preventDefault();
  showError($("broadcast-form-error"), null);
  const hours = $("broadcast-hours").value;
  const body = {
    name: $("broadcast-name").value.trim(),
    template_id: $("broadcast-template").value,
    segment_id: $("broadcast-segment").value,
    media_id: $("broadcast-media").value || null,
    price: $("broadcast-price").value || null,
    exclude_messaged_hours: hours ? Number(hours) : null,
  };
  try {
    const broadcast = await postJSON("/v1/broadcasts", body);
    $("broadcast-name").value = "";
    await loadBroadcasts();
    await openBroadcast(broadcast.id);
  } catch (error) {
    showError($("broadcast-form-error"), error);
  }
}

async function createTemplate(event) {
  event.preventDefault();
  showError($("template-form-error"), null);
  try {
    const body = { name: $("template-name").value.trim(), body: $("template-body").value };
    const template = await postJSON("/v1/templates", body);
    $("template-name").value = "";
    $("template-body").value = "";
    setText($("template-status"), `Saved "${template.name}".`);
    await loadBroadcasts();
    $("broadcast-template").value = template.id;
  } catch (error) {
    showError($("template-form-error"), error);
  }
}

export function initBroadcasts() {
  $("broadcast-form").addEventListener("submit", createBroadcast);
  $("template-form").addEventListener("submit", createTemplate);
  $("broadcast-dry-run").addEventListener("click", dryRun);
  $("broadcast-approve").addEventListener("click", () => decide("approve"));
  $("broadcast-reject").addEventListener("click", () => decide("reject"));
}
