import type { MetadataOptions } from "./state";

export type ImdsVerdict = "imdsv2-only" | "imds-off" | "imdsv1-allowed" | "unknown";

/**
 * EC2.8 passes only with `HttpTokens=required`; an instance whose metadata endpoint is disabled
 * serves no metadata at all, so IMDSv1 can't be used either. Anything less than that is unknown.
 */
export function imdsVerdict(options: MetadataOptions | undefined): ImdsVerdict {
  if (options?.httpEndpoint === "disabled") return "imds-off";
  if (options?.httpTokens === "required") return "imdsv2-only";
  if (options?.httpTokens === "optional" && options.httpEndpoint === "enabled") return "imdsv1-allowed";
  return "unknown";
}
