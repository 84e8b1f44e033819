/**
 * Media types of what a registry stores. Images come as a single manifest (Docker v2 or OCI) or as
 * an index (Docker manifest list or OCI index) of per-platform manifests.
 */
export const MEDIA_TYPES = {
  dockerManifest: "application/vnd.docker.distribution.manifest.v2+json",
  dockerManifestList: "application/vnd.docker.distribution.manifest.list.v2+json",
  ociManifest: "application/vnd.oci.image.manifest.v1+json",
  ociIndex: "application/vnd.oci.image.index.v1+json",
  dockerConfig: "application/vnd.docker.container.image.v1+json",
  ociConfig: "application/vnd.oci.image.config.v1+json",
} as const;

/** What `BatchGetImage` is told to accept, so ECR returns every image kind as pushed, never converted. */
export const ACCEPTED_MANIFEST_TYPES = [
  MEDIA_TYPES.dockerManifest,
  MEDIA_TYPES.dockerManifestList,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.ociIndex,
];

export function isIndexType(mediaType: string | undefined): boolean {
  return mediaType === MEDIA_TYPES.dockerManifestList || mediaType === MEDIA_TYPES.ociIndex;
}

export function isImageManifestType(mediaType: string | undefined): boolean {
  return mediaType === MEDIA_TYPES.dockerManifest || mediaType === MEDIA_TYPES.ociManifest;
}

/** Config blobs of runnable container images; anything else (Helm, cosign, SBOM, empty) is an artifact. */
export function isImageConfigType(mediaType: string): boolean {
  return mediaType === MEDIA_TYPES.dockerConfig || mediaType === MEDIA_TYPES.ociConfig;
}

/** Filesystem layers (tar, optionally gzip/zstd, including Windows "foreign" and non-distributable ones). */
const FILESYSTEM_LAYER =
  /^application\/vnd\.(docker\.image\.rootfs\.(foreign\.)?diff\.tar(\.gzip)?|oci\.image\.layer\.(nondistributable\.)?v1\.tar(\+(gzip|zstd))?)$/;

export function isFilesystemLayerType(mediaType: string): boolean {
  return FILESYSTEM_LAYER.test(mediaType);
}
