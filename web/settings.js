// The creator's voice (the default persona, a form built from its schema) and which actions
// wait for approval. Owners and managers only.
import { getJSON, openapiSchemas, putJSON } from "./api.js";
import { $, el, fill, setText, showError } from "./dom.js";
import { buildFields, readFields } from "./forms.js";

export async function loadSettingsView() {
  await Promise.all([loadPersona(), loadPolicy()]);
}

async function personaSchema() {
  const schemas = await openapiSchemas();
  return { schema: schemas["Persona-Input"] || schemas.Persona, defs: schemas };
}

async function loadPersona() {
  showError($("persona-error"), null);
  setText($("persona-state"), "");
  try {
    const [current, { schema, defs }] = await Promise.all([getJSON("/v1/persona"), personaSchema()]);
    buildFields($("persona-fields"), schema, current.persona, defs);
    setText($("persona-state"), current.source === "builtin" ? "The built-in voice (not saved yet)." : "");
  } catch (error) {
    showError($("persona-error"), error);
  }
}

async function savePersona(event) {
  event.preventDefault();
  showError($("persona-error"), null);
  try {
    const saved = await putJSON("/v1/persona", readFields($("persona-fields")));
    setText($("persona-state"), `Saved. The draft prompt now says: ${saved.prompt_text}`);
  } catch (error) {
    showError($("persona-error"), error);
  }
}

async function loadPolicy() {
  showError($("policy-error"), null);
  try {
    const policy = await getJSON("/v1/policy");
    fill($("policy"), Object.entries(policy).map(([action, gated]) => policyItem(action, gated)));
  } catch (error) {
    showError($("policy-error"), error);
  }
}

function policyItem(action, gated) {
  const id = `policy-${action}`;
  const box = el("input", { id, type: "checkbox", checked: gated, "data-testid": "policy-action", dataset: { action } });
  box.addEventListener("change", async () => {
    showError($("policy-error"), null);
    try {
      await putJSON(`/v1/policy/${encodeURIComponent(action)}`, { requires_approval: box.checked });
    } catch (error) {
      box.checked = !box.checked;
      showError($("policy-error"), error);
    }
  });
  return el("li", {}, box, " ", el("label", { for: id }, action.replaceAll("_", " ")));
}

export function initSettings() {
  $("persona-form").addEventListener("submit", savePersona);
}
