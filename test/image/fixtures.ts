import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  GetDownloadUrlForLayerCommand,
  type ECRClient,
} from "@aws-sdk/client-ecr";
import type { AwsClientStub } from "aws-sdk-client-mock";
import { MEDIA_TYPES } from "../../shared/registry/media-types";
import { sha256, type LocalRegistry } from "../support/local-registry";

export const ACCOUNT = "111122223333";
export const REPO = "orders/api";

/** The `BatchGetImage` input for these digests: every image kind accepted as pushed, so ECR converts none. */
export const batchGetInput = (...digests: string[]) => ({
  registryId: ACCOUNT,
  repositoryName: REPO,
  imageIds: digests.map((imageDigest) => ({ imageDigest })),
  acceptedMediaTypes: [
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.docker.distribution.manifest.list.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
  ],
});
const enc = new TextEncoder();

/** A Docker/OCI image configuration (the JSON of a config blob), with the parts the checks read. */
export interface ConfigInput {
  os?: string;
  architecture?: string;
  variant?: string;
  user?: string;
  env?: string[];
  labels?: Record<string, string> | null;
  healthcheck?: string[];
  history?: string[];
}

export function imageConfig(input: ConfigInput = {}): Record<string, unknown> {
  return {
    architecture: input.architecture ?? "amd64",
    os: input.os ?? "linux",
    ...(input.variant ? { variant: input.variant } : {}),
    config: {
      ...(input.user !== undefined ? { User: input.user } : {}),
      Env: input.env ?? ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],
      Cmd: ["node", "index.js"],
      WorkingDir: "/app",
      Labels: input.labels ?? null,
      ...(input.healthcheck ? { Healthcheck: { Test: input.healthcheck, Interval: 30_000_000_000 } } : {}),
    },
    created: "2025-03-18T11:46:12.508Z",
    history: (input.history ?? []).map((createdBy) => ({
      created: "2025-03-18T11:46:12.508Z",
      created_by: createdBy,
      comment: "buildkit.dockerfile.v0",
      ...(/^(ENV|USER|EXPOSE|CMD|ENTRYPOINT|WORKDIR|LABEL|HEALTHCHECK|ARG) /.test(createdBy)
        ? { empty_layer: true }
        : {}),
    })),
    rootfs: { type: "layers", diff_ids: [`sha256:${"1".repeat(64)}`] },
  };
}

/** node:18-alpine's own history (as `docker history --no-trunc` shows it), trimmed. */
const NODE_18_ALPINE_HISTORY = [
  "/bin/sh -c #(nop) ADD file:5758b97d8301c84a204a6e516241275d785a7fb2ee1a5d2e2fd7d8fd1e9d3b19 in / ",
  '/bin/sh -c #(nop)  CMD ["/bin/sh"]',
  "ENV NODE_VERSION=18.20.4",
  `RUN /bin/sh -c addgroup -g 1000 node     && adduser -u 1000 -G node -s /bin/sh -D node     && apk add --no-cache         libstdc++     && apk add --no-cache --virtual .build-deps         curl     && ARCH= OPENSSL_ARCH='linux*' && alpineArch="$(apk --print-arch)"       && case "\${alpineArch##*-}" in         x86_64) ARCH='x64' CHECKSUM="${"9b1e".repeat(16)}" OPENSSL_ARCH=linux-x86_64;;         *) ;;       esac   && if [ -n "\${CHECKSUM}" ]; then     set -eu;     curl -fsSLO --compressed "https://unofficial-builds.nodejs.org/download/release/v$NODE_VERSION/node-v$NODE_VERSION-linux-$ARCH-musl.tar.xz";     echo "$CHECKSUM  node-v$NODE_VERSION-linux-$ARCH-musl.tar.xz" | sha256sum -c -       && tar -xJf "node-v$NODE_VERSION-linux-$ARCH-musl.tar.xz" -C /usr/local --strip-components=1 --no-same-owner       && ln -s /usr/local/bin/node /usr/local/bin/nodejs;   fi   && rm -f "node-v$NODE_VERSION-linux-$ARCH-musl.tar.xz"   && apk del .build-deps   && node --version   && npm --version # buildkit`,
  "ENV YARN_VERSION=1.22.19",
  `RUN /bin/sh -c apk add --no-cache --virtual .build-deps-yarn curl gnupg tar   && export GNUPGHOME="$(mktemp -d)"   && for key in     6A010C5166006599AA17F08146C2130DFD2497F5   ; do     gpg --batch --keyserver hkps://keys.openpgp.org --recv-keys "$key" ||     gpg --batch --keyserver keyserver.ubuntu.com --recv-keys "$key" ;   done   && curl -fsSLO --compressed "https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz"   && curl -fsSLO --compressed "https://yarnpkg.com/downloads/$YARN_VERSION/yarn-v$YARN_VERSION.tar.gz.asc"   && gpg --batch --verify yarn-v$YARN_VERSION.tar.gz.asc yarn-v$YARN_VERSION.tar.gz   && gpgconf --kill all   && rm -rf "$GNUPGHOME"   && mkdir -p /opt   && tar -xzf yarn-v$YARN_VERSION.tar.gz -C /opt/   && apk del .build-deps-yarn   && yarn --version # buildkit`,
  "COPY docker-entrypoint.sh /usr/local/bin/ # buildkit",
  'ENTRYPOINT ["docker-entrypoint.sh"]',
  'CMD ["node"]',
];

