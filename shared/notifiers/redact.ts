/**
 * Error text from HTTP clients can carry the URL they were given ("Failed to parse URL from https://…"),
 * and for a Slack incoming webhook the URL path *is* the credential. Anything URL-shaped is cut
 * before an error leaves a notifier or reaches a log; the scheme and host stay, they are not secret.
 */
const URL_PATTERN = /\b([a-z][a-z0-9+.-]*:\/\/[^/\s?#"'<>]*)[^\s"'<>]*/gi;

export function redactUrls(text: string): string {
  return text.replace(
    URL_PATTERN,
    // Credentials in `user:pass@host` go too.
    (_match, origin: string) => `${origin.replace(/\/\/[^@/]*@/, "//[redacted]@")}/[redacted]`,
  );
}

/** A thrown value as one safe line: message only (stacks and causes may hold request details). */
export function errorMessage(error: unknown): string {
  const text =
    error instanceof Error
      ? `${error.name === "Error" ? "" : `${error.name}: `}${error.message}`
      : String(error);
  return redactUrls(text);
}
