/** What the registry holds under one pushed digest, reduced to what image checks read. */

export interface HistoryEntry {
  /** The instruction that made the layer, e.g. `RUN /bin/sh -c npm ci # buildkit`; "" when absent. */
  createdBy: string;
  emptyLayer: boolean;
}

/** The parts of an image configuration (Docker or OCI, same keys) the checks read. */
export interface ImageConfig {
  os: string;
  architecture: string;
  variant?: string;
  /** `config.User` as written; "" when unset (the container then runs as root). */
  user: string;
  /** `config.Env`, `NAME=value` entries. */
  env: string[];
  labels: Record<string, string>;
  /** `config.Healthcheck.Test`; undefined when the image declares none. `["NONE"]` disables an inherited one. */
  healthcheck?: string[];
  history: HistoryEntry[];
}

export type BaseImageSource = "manifest annotation" | "index annotation" | "config label";

/** One runnable image: the pushed manifest itself, or one platform of a pushed index. */
export interface PlatformImage {
  /** `os/architecture[/variant]`, e.g. `linux/arm64/v8`. */
  platform: string;
  manifestDigest: string;
  manifestMediaType: string;
  /** Sum of the layer sizes in the manifest: what a pull downloads. */
  compressedSizeBytes: number;
  layerCount: number;
  /** The declared base (`org.opencontainers.image.base.name`), as written, and where it was found. */
  baseImage?: { name: string; source: BaseImageSource };
  config: ImageConfig;
}

/** An index entry that was not evaluated, and why (attestation, nested index, non-image artifact). */
export interface SkippedManifest {
  digest: string;
  reason: string;
  platform?: string;
}

export type RegistryImage =
  | {
      kind: "image";
      mediaType: string;
      platforms: PlatformImage[];
      skipped: SkippedManifest[];
    }
  /** Not a container image (Helm chart, signature, SBOM, attestation-only index): image checks don't apply. */
  | { kind: "artifact"; mediaType: string; reason: string; skipped: SkippedManifest[] }
  /** Gone from the registry (deleted since the push, or its repository was). */
  | { kind: "deleted" };