/** The seed's Dockerfile: FROM node:18-alpine, a `nodejs` user, `npm ci --only=production`, USER nodejs. */
export const SEED_HISTORY = [
  ...NODE_18_ALPINE_HISTORY,
  "RUN /bin/sh -c addgroup -g 1001 -S nodejs &&     adduser -S nodejs -u 1001 # buildkit",
  "WORKDIR /app",
  "COPY package*.json ./ # buildkit",
  "RUN /bin/sh -c npm ci --only=production &&     npm cache clean --force # buildkit",
  "COPY --chown=nodejs:nodejs . . # buildkit",
  "USER nodejs",
  "EXPOSE map[3000/tcp:{}]",
  'CMD ["node" "index.js"]',
];

export const NODE_ENV = [
  "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
  "NODE_VERSION=18.20.4",
  "YARN_VERSION=1.22.19",
];

export const seedConfig = (extra: ConfigInput = {}) =>
  imageConfig({ user: "nodejs", env: NODE_ENV, history: SEED_HISTORY, ...extra });

export const SEED_BASE = "docker.io/library/node:18-alpine";

/** A root image that bakes a database password into ENV (and so into its history). */
export const DB_PASSWORD_VALUE = "Tr0ub4dor&3-orders-prod";
export const rootWithPasswordConfig = () =>
  imageConfig({
    env: [...NODE_ENV, `DB_PASSWORD=${DB_PASSWORD_VALUE}`],
    history: [...NODE_18_ALPINE_HISTORY, `ENV DB_PASSWORD=${DB_PASSWORD_VALUE}`, 'CMD ["node" "server.js"]'],
  });

export interface ManifestOptions {
  mediaType?: "docker" | "oci";
  /** Layer sizes in bytes (compressed). */
  layers?: number[];
  annotations?: Record<string, string>;
  configMediaType?: string;
  layerMediaType?: string;
  artifactType?: string;
}

export interface StoredManifest {
  digest: string;
  text: string;
  mediaType: string;
  size: number;
  configDigest: string;
}

let layerSeed = 0;
const fakeLayerDigest = () => sha256(enc.encode(`layer-${layerSeed++}`));

/** Puts the config blob in the local registry and builds the manifest that points at it (not stored yet). */
export function imageManifest(
  registry: LocalRegistry,
  config: Record<string, unknown> | string,
  options: ManifestOptions = {},
): StoredManifest {
  const oci = options.mediaType === "oci";
  const blob = registry.put(config);
  const mediaType = oci ? MEDIA_TYPES.ociManifest : MEDIA_TYPES.dockerManifest;
  const layerType =
    options.layerMediaType ??
    (oci
      ? "application/vnd.oci.image.layer.v1.tar+gzip"
      : "application/vnd.docker.image.rootfs.diff.tar.gzip");
  const manifest = {
    schemaVersion: 2,
    mediaType,
    ...(options.artifactType ? { artifactType: options.artifactType } : {}),
    config: {
      mediaType: options.configMediaType ?? (oci ? MEDIA_TYPES.ociConfig : MEDIA_TYPES.dockerConfig),
      size: blob.size,
      digest: blob.digest,
    },
    layers: (options.layers ?? [3_408_729, 40_213_077, 2_021_404]).map((size) => ({
      mediaType: layerType,
      size,
      digest: fakeLayerDigest(),
    })),
    ...(options.annotations ? { annotations: options.annotations } : {}),
  };
  // Docker writes manifests with 3-space indentation; the digest is over these exact bytes.
  const text = JSON.stringify(manifest, null, 3);
  return {
    digest: sha256(enc.encode(text)),
    text,
    mediaType,
    size: enc.encode(text).byteLength,
    configDigest: blob.digest,
  };
}

export interface IndexEntry {
  manifest: StoredManifest;
  platform: { os: string; architecture: string; variant?: string };
  annotations?: Record<string, string>;
}

