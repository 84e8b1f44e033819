import type { ECRClient } from "@aws-sdk/client-ecr";
import { loadEcr } from "../aws/sdk";
import { RegistryError } from "./errors";
import { DEFAULT_BLOB_LIMITS, fetchBlob, type BlobLimits } from "./fetch-blob";
import { parseImageConfig } from "./image-config";
import { parseManifest, type Descriptor, type Manifest } from "./manifest";
import {
  ACCEPTED_MANIFEST_TYPES,
  isFilesystemLayerType,
  isImageConfigType,
  isImageManifestType,
  isIndexType,
} from "./media-types";
import type { BaseImageSource, PlatformImage, RegistryImage, SkippedManifest } from "./types";

/** Where an image lives in ECR: registry (account), repository, manifest digest. */
export interface ImageLocation {
  registryId: string;
  repositoryName: string;
  digest: string;
}

type ImageManifest = Extract<Manifest, { kind: "image" }>;
type IndexManifest = Extract<Manifest, { kind: "index" }>;

const BASE_NAME = "org.opencontainers.image.base.name";
/** ECR's per-image failure codes a retry may get past. */
const TRANSIENT_FAILURES = new Set(["KmsError", "UpstreamTooManyRequests", "UpstreamUnavailable"]);

/** The repository or image is gone: the resource was deleted, not misread. */
export function isGone(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === "ImageNotFoundException" || name === "RepositoryNotFoundException";
}

interface Fetched {
  manifests: Map<string, { text: string; mediaType?: string }>;
  failures: Map<string, { code: string; reason: string }>;
}

/** One `BatchGetImage` for several digests of the repository, every image kind accepted as pushed. */
async function batchGetManifests(ecr: ECRClient, at: ImageLocation, digests: string[]): Promise<Fetched> {
  const { BatchGetImageCommand } = await loadEcr();
  const out = await ecr.send(
    new BatchGetImageCommand({
      registryId: at.registryId,
      repositoryName: at.repositoryName,
      imageIds: digests.map((imageDigest) => ({ imageDigest })),
      acceptedMediaTypes: [...ACCEPTED_MANIFEST_TYPES],
    }),
  );
  const fetched: Fetched = { manifests: new Map(), failures: new Map() };
  for (const image of out.images ?? []) {
    const digest = image.imageId?.imageDigest;
    if (digest && image.imageManifest !== undefined)
      fetched.manifests.set(digest, { text: image.imageManifest, mediaType: image.imageManifestMediaType });
  }
  for (const failure of out.failures ?? []) {
    const digest = failure.imageId?.imageDigest;
    if (digest)
      fetched.failures.set(digest, {
        code: failure.failureCode ?? "Unknown",
        reason: failure.failureReason ?? "",
      });
  }
  return fetched;
}

function manifestFrom(fetched: Fetched, digest: string, what: string): Manifest {
  const found = fetched.manifests.get(digest);
  if (found) return parseManifest(found.text, digest, found.mediaType);
  const failure = fetched.failures.get(digest);
  if (failure)
    throw new RegistryError(
      `${what}: BatchGetImage failed with ${failure.code}${failure.reason ? ` (${failure.reason})` : ""}`,
      TRANSIENT_FAILURES.has(failure.code),
    );
  throw new RegistryError(`${what}: BatchGetImage returned no manifest for ${digest}`, false);
}

function platformName(p: { os: string; architecture: string; variant?: string | null }): string {
  return [p.os || "unknown", p.architecture || "unknown", p.variant].filter(Boolean).join("/");
}

/** Why a manifest is not a runnable container image, or undefined when it is one. */
function notAnImage(manifest: ImageManifest): string | undefined {
  if (manifest.artifactType) return `an OCI artifact of type ${manifest.artifactType}`;
  if (!isImageConfigType(manifest.config.mediaType))
    return `its config is ${manifest.config.mediaType}, not a container image configuration`;
  if (!manifest.layers.length) return "it has no filesystem layers";
  const other = manifest.layers.find((layer) => !isFilesystemLayerType(layer.mediaType));
  if (other) return `it has a ${other.mediaType} layer, not a filesystem layer`;
  return undefined;
}

/** An index entry left out of the evaluation, and why. */
function skippedEntry(entry: Descriptor, reason: string): SkippedManifest {
  return {
    digest: entry.digest,
    reason,
    ...(entry.platform ? { platform: platformName(entry.platform) } : {}),
  };
}

function isAttestation(entry: Descriptor): boolean {
  return (
    entry.annotations?.["vnd.docker.reference.type"] === "attestation-manifest" ||
    (entry.platform?.os === "unknown" && entry.platform.architecture === "unknown")
  );
}

async function readConfig(ecr: ECRClient, at: ImageLocation, manifest: ImageManifest, limits: BlobLimits) {
  const { digest, size } = manifest.config;
  const what = `config blob ${digest} of manifest ${manifest.digest}`;
  // The descriptor states the size: no need to start a download that can only fail.
  if (size > limits.maxBytes)
    throw new RegistryError(`${what}: ${size} bytes, over the ${limits.maxBytes}-byte limit`, false);
  const { GetDownloadUrlForLayerCommand } = await loadEcr();
  let url: string | undefined;
  try {
    const out = await ecr.send(
      new GetDownloadUrlForLayerCommand({
        registryId: at.registryId,
        repositoryName: at.repositoryName,
        layerDigest: digest,
      }),
    );
    url = out.downloadUrl;
  } catch (error) {
    const name = (error as { name?: string }).name ?? "";
    if (name === "LayersNotFoundException" || name === "LayerInaccessibleException")
      throw new RegistryError(`${what}: the registry does not have it (${name})`, false);
    throw error;
  }
  if (!url) throw new RegistryError(`${what}: GetDownloadUrlForLayer returned no URL`, false);
  return parseImageConfig(await fetchBlob(url, digest, what, limits), what);
}

