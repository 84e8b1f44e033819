import { z } from "zod";
import { RegistryError } from "./errors";
import type { ImageConfig } from "./types";

/** Docker's and OCI's image configuration share these keys; anything else is ignored. */
const configSchema = z.looseObject({
  architecture: z.string().nullish(),
  os: z.string().nullish(),
  variant: z.string().nullish(),
  config: z
    .looseObject({
      User: z.string().nullish(),
      Env: z.array(z.string()).nullish(),
      Labels: z.record(z.string(), z.string()).nullish(),
      Healthcheck: z.looseObject({ Test: z.array(z.string()).nullish() }).nullish(),
    })
    .nullish(),
  history: z
    .array(z.looseObject({ created_by: z.string().nullish(), empty_layer: z.boolean().nullish() }))
    .nullish(),
});

/** Parses a config blob (already digest-verified); malformed content is a RegistryError, never a crash. */
export function parseImageConfig(bytes: Uint8Array, what: string): ImageConfig {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new RegistryError(`${what} is not valid JSON`, false);
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success)
    throw new RegistryError(`${what} is not an image configuration: ${z.prettifyError(parsed.error)}`, false);
  const { data } = parsed;
  const test = data.config?.Healthcheck?.Test;
  return {
    os: data.os ?? "",
    architecture: data.architecture ?? "",
    ...(data.variant ? { variant: data.variant } : {}),
    user: data.config?.User ?? "",
    env: data.config?.Env ?? [],
    labels: data.config?.Labels ?? {},
    ...(test && test.length ? { healthcheck: test } : {}),
    history: (data.history ?? []).map((h) => ({
      createdBy: h.created_by ?? "",
      emptyLayer: h.empty_layer === true,
    })),
  };
}
