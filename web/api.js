// The HTTP API as the page uses it: the saved key and creator, JSON requests, the server-sent event stream
// of a draft (read with fetch: EventSource cannot POST), and the API's one error shape.

const KEY = "fanagent.apiKey";
const CREATOR = "fanagent.creatorId";

export function loadSettings() {
  return {
    key: localStorage.getItem(KEY) || "",
    creatorId: localStorage.getItem(CREATOR) || "",
  };
}

export function saveKey(key) {
  localStorage.setItem(KEY, key);
}

/** The creator the page acts for (sent as X-Creator-Id); null: the key's only one. */
export function saveCreator(creatorId) {
  if (creatorId) localStorage.setItem(CREATOR, creatorId);
  else localStorage.removeItem(CREATOR);
}

export function forgetSettings() {
  localStorage.removeItem(KEY);
  localStorage.removeItem(CREATOR);
}

/** A failed call: the API's {error: {code, message, details}, request_id}, or the network's. */
export class ApiError extends Error {
  constructor(status, code, message, details = [], requestId = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = Array.isArray(details) ? details : [];
    this.requestId = requestId;
  }
}

function headers(extra) {
  const { key, creatorId } = loadSettings();
  if (!key) throw new ApiError(0, "no_key", "Paste an API key first (top of the page).");
  const result = { Authorization: `Bearer ${key}`, ...extra };
  if (creatorId) result["X-Creator-Id"] = creatorId;
  return result;
}

async function errorOf(response) {
  const requestId = response.headers.get("x-request-id");
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  const error = body && typeof body === "object" ? body.error : null;
  if (error && typeof error === "object") {
    return new ApiError(
      response.status,
      String(error.code || "error"),
      String(error.message || response.statusText),
      error.details,
      body.request_id || requestId,
    );
  }
  return new ApiError(
    response.status,
    "http_" + response.status,
    `The server answered ${response.status} ${response.statusText}`.trim(),
    [],
    requestId,
  );
}

async function send(method, path, { body, accept = "application/json", signal } = {}) {
  const extra = { Accept: accept };
  if (body !== undefined) extra["Content-Type"] = "application/json";
  const init = { method, headers: headers(extra), signal, cache: "no-store" };
  if (body !== undefined) init.body = JSON.stringify(body);
  let response;
  try {
    response = await fetch(path, init);
  } catch (cause) {
    if (cause && cause.name === "AbortError") throw cause;
    throw new ApiError(0, "network", `Could not reach the server (${cause && cause.message}).`);
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

export async function getJSON(path, options) {
  return (await send("GET", path, options)).json();
}

export async function postJSON(path, body, options) {
  return (await send("POST", path, { ...options, body })).json();
}

export async function putJSON(path, body) {
  return (await send("PUT", path, { body })).json();
}

/** DELETE `path`; the API answers 204 with no body. */
export async function remove(path) {
  await send("DELETE", path);
}

/** The API's own OpenAPI document (no key needed), read once: the forms are built from it. */
let schemas = null;
export async function openapiSchemas() {
  if (!schemas) {
    const response = await fetch("/openapi.json", { cache: "no-store" });
    if (!response.ok) throw await errorOf(response);
    schemas = (await response.json()).components?.schemas || {};
  }
  return schemas;
}

/**
 * POSTs `body` to `path` asking for `text/event-stream` and calls `onEvent(name, data)` for each
 * event as it arrives. Resolves when the stream ends. A server that answers JSON instead (an
 * older one, or a proxy) is taken as the final `outcome` event.
 */
export async function postStream(path, body, onEvent, { signal } = {}) {
  const response = await send("POST", path, { body, accept: "text/event-stream", signal });
  const type = response.headers.get("content-type") || "";
  if (!type.startsWith("text/event-stream")) {
    onEvent("outcome", await response.json());
    return;
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (value) buffer += value.replace(/\r\n?/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) !== -1) {
      dispatch(buffer.slice(0, end), onEvent);
      buffer = buffer.slice(end + 2);
    }
    if (done) break;
  }
  if (buffer.trim()) dispatch(buffer, onEvent);
}

function dispatch(block, onEvent) {
  let name = "message";
  const data = [];
  for (const line of block.split("\n")) {
    if (!line || line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") name = value;
    else if (field === "data") data.push(value);
  }
  if (!data.length) return;
  let parsed;
  try {
    parsed = JSON.parse(data.join("\n"));
  } catch {
    parsed = { text: data.join("\n") };
  }
  onEvent(name, parsed);
}
