import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  ECRClient,
  GetDownloadUrlForLayerCommand,
} from "@aws-sdk/client-ecr";
import { mockClient, type AwsClientStub } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { RegistryError } from "../../shared/registry/errors";
import { MEDIA_TYPES } from "../../shared/registry/media-types";
import { readRegistryImage, type ImageLocation } from "../../shared/registry/read-image";
import { FAKE_SIGNATURE, sha256, startLocalRegistry, type LocalRegistry } from "../support/local-registry";
import {
  ACCOUNT,
  attestationFor,
  FakeEcr,
  imageConfig,
  imageIndex,
  imageManifest,
  REPO,
  seedConfig,
  SEED_BASE,
  batchGetInput,
} from "./fixtures";

let registry: LocalRegistry;
let ecrClient: ECRClient;
let ecr: AwsClientStub<ECRClient>;
let fake: FakeEcr;
beforeAll(async () => {
  registry = await startLocalRegistry();
});
afterAll(() => registry.close());
beforeEach(() => {
  ecrClient = new ECRClient({ region: "us-east-1" });
  ecr = mockClient(ecrClient);
  fake = new FakeEcr(registry);
  fake.install(ecr);
});
afterEach(() => ecr.restore());

const at = (digest: string): ImageLocation => ({ registryId: ACCOUNT, repositoryName: REPO, digest });
const inputs = <T>(command: abstract new (...args: never[]) => T) =>
  ecr.commandCalls(command as never).map((c) => (c.args[0] as { input: unknown }).input);

async function readError(digest: string): Promise<RegistryError> {
  const error = await readRegistryImage(ecrClient, at(digest)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RegistryError);
  return error as RegistryError;
}

