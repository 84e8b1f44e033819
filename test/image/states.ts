import { parseConfig } from "../../shared/config/load";
import type { VigilConfigInput } from "../../shared/config/schema";
import type { CheckContext } from "../../shared/checks/define";
import type { ImageConfig, PlatformImage } from "../../shared/registry/types";
import type { EcrImageState } from "../../shared/resources/ecr-image/state";
import { NODE_ENV, SEED_BASE, SEED_HISTORY } from "./fixtures";

/** States as the adapter builds them after a refresh, for pure evaluate() tests. */
export function config(overrides: Partial<ImageConfig> = {}): ImageConfig {
  return {
    os: "linux",
    architecture: "amd64",
    user: "nodejs",
    env: NODE_ENV,
    labels: {},
    history: SEED_HISTORY.map((createdBy) => ({ createdBy, emptyLayer: false })),
    healthcheck: ["CMD-SHELL", "wget -qO- http://127.0.0.1:3000/health || exit 1"],
    ...overrides,
  };
}

export function platform(
  overrides: Partial<PlatformImage> = {},
  configOverrides: Partial<ImageConfig> = {},
): PlatformImage {
  return {
    platform: "linux/amd64",
    manifestDigest: `sha256:${"a1".repeat(32)}`,
    manifestMediaType: "application/vnd.docker.distribution.manifest.v2+json",
    compressedSizeBytes: 45_643_210,
    layerCount: 7,
    baseImage: { name: SEED_BASE, source: "manifest annotation" },
    config: config(configOverrides),
    ...overrides,
  };
}

export function state(
  platforms: PlatformImage[] = [platform()],
  overrides: Partial<EcrImageState> = {},
): EcrImageState {
  return {
    registryId: "111122223333",
    repositoryName: "orders/api",
    imageDigest: `sha256:${"d4".repeat(32)}`,
    pushedTag: "2025.03.18-1",
    imageTags: ["2025.03.18-1"],
    manifestMediaType: "application/vnd.docker.distribution.manifest.v2+json",
    platforms,
    skipped: [],
    ...overrides,
  };
}

/** Not applicable: a Helm chart pushed to the repository. */
export const helmChart = () =>
  state([], {
    manifestMediaType: "application/vnd.oci.image.manifest.v1+json",
    notApplicable: "not a container image: its config is application/vnd.cncf.helm.config.v1+json",
  });

export const context = (input: VigilConfigInput = {}): CheckContext => ({ config: parseConfig(input) });
