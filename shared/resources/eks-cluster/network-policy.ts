/** How CloudTrail writes values it won't log (configuration values may hold credentials). */
export const HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS";

/** The `vpc-cni` add-on's `enableNetworkPolicy`, or why it can't be told (never the text itself). */
export type NetworkPolicySetting = { networkPolicy: boolean } | { unreadable: string };

const KEY = "enableNetworkPolicy";

/** The add-on schema's values are the strings "true"/"false"; a YAML or JSON boolean means the same. */
function fromValue(value: unknown): NetworkPolicySetting {
  if (value === true || value === "true") return { networkPolicy: true };
  if (value === false || value === "false") return { networkPolicy: false };
  return { unreadable: `${KEY} is set to something other than true or false` };
}

function parseJson(text: string): { value: unknown } | undefined {
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    return undefined;
  }
}

/** A YAML scalar as written: quotes and a trailing comment removed; `True`/`TRUE` are YAML booleans too. */
function yamlScalar(raw: string): unknown {
  const value = raw.replace(/\s+#.*$/, "").trim();
  const quoted = /^(["'])(.*)\1$/.exec(value);
  if (quoted) return quoted[2];
  if (/^(true|True|TRUE)$/.test(value)) return true;
  if (/^(false|False|FALSE)$/.test(value)) return false;
  return value;
}

/**
 * Block-style YAML, read only as far as the one top-level key: a mention Vigil can't place (nested,
 * flow style, several) makes the setting unreadable rather than guessed.
 */
function fromYaml(text: string): NetworkPolicySetting {
  if (!text.includes(KEY)) return { networkPolicy: false };
  const topLevel = [...text.matchAll(/^["']?enableNetworkPolicy["']?[ \t]*:(.*)$/gm)];
  const mentions = text.split(KEY).length - 1;
  if (topLevel.length !== 1 || mentions !== 1)
    return { unreadable: `${KEY} is not a single top-level key Vigil can read` };
  return fromValue(yamlScalar(topLevel[0]?.[1] ?? ""));
}

/**
 * Whether the `vpc-cni` add-on's configuration values (JSON or YAML text) turn network-policy
 * enforcement on. No values, or values without the key, mean the add-on's default: off.
 */
export function networkPolicyOf(configurationValues: string | null | undefined): NetworkPolicySetting {
  const text = (configurationValues ?? "").trim();
  if (!text) return { networkPolicy: false };
  if (text === HIDDEN) return { unreadable: "CloudTrail hid the add-on's configuration values" };
  const json = parseJson(text);
  if (!json) return fromYaml(text);
  const value = json.value;
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return { unreadable: "the configuration values are not a JSON object" };
  return KEY in value ? fromValue((value as Record<string, unknown>)[KEY]) : { networkPolicy: false };
}
