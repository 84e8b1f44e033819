import { ECRClient, ListTagsForResourceCommand } from "@aws-sdk/client-ecr";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { envelopeSchema } from "../../shared/events/envelope";
import { UnusableEventError, type ReadClients } from "../../shared/resources/adapter";
import adapter from "../../shared/resources/ecr-image/adapter";
import { refreshImage } from "../../shared/resources/ecr-image/refresh";
import { loadEvent } from "../support/events";
import { startLocalRegistry, type LocalRegistry } from "../support/local-registry";
import { ACCOUNT, FakeEcr, imageManifest, REPO, seedConfig } from "./fixtures";

const SAMPLE_DIGEST = "sha256:d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d4e6";
const envelope = (file: string) => envelopeSchema.parse(loadEvent(file));
const cloudTrail = (file: string) => cloudTrailDetailSchema.parse(loadEvent(file).detail);

let registry: LocalRegistry;
beforeAll(async () => {
  registry = await startLocalRegistry();
});
afterAll(() => registry.close());

describe("ECR image adapter", () => {
  it("ECR Image Action push: names the image, asks for a registry read", () => {
    expect(adapter.fromEvent?.(envelope("image/ecr-image-action-push.json"))).toEqual([
      {
        resource: {
          type: "AWS::ECR::Image",
          id: `${REPO}@${SAMPLE_DIGEST}`,
          arn: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${REPO}`,
          account: ACCOUNT,
          region: "us-east-1",
          name: `${REPO}:2025.03.18-1`,
        },
        state: {
          registryId: ACCOUNT,
          repositoryName: REPO,
          imageDigest: SAMPLE_DIGEST,
          pushedTag: "2025.03.18-1",
          platforms: [],
          skipped: [],
        },
        complete: false,
        observedAt: "2025-03-18T11:47:04Z",
        tagsKnown: false,
        needsRefresh: true,
      },
    ]);
  });

  it("CloudTrail PutImage: the digest from the response, tag and registry from the request", () => {
    const [observation] = adapter.fromCloudTrail(cloudTrail("image/cloudtrail-put-image.json"), ACCOUNT);
    expect(observation).toMatchObject({
      resource: { id: `${REPO}@${SAMPLE_DIGEST}`, name: `${REPO}:2025.03.18-1`, account: ACCOUNT },
      state: {
        registryId: ACCOUNT,
        repositoryName: REPO,
        imageDigest: SAMPLE_DIGEST,
        pushedTag: "2025.03.18-1",
      },
      observedAt: "2025-03-18T11:47:03Z",
      complete: false,
      needsRefresh: true,
    });
  });

  it("an untagged single-image push is left to its index (from either source); an untagged index is read", () => {
    expect(adapter.fromEvent?.(envelope("image/ecr-image-action-push-untagged-platform.json"))).toEqual([]);
    const detail = cloudTrail("image/cloudtrail-put-image.json");
    const request = detail.requestParameters as Record<string, unknown>;
    delete request.imageTag;
    delete request.imageManifestMediaType;
    const image = (detail.responseElements as { image: Record<string, unknown> }).image;
    delete image.imageManifestMediaType;
    delete (image.imageId as Record<string, unknown>).imageTag;
    // The media type is then taken from the logged manifest.
    expect(adapter.fromCloudTrail(detail, ACCOUNT)).toEqual([]);

    const index = loadEvent("image/ecr-image-action-push-index.json");
    delete index.detail["image-tag"];
    expect(adapter.fromEvent?.(envelopeSchema.parse(index))).toHaveLength(1);
  });

  it("an untagged push of unknown media type is read; the registry then says it is an untagged platform manifest", async () => {
    const event = loadEvent("image/ecr-image-action-push-untagged-platform.json");
    delete event.detail["manifest-media-type"];
    const ecrClient = new ECRClient({ region: "us-east-1" });
    const fake = new FakeEcr(registry);
    fake.install(mockClient(ecrClient));
    const m = fake.store(imageManifest(registry, seedConfig({ user: "" }), { mediaType: "oci" }));
    event.detail["image-digest"] = m.digest;
    event.detail["repository-name"] = REPO;
    const [observation] = adapter.fromEvent?.(envelopeSchema.parse(event)) ?? [];
    expect(observation).toBeDefined();
    const refreshed = await refreshImage(observation!, ecrClient);
    expect(refreshed).toMatchObject({
      complete: true,
      needsRefresh: false,
      state: {
        imageTags: [],
        platforms: [],
        notApplicable: "untagged platform manifest: evaluated through the index or tag that refers to it",
      },
    });
  });

  it("events it can't use are UnusableEventErrors with a clear reason", () => {
    const scan = loadEvent("image/ecr-image-action-push.json");
    scan["detail-type"] = "ECR Image Scan";
    expect(() => adapter.fromEvent?.(envelopeSchema.parse(scan))).toThrow(
      new UnusableEventError('no ECR image reader for "ECR Image Scan" events'),
    );
    const failed = loadEvent("image/ecr-image-action-push.json");
    failed.detail.result = "FAILURE";
    expect(() => adapter.fromEvent?.(envelopeSchema.parse(failed))).toThrow(
      /PUSH FAILURE .*not a successful push/,
    );
    const other = cloudTrail("image/cloudtrail-put-image.json");
    expect(() => adapter.fromCloudTrail({ ...other, eventName: "BatchDeleteImage" }, ACCOUNT)).toThrow(
      UnusableEventError,
    );
    expect(() => adapter.fromCloudTrail({ ...other, requestParameters: {} }, ACCOUNT)).toThrow(
      /repositoryName/,
    );
    expect(() => adapter.fromConfigItem({} as never)).toThrow(UnusableEventError);
  });

  it("reads exemption tags from the repository; a deleted repository has none", async () => {
    const ecrClient = new ECRClient({ region: "us-east-1" });
    const ecr = mockClient(ecrClient);
    const clients = { ecr: () => ecrClient } as unknown as ReadClients;
    const [observation] = adapter.fromEvent?.(envelope("image/ecr-image-action-push.json")) ?? [];
    ecr.on(ListTagsForResourceCommand).resolves({ tags: [{ Key: "vigil:exempt", Value: "*" }] });
    expect(await adapter.readTags(observation!, clients)).toEqual({ "vigil:exempt": "*" });
    expect(ecr.commandCalls(ListTagsForResourceCommand)[0]?.args[0].input).toEqual({
      resourceArn: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${REPO}`,
    });
    ecr
      .on(ListTagsForResourceCommand)
      .rejects(Object.assign(new Error("gone"), { name: "RepositoryNotFoundException" }));
    expect(await adapter.readTags(observation!, clients)).toEqual({});
    ecr
      .on(ListTagsForResourceCommand)
      .rejects(Object.assign(new Error("slow down"), { name: "ThrottlingException" }));
    await expect(adapter.readTags(observation!, clients)).rejects.toThrow("slow down");
  });

  it("China and GovCloud regions get their partition in the repository ARN", () => {
    const cn = loadEvent("image/ecr-image-action-push.json");
    cn.region = "cn-north-1";
    expect(adapter.fromEvent?.(envelopeSchema.parse(cn))[0]?.resource.arn).toBe(
      `arn:aws-cn:ecr:cn-north-1:${ACCOUNT}:repository/${REPO}`,
    );
  });
});
