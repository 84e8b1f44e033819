/**
 * Image references normalised the way Docker resolves them, so approved-base patterns match one
 * spelling: `node:18-alpine` is `docker.io/library/node:18-alpine`, `bitnami/redis` is
 * `docker.io/bitnami/redis:latest`, `index.docker.io/…` is `docker.io/…`.
 */
const DOCKER_HUB_ALIASES = new Set([
  "docker.io",
  "index.docker.io",
  "registry-1.docker.io",
  "registry.hub.docker.com",
]);
const REPOSITORY = /^[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[a-z0-9]+([+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$/;

/** A parsed reference: `registry/path`, and the tag and digest as written (either may be absent). */
export interface ImageReference {
  /** `docker.io/library/node`, `gcr.io/distroless/static`; `scratch` for the empty base. */
  repository: string;
  tag?: string;
  digest?: string;
}

/** The reference's parts, or undefined when `reference` is not a valid image reference. */
export function parseImageReference(reference: string): ImageReference | undefined {
  const ref = reference.trim();
  if (ref === "scratch") return { repository: "scratch" };
  if (ref.length > 512) return undefined;
  const [namePart = "", digest, ...extra] = ref.split("@");
  if (extra.length || (digest !== undefined && !DIGEST.test(digest))) return undefined;
  const slash = namePart.lastIndexOf("/");
  const colon = namePart.lastIndexOf(":");
  const tag = colon > slash ? namePart.slice(colon + 1) : undefined;
  const name = colon > slash ? namePart.slice(0, colon) : namePart;
  if (tag !== undefined && !TAG.test(tag)) return undefined;
  const parts = name.split("/");
  const first = parts[0] ?? "";
  const hasRegistry =
    parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
  let registry = hasRegistry ? first.toLowerCase() : "docker.io";
  let path = (hasRegistry ? parts.slice(1) : parts).join("/");
  if (DOCKER_HUB_ALIASES.has(registry)) registry = "docker.io";
  if (!REPOSITORY.test(path)) return undefined;
  if (registry === "docker.io" && !path.includes("/")) path = `library/${path}`;
  return {
    repository: `${registry}/${path}`,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** `repository[:tag][@digest]`; a reference with neither tag nor digest means `:latest`, as Docker pulls it. */
export function formatImageReference(ref: ImageReference): string {
  if (ref.repository === "scratch") return "scratch";
  const tag = ref.tag ?? (ref.digest === undefined ? "latest" : undefined);
  return `${ref.repository}${tag !== undefined ? `:${tag}` : ""}${ref.digest !== undefined ? `@${ref.digest}` : ""}`;
}

/** The normalised reference, or undefined when `reference` is not a valid image reference. */
export function normaliseImageReference(reference: string): string | undefined {
  const ref = parseImageReference(reference);
  return ref && formatImageReference(ref);
}

/** `*` matches any run of characters (slashes included); everything else is literal; the whole name must match. */
export function matchesPattern(name: string, pattern: string): boolean {
  const source = pattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${source}$`).test(name);
}

/**
 * Whether the pattern accepts `repository` under any tag at all (`alpine:*`, `gcr.io/distroless/*`).
 * The tag tried is a character no pattern spells, so only a `*` can match it, and a `*` matches any tag.
 */
export function acceptsEveryTag(repository: string, pattern: string): boolean {
  return matchesPattern(`${repository}:\u0000`, pattern);
}

/**
 * Whether some `prefix…` could match the pattern: the pattern's literal text up to its first `*`
 * must agree with the prefix as far as both go (after a `*` anything can follow).
 */
export function couldMatchWithPrefix(prefix: string, pattern: string): boolean {
  const literal = pattern.split("*")[0] ?? "";
  return pattern.includes("*")
    ? prefix.startsWith(literal) || literal.startsWith(prefix)
    : literal.startsWith(prefix);
}