function baseImageOf(
  manifest: ImageManifest,
  labels: Record<string, string>,
  entry: Descriptor | undefined,
  index: IndexManifest | undefined,
): PlatformImage["baseImage"] {
  const candidates: [string | undefined, BaseImageSource][] = [
    [manifest.annotations?.[BASE_NAME], "manifest annotation"],
    [entry?.annotations?.[BASE_NAME], "index annotation"],
    [index?.annotations?.[BASE_NAME], "index annotation"],
    [labels[BASE_NAME], "config label"],
  ];
  const found = candidates.find(([name]) => name !== undefined && name.trim() !== "");
  return found ? { name: (found[0] ?? "").trim(), source: found[1] } : undefined;
}

async function readPlatform(
  ecr: ECRClient,
  at: ImageLocation,
  manifest: ImageManifest,
  limits: BlobLimits,
  entry?: Descriptor,
  index?: IndexManifest,
): Promise<PlatformImage | { notAnImage: string }> {
  const reason = notAnImage(manifest);
  if (reason) return { notAnImage: reason };
  const config = await readConfig(ecr, at, manifest, limits);
  const baseImage = baseImageOf(manifest, config.labels, entry, index);
  return {
    platform: platformName(entry?.platform ?? config),
    manifestDigest: manifest.digest,
    manifestMediaType: manifest.mediaType,
    compressedSizeBytes: manifest.layers.reduce((sum, layer) => sum + layer.size, 0),
    layerCount: manifest.layers.length,
    ...(baseImage ? { baseImage } : {}),
    config,
  };
}

/** Each platform's manifest of an index (one BatchGetImage), then each platform's config. */
async function readIndex(
  ecr: ECRClient,
  at: ImageLocation,
  index: IndexManifest,
  limits: BlobLimits,
): Promise<RegistryImage> {
  const skipped: SkippedManifest[] = [];
  const wanted: Descriptor[] = [];
  for (const entry of index.manifests) {
    if (isAttestation(entry)) skipped.push(skippedEntry(entry, "attestation manifest"));
    else if (isIndexType(entry.mediaType)) skipped.push(skippedEntry(entry, "nested index, not followed"));
    else if (!isImageManifestType(entry.mediaType))
      skipped.push(skippedEntry(entry, `entry of type ${entry.mediaType}`));
    else wanted.push(entry);
  }
  const artifact = (reason: string): RegistryImage => ({
    kind: "artifact",
    mediaType: index.mediaType,
    reason,
    skipped,
  });
  if (!wanted.length) return artifact("the index lists no image manifest");

  const children = await batchGetManifests(ecr, at, [...new Set(wanted.map((e) => e.digest))]);
  const read = await Promise.all(
    wanted.map(async (entry) => {
      const child = manifestFrom(
        children,
        entry.digest,
        `manifest ${entry.digest} listed in index ${index.digest}`,
      );
      if (child.kind !== "image") return { entry, result: { notAnImage: "nested index, not followed" } };
      return { entry, result: await readPlatform(ecr, at, child, limits, entry, index) };
    }),
  );
  const platforms: PlatformImage[] = [];
  for (const { entry, result } of read) {
    if ("notAnImage" in result) skipped.push(skippedEntry(entry, result.notAnImage));
    else platforms.push(result);
  }
  if (!platforms.length) return artifact("no entry of the index is a container image");
  return { kind: "image", mediaType: index.mediaType, platforms, skipped };
}

/**
 * Reads what ECR holds under a digest: the manifest (`BatchGetImage`), for an index each platform's
 * manifest, and each image's config blob (`GetDownloadUrlForLayer`, then a capped, digest-verified
 * GET). A deleted image or repository is `{ kind: "deleted" }`; unreadable or malformed content is
 * a RegistryError; other AWS errors propagate as they are.
 */
export async function readRegistryImage(
  ecr: ECRClient,
  at: ImageLocation,
  limits: BlobLimits = DEFAULT_BLOB_LIMITS,
): Promise<RegistryImage> {
  let top: Fetched;
  try {
    top = await batchGetManifests(ecr, at, [at.digest]);
  } catch (error) {
    if (isGone(error)) return { kind: "deleted" };
    throw error;
  }
  if (top.failures.get(at.digest)?.code === "ImageNotFound") return { kind: "deleted" };
  const manifest = manifestFrom(top, at.digest, `image ${at.repositoryName}@${at.digest}`);
  if (manifest.kind === "index") return readIndex(ecr, at, manifest, limits);
  const result = await readPlatform(ecr, at, manifest, limits);
  if ("notAnImage" in result)
    return { kind: "artifact", mediaType: manifest.mediaType, reason: result.notAnImage, skipped: [] };
  return { kind: "image", mediaType: manifest.mediaType, platforms: [result], skipped: [] };
}
