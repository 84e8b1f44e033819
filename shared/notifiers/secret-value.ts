import type { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { loadSecretsManager } from "../aws/sdk";

/** The secret exists (or not) but holds no usable value yet: an operator step, not a transient fault. */
export class SecretNotSetError extends Error {
  override readonly name = "SecretNotSetError";
}

export interface CachedSecretOptions {
  /**
   * Turns the stored string into the value callers get; throwing rejects the read (and clears the
   * cache). Errors must never quote the value.
   */
  parse?: (value: string, secretArn: string) => string;
  /** What `--secret-string` should be in the "how to set it" hint. */
  placeholder?: string;
}

function notSetError(secretArn: string, placeholder: string, what = "has no value yet"): SecretNotSetError {
  return new SecretNotSetError(
    `Secret ${secretArn} ${what}. Set it with: ` +
      `aws secretsmanager put-secret-value --secret-id ${secretArn} --secret-string ${placeholder}`,
  );
}

async function readSecret(
  client: SecretsManagerClient,
  secretArn: string,
  placeholder: string,
): Promise<string> {
  let value: string | undefined;
  const { GetSecretValueCommand } = await loadSecretsManager();
  try {
    ({ SecretString: value } = await client.send(new GetSecretValueCommand({ SecretId: secretArn })));
  } catch (error) {
    // A secret created without a value (as the stack does, so the URL never sits in a template)
    // answers "can't find the specified secret value for staging label: AWSCURRENT".
    if (
      error instanceof Error &&
      error.name === "ResourceNotFoundException" &&
      /secret value/i.test(error.message)
    ) {
      throw notSetError(secretArn, placeholder);
    }
    throw error;
  }
  if (value === undefined || value.trim() === "") {
    throw notSetError(
      secretArn,
      placeholder,
      value === undefined ? "has no string value yet" : "has an empty value",
    );
  }
  return value;
}

/**
 * Reads a secret once per container (per returned function: create it at module scope) and hands
 * out the cached promise, so concurrent first calls make one request. A failed read is forgotten,
 * so the next call retries, e.g. after an operator has set the value.
 */
export function cachedSecret(
  client: SecretsManagerClient,
  secretArn: string,
  options: CachedSecretOptions = {},
): () => Promise<string> {
  const placeholder = options.placeholder ?? "<value>";
  let cached: Promise<string> | undefined;
  return () => {
    if (!cached) {
      const attempt = readSecret(client, secretArn, placeholder).then((value) =>
        options.parse ? options.parse(value, secretArn) : value,
      );
      cached = attempt;
      // Only the attempt that failed is forgotten; callers still see its rejection.
      attempt.catch(() => {
        if (cached === attempt) cached = undefined;
      });
    }
    return cached;
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * A secret's value as stored either plainly or as JSON `{"<field>": "..."}` (how the console's
 * key/value editor saves it). Errors name the secret, never its content: JSON.parse's message
 * quotes the input, so it is not passed on.
 */
function plainOrJsonField(value: string, secretArn: string, field: string): string {
  const text = value.trim();
  if (!text.startsWith("{")) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`Secret ${secretArn} looks like JSON but does not parse`);
  }
  const found = isRecord(parsed) ? parsed[field] : undefined;
  if (typeof found !== "string" || !found.trim()) {
    throw new Error(`Secret ${secretArn} is JSON without a "${field}" string`);
  }
  return found.trim();
}

/**
 * A Slack incoming-webhook URL from a secret's value: either the URL itself or JSON
 * `{"webhookUrl": "https://…"}`. Errors name the secret, never its content (the URL is the credential).
 */
export function parseSlackWebhook(value: string, secretArn = "(Slack webhook secret)"): string {
  const candidate = plainOrJsonField(value, secretArn, "webhookUrl");
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    // URL's TypeError carries the input; it must not reach logs.
    throw new Error(
      `Secret ${secretArn} is not a URL: expected a Slack incoming-webhook URL ` +
        `(https://hooks.slack.com/services/...) or JSON {"webhookUrl": "https://..."}`,
    );
  }
  if (url.protocol !== "https:") {
    throw new Error(`Secret ${secretArn} must hold an https URL (the webhook URL is a credential)`);
  }
  return candidate;
}

/** `cachedSecret` for the Slack webhook URL, validated on read (a bad value is not cached either). */
export function slackWebhookFromSecret(
  client: SecretsManagerClient,
  secretArn: string,
): () => Promise<string> {
  return cachedSecret(client, secretArn, { parse: parseSlackWebhook, placeholder: "<url>" });
}

/**
 * A Slack bot token from a secret's value: the token itself (`xoxb-…`) or JSON `{"botToken": "xoxb-…"}`.
 * Errors name the secret, never its content.
 */
export function parseSlackBotToken(value: string, secretArn = "(Slack bot token secret)"): string {
  const candidate = plainOrJsonField(value, secretArn, "botToken");
  if (!/^xox[bp]-[A-Za-z0-9-]{8,}$/.test(candidate)) {
    throw new Error(
      `Secret ${secretArn} is not a Slack bot token: expected "xoxb-..." or JSON {"botToken": "xoxb-..."} ` +
        `(${candidate.length} characters)`,
    );
  }
  return candidate;
}

/** `cachedSecret` for the Slack bot token, validated on read. */
export function slackBotTokenFromSecret(
  client: SecretsManagerClient,
  secretArn: string,
): () => Promise<string> {
  return cachedSecret(client, secretArn, { parse: parseSlackBotToken, placeholder: "xoxb-..." });
}