export function imageIndex(entries: IndexEntry[], mediaType: string = MEDIA_TYPES.ociIndex): StoredManifest {
  const index = {
    schemaVersion: 2,
    mediaType,
    manifests: entries.map((e) => ({
      mediaType: e.manifest.mediaType,
      digest: e.manifest.digest,
      size: e.manifest.size,
      platform: e.platform,
      ...(e.annotations ? { annotations: e.annotations } : {}),
    })),
  };
  const text = JSON.stringify(index, null, 2);
  return {
    digest: sha256(enc.encode(text)),
    text,
    mediaType,
    size: enc.encode(text).byteLength,
    configDigest: "",
  };
}

/** The attestation manifest BuildKit adds to an index (provenance/SBOM as in-toto layers). */
export function attestationFor(registry: LocalRegistry, subject: StoredManifest): IndexEntry {
  const manifest = imageManifest(
    registry,
    { architecture: "unknown", os: "unknown", config: {}, rootfs: { type: "layers", diff_ids: [] } },
    { mediaType: "oci", layers: [1_402], layerMediaType: "application/vnd.in-toto+json" },
  );
  return {
    manifest,
    platform: { os: "unknown", architecture: "unknown" },
    annotations: {
      "vnd.docker.reference.digest": subject.digest,
      "vnd.docker.reference.type": "attestation-manifest",
    },
  };
}

/**
 * A fake ECR over the local registry: `BatchGetImage` answers stored manifests (and `ImageNotFound`
 * failures for the rest), `GetDownloadUrlForLayer` answers local-registry URLs, `DescribeImages` tags.
 */
export class FakeEcr {
  readonly manifests = new Map<string, StoredManifest>();
  readonly tags = new Map<string, string[]>();
  constructor(readonly registry: LocalRegistry) {}

  store(manifest: StoredManifest, tags: string[] = []): StoredManifest {
    this.manifests.set(manifest.digest, manifest);
    if (tags.length) this.tags.set(manifest.digest, tags);
    return manifest;
  }

  install(ecr: AwsClientStub<ECRClient>): void {
    ecr
      .on(BatchGetImageCommand)
      .callsFake(
        (input: { imageIds?: { imageDigest?: string }[]; repositoryName?: string; registryId?: string }) => {
          const images = [];
          const failures = [];
          for (const id of input.imageIds ?? []) {
            const stored = id.imageDigest ? this.manifests.get(id.imageDigest) : undefined;
            if (stored)
              images.push({
                registryId: input.registryId,
                repositoryName: input.repositoryName,
                imageId: { imageDigest: stored.digest },
                imageManifest: stored.text,
                imageManifestMediaType: stored.mediaType,
              });
            else
              failures.push({
                imageId: { imageDigest: id.imageDigest },
                failureCode: "ImageNotFound",
                failureReason: "Requested image not found",
              });
          }
          return { images, failures };
        },
      );
    ecr.on(GetDownloadUrlForLayerCommand).callsFake((input: { layerDigest?: string }) => ({
      downloadUrl: this.registry.url(input.layerDigest ?? ""),
      layerDigest: input.layerDigest,
    }));
    ecr
      .on(DescribeImagesCommand)
      .callsFake(
        (input: { imageIds?: { imageDigest?: string }[]; repositoryName?: string; registryId?: string }) => {
          const digest = input.imageIds?.[0]?.imageDigest ?? "";
          if (!this.manifests.has(digest)) {
            const error = new Error("The image requested does not exist in the specified repository.");
            error.name = "ImageNotFoundException";
            throw error;
          }
          const tags = this.tags.get(digest);
          return {
            imageDetails: [
              {
                registryId: input.registryId,
                repositoryName: input.repositoryName,
                imageDigest: digest,
                ...(tags ? { imageTags: tags } : {}),
                imageManifestMediaType: this.manifests.get(digest)?.mediaType,
              },
            ],
          };
        },
      );
  }
}

/** ECR's push event for `digest` (the sample's shape), with the tag and media type given. */
export function pushEvent(
  load: (path: string) => Record<string, unknown> & { id: string; detail: Record<string, unknown> },
  digest: string,
  options: { tag?: string | null; mediaType?: string; repository?: string; id?: string } = {},
) {
  const event = load("image/ecr-image-action-push.json");
  event.detail["image-digest"] = digest;
  if (options.tag === null) delete event.detail["image-tag"];
  else if (options.tag) event.detail["image-tag"] = options.tag;
  if (options.mediaType) event.detail["manifest-media-type"] = options.mediaType;
  if (options.repository) event.detail["repository-name"] = options.repository;
  if (options.id) event.id = options.id;
  return event;
}
