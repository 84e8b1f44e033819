import { z } from "zod";
import { isDigest, verifyDigest } from "./digest";
import { RegistryError } from "./errors";
import { isImageManifestType, isIndexType, MEDIA_TYPES } from "./media-types";

const annotations = z.record(z.string(), z.string()).optional();

const descriptorSchema = z.looseObject({
  mediaType: z.string().min(1),
  digest: z.string().refine(isDigest, "a sha256 or sha512 digest"),
  size: z.number().int().nonnegative(),
  annotations,
  artifactType: z.string().optional(),
  platform: z
    .looseObject({ os: z.string(), architecture: z.string(), variant: z.string().optional() })
    .optional(),
});
export type Descriptor = z.infer<typeof descriptorSchema>;

const imageManifestSchema = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  config: descriptorSchema,
  layers: z.array(descriptorSchema),
  annotations,
});

const indexSchema = z.looseObject({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  manifests: z.array(descriptorSchema),
  annotations,
});

export type Manifest =
  | ({ kind: "image"; digest: string; mediaType: string } & z.infer<typeof imageManifestSchema>)
  | ({ kind: "index"; digest: string; mediaType: string } & z.infer<typeof indexSchema>);

/**
 * Parses a manifest as the registry returned it and checks it is the content its digest names.
 * `registryMediaType` is what ECR reports; the manifest's own `mediaType` (optional in OCI) must agree.
 */
export function parseManifest(text: string, digest: string, registryMediaType: string | undefined): Manifest {
  const what = `manifest ${digest}`;
  verifyDigest(new TextEncoder().encode(text), digest, what);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new RegistryError(`${what} is not valid JSON`, false);
  }
  const declared = (json as { mediaType?: unknown } | null)?.mediaType;
  if (declared !== undefined && registryMediaType && declared !== registryMediaType)
    throw new RegistryError(
      `${what} says it is ${String(declared)} but the registry says ${registryMediaType}`,
      false,
    );
  const hasManifests = typeof json === "object" && json !== null && "manifests" in json;
  const mediaType =
    registryMediaType ??
    (typeof declared === "string" ? declared : hasManifests ? MEDIA_TYPES.ociIndex : MEDIA_TYPES.ociManifest);
  if (isIndexType(mediaType)) {
    const parsed = indexSchema.safeParse(json);
    if (!parsed.success)
      throw new RegistryError(`${what} is a malformed index: ${z.prettifyError(parsed.error)}`, false);
    return { ...parsed.data, kind: "index", digest, mediaType };
  }
  if (isImageManifestType(mediaType)) {
    const parsed = imageManifestSchema.safeParse(json);
    if (!parsed.success)
      throw new RegistryError(`${what} is a malformed manifest: ${z.prettifyError(parsed.error)}`, false);
    return { ...parsed.data, kind: "image", digest, mediaType };
  }
  throw new RegistryError(`${what} has unsupported media type ${mediaType}`, false);
}
