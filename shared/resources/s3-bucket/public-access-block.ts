import type { PublicAccessBlockConfiguration } from "@aws-sdk/client-s3";
import { z } from "zod";
import { PUBLIC_ACCESS_BLOCK_FLAGS, type PublicAccessBlock } from "./state";

/** CloudTrail renders request XML as JSON, so booleans may arrive as JSON booleans or as text. */
const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);

/** `PutPublicAccessBlock` treats an element left out as false. */
const requestSchema = z.looseObject({
  BlockPublicAcls: flag.optional(),
  IgnorePublicAcls: flag.optional(),
  BlockPublicPolicy: flag.optional(),
  RestrictPublicBuckets: flag.optional(),
});

const configSchema = z.looseObject({
  blockPublicAcls: z.boolean().nullable().optional(),
  ignorePublicAcls: z.boolean().nullable().optional(),
  blockPublicPolicy: z.boolean().nullable().optional(),
  restrictPublicBuckets: z.boolean().nullable().optional(),
});

export const NO_PUBLIC_ACCESS_BLOCK: PublicAccessBlock = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};

/** The four settings a `PutBucketPublicAccessBlock` call set, or undefined when CloudTrail's copy can't be read. */
export function publicAccessBlockFromRequest(value: unknown): PublicAccessBlock | undefined {
  const parsed = requestSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const p = parsed.data;
  return {
    blockPublicAcls: p.BlockPublicAcls ?? false,
    ignorePublicAcls: p.IgnorePublicAcls ?? false,
    blockPublicPolicy: p.BlockPublicPolicy ?? false,
    restrictPublicBuckets: p.RestrictPublicBuckets ?? false,
  };
}

/** Config's `PublicAccessBlockConfiguration` (object, or JSON text in history); null = none; undefined = unreadable. */
export function publicAccessBlockFromConfig(value: unknown): PublicAccessBlock | null | undefined {
  if (value === null || value === "null") return null;
  let raw = value;
  if (typeof value === "string") {
    try {
      raw = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const p = parsed.data;
  return {
    blockPublicAcls: p.blockPublicAcls === true,
    ignorePublicAcls: p.ignorePublicAcls === true,
    blockPublicPolicy: p.blockPublicPolicy === true,
    restrictPublicBuckets: p.restrictPublicBuckets === true,
  };
}

export function publicAccessBlockFromApi(
  value: PublicAccessBlockConfiguration | undefined,
): PublicAccessBlock {
  return {
    blockPublicAcls: value?.BlockPublicAcls === true,
    ignorePublicAcls: value?.IgnorePublicAcls === true,
    blockPublicPolicy: value?.BlockPublicPolicy === true,
    restrictPublicBuckets: value?.RestrictPublicBuckets === true,
  };
}

export function publicAccessBlockToApi(value: PublicAccessBlock): PublicAccessBlockConfiguration {
  return {
    BlockPublicAcls: value.blockPublicAcls,
    IgnorePublicAcls: value.ignorePublicAcls,
    BlockPublicPolicy: value.blockPublicPolicy,
    RestrictPublicBuckets: value.restrictPublicBuckets,
  };
}

/** The settings that are off (all four when the bucket has no configuration). */
export function flagsOff(value: PublicAccessBlock | null): string[] {
  return PUBLIC_ACCESS_BLOCK_FLAGS.filter((f) => !(value ?? NO_PUBLIC_ACCESS_BLOCK)[f]);
}

/** Each setting on where either is on: never turns a setting off. */
export function strictest(a: PublicAccessBlock | null, b: PublicAccessBlock | null): PublicAccessBlock {
  const x = a ?? NO_PUBLIC_ACCESS_BLOCK;
  const y = b ?? NO_PUBLIC_ACCESS_BLOCK;
  return {
    blockPublicAcls: x.blockPublicAcls || y.blockPublicAcls,
    ignorePublicAcls: x.ignorePublicAcls || y.ignorePublicAcls,
    blockPublicPolicy: x.blockPublicPolicy || y.blockPublicPolicy,
    restrictPublicBuckets: x.restrictPublicBuckets || y.restrictPublicBuckets,
  };
}

export function samePublicAccessBlock(a: PublicAccessBlock | null, b: PublicAccessBlock | null): boolean {
  const x = a ?? NO_PUBLIC_ACCESS_BLOCK;
  const y = b ?? NO_PUBLIC_ACCESS_BLOCK;
  return PUBLIC_ACCESS_BLOCK_FLAGS.every((f) => x[f] === y[f]);
}

/** e.g. `BlockPublicAcls=true IgnorePublicAcls=true BlockPublicPolicy=false RestrictPublicBuckets=false`. */
export function describePublicAccessBlock(value: PublicAccessBlock | null): string {
  if (!value) return "no bucket-level Block Public Access configuration";
  return Object.entries(publicAccessBlockToApi(value))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(" ");
}
