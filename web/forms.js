// Forms built from a JSON schema (the API's own pydantic models): one labelled field per
// property, read back into an object of the schema's types. Used for an action's arguments in
// the approvals and for the creator's voice.
import { el } from "./dom.js";

/** The schema `ref` ("#/components/schemas/X" or "#/$defs/X") points at, else `schema`. */
function resolve(schema, defs) {
  const ref = schema && schema.$ref;
  if (!ref) return schema || {};
  const name = ref.split("/").pop();
  return (defs && defs[name]) || {};
}

/** The property's own type: the first non-null branch of an Optional (anyOf [X, null]). */
function shape(schema, defs) {
  const own = resolve(schema, defs);
  const branches = own.anyOf || own.oneOf;
  if (!branches) return { ...own, nullable: false };
  const concrete = branches.map((b) => resolve(b, defs)).filter((b) => b.type !== "null");
  return { ...(concrete[0] || {}), ...own, anyOf: undefined, nullable: concrete.length < branches.length };
}

function kindOf(prop) {
  if (prop.enum) return "enum";
  if (prop.const !== undefined) return "const";
  if (prop.type === "boolean") return "boolean";
  if (prop.type === "integer" || prop.type === "number") return "number";
  if (prop.type === "array" && resolve(prop.items).type === "string") return "list";
  if (prop.type === "array" || prop.type === "object") return "json";
  return (prop.maxLength || 0) > 200 ? "text" : "string";
}

function label(name) {
  return name.replaceAll("_", " ");
}

/**
 * Fills `fieldset` with a field per property of `schema`, showing `values`; `defs` resolves
 * $refs. Each field's element carries data-field (the property) and data-kind.
 */
export function buildFields(fieldset, schema, values, defs) {
  const root = resolve(schema, defs);
  const properties = root.properties || {};
  const fields = Object.entries(properties).map(([name, raw]) => {
    const prop = shape(raw, defs);
    const kind = kindOf(prop);
    const value = values && name in values ? values[name] : prop.default;
    const id = `field-${fieldset.id}-${name}`;
    const common = { id, name, "data-field": name, "data-kind": kind, "data-testid": `field-${name}` };
    let input;
    if (kind === "enum") {
      input = el(
        "select",
        common,
        prop.nullable ? el("option", { value: "" }, "—") : null,
        prop.enum.map((option) =>
          el("option", { value: String(option), selected: String(option) === String(value) }, option),
        ),
      );
    } else if (kind === "boolean") {
      input = el("input", { ...common, type: "checkbox", checked: Boolean(value) });
    } else if (kind === "number") {
      input = el("input", {
        ...common,
        type: "number",
        step: prop.type === "integer" ? "1" : "any",
        min: prop.minimum ?? prop.exclusiveMinimum,
        max: prop.maximum ?? prop.exclusiveMaximum,
        value: value === undefined || value === null ? "" : String(value),
      });
    } else if (kind === "list") {
      input = el("input", {
        ...common,
        type: "text",
        value: Array.isArray(value) ? value.join(", ") : "",
        placeholder: "comma-separated",
      });
    } else if (kind === "json") {
      input = el("textarea", { ...common, rows: 3, spellcheck: "false" });
      input.value = value === undefined ? "" : JSON.stringify(value);
    } else if (kind === "const") {
      input = el("input", { ...common, type: "text", value: String(prop.const), readonly: true });
    } else {
      const long = kind === "text" || (typeof value === "string" && value.length > 60);
      input = el(long ? "textarea" : "input", {
        ...common,
        type: long ? null : "text",
        rows: long ? 3 : null,
        maxlength: prop.maxLength,
      });
      input.value = value === undefined || value === null ? "" : String(value);
    }
    if (prop.nullable) input.dataset.nullable = "true";
    const hint = prop.description ? el("span", { class: "hint" }, prop.description) : null;
    return el("div", { class: `field field-${kind}` }, el("label", { for: id }, label(name)), input, hint);
  });
  fieldset.replaceChildren(...fields);
}

/** The fieldset's values as the schema's types; an empty optional field is null. */
export function readFields(fieldset) {
  const values = {};
  for (const input of fieldset.querySelectorAll("[data-field]")) {
    const name = input.dataset.field;
    const kind = input.dataset.kind;
    const nullable = input.dataset.nullable === "true";
    const text = input.value.trim();
    if (kind === "boolean") values[name] = input.checked;
    else if (!text && nullable) values[name] = null;
    else if (kind === "number") values[name] = text === "" ? null : Number(text);
    else if (kind === "list") values[name] = text ? text.split(",").map((t) => t.trim()).filter(Boolean) : [];
    else if (kind === "json") values[name] = text ? JSON.parse(text) : null;
    else values[name] = input.value;
  }
  return values;
}

/** Field-by-field equality of two argument objects (JSON-wise). */
export function sameValues(a, b) {
  const keys = new Set([...Object.keys(a || {}), ...Object.keys(b || {})]);
  for (const key of keys) {
    if (JSON.stringify(a?.[key] ?? null) !== JSON.stringify(b?.[key] ?? null)) return false;
  }
  return true;
}