describe("reading a pushed image from ECR", () => {
  it("Docker v2 manifest: one BatchGetImage with every accepted type, one config download, verified and parsed", async () => {
    const m = fake.store(
      imageManifest(registry, seedConfig(), {
        annotations: { "org.opencontainers.image.base.name": SEED_BASE },
      }),
    );
    const image = await readRegistryImage(ecrClient, at(m.digest));

    expect(inputs(BatchGetImageCommand)).toEqual([batchGetInput(m.digest)]);
    expect(inputs(GetDownloadUrlForLayerCommand)).toEqual([
      { registryId: ACCOUNT, repositoryName: REPO, layerDigest: m.configDigest },
    ]);
    expect(inputs(DescribeImagesCommand)).toEqual([]);
    expect(image).toMatchObject({
      kind: "image",
      mediaType: MEDIA_TYPES.dockerManifest,
      skipped: [],
      platforms: [
        {
          platform: "linux/amd64",
          manifestDigest: m.digest,
          manifestMediaType: MEDIA_TYPES.dockerManifest,
          compressedSizeBytes: 3_408_729 + 40_213_077 + 2_021_404,
          layerCount: 3,
          baseImage: { name: SEED_BASE, source: "manifest annotation" },
          config: { os: "linux", architecture: "amd64", user: "nodejs" },
        },
      ],
    });
    expect(registry.requests.at(-1)).toMatchObject({ digest: m.configDigest, status: 200 });
  });

  it("OCI manifest: same reading; the base may come from the config's label", async () => {
    const config = imageConfig({
      user: "app",
      labels: { "org.opencontainers.image.base.name": "gcr.io/distroless/nodejs18-debian12:nonroot" },
    });
    const m = fake.store(imageManifest(registry, config, { mediaType: "oci" }));
    const image = await readRegistryImage(ecrClient, at(m.digest));
    expect(image).toMatchObject({
      kind: "image",
      mediaType: MEDIA_TYPES.ociManifest,
      platforms: [
        {
          platform: "linux/amd64",
          manifestMediaType: MEDIA_TYPES.ociManifest,
          baseImage: { name: "gcr.io/distroless/nodejs18-debian12:nonroot", source: "config label" },
          config: { user: "app" },
        },
      ],
    });
  });

  it("OCI index with two platforms and attestation manifests: each platform's manifest and config, attestations skipped", async () => {
    const amd = fake.store(imageManifest(registry, seedConfig(), { mediaType: "oci" }));
    const arm = fake.store(
      imageManifest(registry, seedConfig({ architecture: "arm64", variant: "v8", user: "" }), {
        mediaType: "oci",
        layers: [3_300_000, 39_000_000],
      }),
    );
    const attAmd = attestationFor(registry, amd);
    const attArm = attestationFor(registry, arm);
    fake.store(attAmd.manifest);
    fake.store(attArm.manifest);
    const index = fake.store(
      imageIndex([
        { manifest: amd, platform: { os: "linux", architecture: "amd64" } },
        { manifest: arm, platform: { os: "linux", architecture: "arm64", variant: "v8" } },
        attAmd,
        attArm,
      ]),
    );

    const image = await readRegistryImage(ecrClient, at(index.digest));

    expect(inputs(BatchGetImageCommand)).toEqual([
      batchGetInput(index.digest),
      batchGetInput(amd.digest, arm.digest),
    ]);
    expect(inputs(GetDownloadUrlForLayerCommand)).toEqual(
      expect.arrayContaining([
        { registryId: ACCOUNT, repositoryName: REPO, layerDigest: amd.configDigest },
        { registryId: ACCOUNT, repositoryName: REPO, layerDigest: arm.configDigest },
      ]),
    );
    expect(inputs(GetDownloadUrlForLayerCommand)).toHaveLength(2);
    expect(image).toMatchObject({
      kind: "image",
      mediaType: MEDIA_TYPES.ociIndex,
      platforms: [
        { platform: "linux/amd64", manifestDigest: amd.digest, config: { user: "nodejs" } },
        {
          platform: "linux/arm64/v8",
          manifestDigest: arm.digest,
          compressedSizeBytes: 42_300_000,
          config: { user: "" },
        },
      ],
      skipped: [
        { digest: attAmd.manifest.digest, platform: "unknown/unknown", reason: "attestation manifest" },
        { digest: attArm.manifest.digest, platform: "unknown/unknown", reason: "attestation manifest" },
      ],
    });
  });

  it("a Docker manifest list is read the same way", async () => {
    const amd = fake.store(imageManifest(registry, seedConfig()));
    const list = fake.store(
      imageIndex(
        [{ manifest: amd, platform: { os: "linux", architecture: "amd64" } }],
        MEDIA_TYPES.dockerManifestList,
      ),
    );
    const image = await readRegistryImage(ecrClient, at(list.digest));
    expect(image).toMatchObject({
      kind: "image",
      mediaType: MEDIA_TYPES.dockerManifestList,
      platforms: [{ platform: "linux/amd64" }],
    });
  });

  it("a config blob that doesn't hash to its digest is refused (not transient), naming no URL credentials", async () => {
    const m = fake.store(imageManifest(registry, seedConfig()));
    registry.putAs(m.configDigest, JSON.stringify(imageConfig({ user: "nodejs", env: ["INJECTED=1"] })));
    const error = await readError(m.digest);
    expect(error.transient).toBe(false);
    expect(error.message).toContain(`config blob ${m.configDigest}`);
    expect(error.message).toMatch(/hashes to sha256:[0-9a-f]{64}, not to its digest/);
    expect(error.message).not.toContain("X-Amz");
    expect(error.message).not.toContain(FAKE_SIGNATURE);
  });

  it("a blob streamed past the 4 MiB cap is cut off as soon as it passes it", async () => {
    const m = fake.store(imageManifest(registry, seedConfig()));
    registry.putStreaming(m.configDigest, 64 * 1024 * 1024);
    const error = await readError(m.digest);
    expect(error.transient).toBe(false);
    expect(error.message).toContain(`more than ${4 * 1024 * 1024} bytes, over the limit`);
    // Give the server a moment to notice the hang-up, then check it stopped well short of 64 MiB.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const served = registry.requests.find((r) => r.digest === m.configDigest);
    expect(served?.bytesSent).toBeLessThan(16 * 1024 * 1024);
  });

  it("a blob whose Content-Length is over the cap is refused before reading its body", async () => {
    const m = fake.store(imageManifest(registry, seedConfig()));
    registry.putAs(m.configDigest, new Uint8Array(5 * 1024 * 1024));
    const error = await readError(m.digest);
    expect(error.message).toContain(`${5 * 1024 * 1024} bytes, over the ${4 * 1024 * 1024}-byte limit`);
  });

  it("a config descriptor over the cap is refused without asking for a download URL", async () => {
    const m = imageManifest(registry, seedConfig());
    const big = JSON.parse(m.text) as { config: { size: number } };
    big.config.size = 9 * 1024 * 1024;
    const text = JSON.stringify(big);
    fake.store({ ...m, text, digest: sha256(new TextEncoder().encode(text)) });
    const error = await readError(sha256(new TextEncoder().encode(text)));
    expect(error.message).toContain("over the 4194304-byte limit");
    expect(inputs(GetDownloadUrlForLayerCommand)).toEqual([]);
  });

  it("a 404 blob is a clear, non-transient error", async () => {
    const m = fake.store(imageManifest(registry, seedConfig()));
    registry.putStatus(m.configDigest, 404);
    const error = await readError(m.digest);
    expect(error.transient).toBe(false);
    expect(error.message).toBe(
      `config blob ${m.configDigest} of manifest ${m.digest}: ${new URL(registry.url(m.configDigest)).host} answered HTTP 404 (blob not found)`,
    );
  });

  it("a 503 is transient (the event is retried)", async () => {
    const m = fake.store(imageManifest(registry, seedConfig()));
    registry.putStatus(m.configDigest, 503);
    expect((await readError(m.digest)).transient).toBe(true);
  });

  it("a config blob that is not JSON, or not an object, is a clear error", async () => {
    const notJson = fake.store(imageManifest(registry, '{"architecture":"amd64","os":"linux","config":{'));
    expect((await readError(notJson.digest)).message).toBe(
      `config blob ${notJson.configDigest} of manifest ${notJson.digest} is not valid JSON`,
    );
    const wrongShape = fake.store(imageManifest(registry, { os: "linux", config: { Env: "DB_PASSWORD=x" } }));
    const error = await readError(wrongShape.digest);
    expect(error.message).toContain("is not an image configuration");
    expect(error.message).not.toContain("DB_PASSWORD=x");
    const array = fake.store(imageManifest(registry, "[1,2]"));
    expect((await readError(array.digest)).message).toContain("expected object, received array");
  });

  it("a manifest that doesn't hash to the digest asked for is refused", async () => {
    const m = imageManifest(registry, seedConfig());
    const other = `sha256:${"ab".repeat(32)}`;
    fake.manifests.set(other, { ...m, digest: other });
    const error = await readError(other);
    expect(error.message).toContain(`manifest ${other}: content hashes to ${m.digest}`);
    expect(inputs(GetDownloadUrlForLayerCommand)).toEqual([]);
  });

  it("a malformed manifest (invalid JSON, no config) is a clear error", async () => {
    const bad = "{ not json";
    const badDigest = sha256(new TextEncoder().encode(bad));
    fake.manifests.set(badDigest, {
      digest: badDigest,
      text: bad,
      mediaType: MEDIA_TYPES.dockerManifest,
      size: 10,
      configDigest: "",
    });
    expect((await readError(badDigest)).message).toBe(`manifest ${badDigest} is not valid JSON`);

    const noConfig = JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_TYPES.dockerManifest, layers: [] });
    const noConfigDigest = sha256(new TextEncoder().encode(noConfig));
    fake.manifests.set(noConfigDigest, {
      digest: noConfigDigest,
      text: noConfig,
      mediaType: MEDIA_TYPES.dockerManifest,
      size: 1,
      configDigest: "",
    });
    expect((await readError(noConfigDigest)).message).toContain(
      `manifest ${noConfigDigest} is a malformed manifest`,
    );
  });

  it("an index listing a manifest the registry doesn't have is a clear error", async () => {
    const amd = imageManifest(registry, seedConfig());
    const index = fake.store(
      imageIndex([{ manifest: amd, platform: { os: "linux", architecture: "amd64" } }]),
    );
    expect((await readError(index.digest)).message).toBe(
      `manifest ${amd.digest} listed in index ${index.digest}: BatchGetImage failed with ImageNotFound (Requested image not found)`,
    );
  });

  it("an image deleted since the push, or its repository, reads as deleted", async () => {
    expect(await readRegistryImage(ecrClient, at(`sha256:${"cd".repeat(32)}`))).toEqual({ kind: "deleted" });
    ecr.on(BatchGetImageCommand).callsFake(() => {
      const error = new Error("The repository with name 'orders/api' does not exist");
      error.name = "RepositoryNotFoundException";
      throw error;
    });
    expect(await readRegistryImage(ecrClient, at(`sha256:${"cd".repeat(32)}`))).toEqual({ kind: "deleted" });
  });

  it("Helm charts, signatures and attestation-only indexes are artifacts: nothing is downloaded", async () => {
    const helm = fake.store(
      imageManifest(
        registry,
        { name: "orders", version: "1.2.3" },
        {
          mediaType: "oci",
          configMediaType: "application/vnd.cncf.helm.config.v1+json",
          layerMediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
        },
      ),
    );
    expect(await readRegistryImage(ecrClient, at(helm.digest))).toEqual({
      kind: "artifact",
      mediaType: MEDIA_TYPES.ociManifest,
      reason: "its config is application/vnd.cncf.helm.config.v1+json, not a container image configuration",
      skipped: [],
    });
    const signature = fake.store(
      imageManifest(registry, imageConfig(), {
        mediaType: "oci",
        layers: [254],
        layerMediaType: "application/vnd.dev.cosign.simplesigning.v1+json",
      }),
    );
    expect(await readRegistryImage(ecrClient, at(signature.digest))).toMatchObject({
      kind: "artifact",
      reason: "it has a application/vnd.dev.cosign.simplesigning.v1+json layer, not a filesystem layer",
    });
    const sbom = fake.store(
      imageManifest(registry, "{}", {
        mediaType: "oci",
        artifactType: "application/spdx+json",
        configMediaType: "application/vnd.oci.empty.v1+json",
      }),
    );
    expect(await readRegistryImage(ecrClient, at(sbom.digest))).toMatchObject({
      kind: "artifact",
      reason: "an OCI artifact of type application/spdx+json",
    });
    const amd = fake.store(imageManifest(registry, seedConfig()));
    const onlyAttestations = fake.store(imageIndex([attestationFor(registry, amd)]));
    expect(await readRegistryImage(ecrClient, at(onlyAttestations.digest))).toMatchObject({
      kind: "artifact",
      reason: "the index lists no image manifest",
    });
    expect(inputs(GetDownloadUrlForLayerCommand)).toEqual([]);
  });

  it("refuses a download URL that is not HTTPS (plain HTTP only on loopback)", async () => {
    const m = fake.store(imageManifest(registry, seedConfig()));
    ecr
      .on(GetDownloadUrlForLayerCommand)
      .resolves({ downloadUrl: `http://layers.example.com/blob?${FAKE_SIGNATURE}` });
    const error = await readError(m.digest);
    expect(error.message).toBe(
      `config blob ${m.configDigest} of manifest ${m.digest}: refusing a non-HTTPS download URL (http://layers.example.com)`,
    );
  });

  it("a config blob the registry no longer has (LayersNotFoundException) is a clear error", async () => {
    const m = fake.store(imageManifest(registry, seedConfig()));
    ecr.on(GetDownloadUrlForLayerCommand).callsFake(() => {
      const error = new Error("The specified layers could not be found");
      error.name = "LayersNotFoundException";
      throw error;
    });
    const error = await readError(m.digest);
    expect(error.message).toContain("the registry does not have it (LayersNotFoundException)");
    expect(error.transient).toBe(false);
  });
});
