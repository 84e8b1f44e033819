import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  GetDownloadUrlForLayerCommand,
  ListTagsForResourceCommand,
} from "@aws-sdk/client-ecr";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { findingId } from "../../shared/findings/id";
import { processEvent } from "../../shared/pipeline/process-event";
import { loadEvent } from "../support/events";
import { FAKE_SIGNATURE, startLocalRegistry, type LocalRegistry } from "../support/local-registry";
import { testRuntime, type TestRuntime } from "../support/runtime";
import {
  ACCOUNT,
  attestationFor,
  DB_PASSWORD_VALUE,
  FakeEcr,
  imageIndex,
  imageManifest,
  pushEvent,
  REPO,
  rootWithPasswordConfig,
  SEED_BASE,
  seedConfig,
  type StoredManifest,
  batchGetInput,
} from "./fixtures";

const BASE = { "org.opencontainers.image.base.name": SEED_BASE };
const HEALTHCHECK = ["CMD-SHELL", "wget -qO- http://127.0.0.1:3000/health || exit 1"];

let registry: LocalRegistry;
beforeAll(async () => {
  registry = await startLocalRegistry();
});
afterAll(() => registry.close());

let t: TestRuntime;
let fake: FakeEcr;
beforeEach(async () => {
  t = await testRuntime();
  fake = new FakeEcr(registry);
  fake.install(t.ecr);
  t.ecr.on(ListTagsForResourceCommand).resolves({ tags: [{ Key: "team", Value: "orders" }] });
});
afterEach(() => t.close());

const idFor = (checkId: string, digest: string, repo = REPO) =>
  findingId({ account: ACCOUNT, region: "us-east-1", checkId, resourceId: `${repo}@${digest}` });
const inputs = (command: unknown) =>
  t.ecr
    .commandCalls(command as typeof BatchGetImageCommand)
    .map((c) => c.args[0].input as unknown as Record<string, unknown>);
const push = (m: StoredManifest, tag: string | null = "2025.03.18-1") => {
  fake.store(m, tag ? [tag] : []);
  return processEvent(pushEvent(loadEvent, m.digest, { tag }), t.runtime);
};
const openChecks = async () =>
  (await t.runtime.store.list())
    .filter((f) => f.status === "OPEN")
    .map((f) => f.checkId)
    .sort();

describe("image configuration checks at push, end to end", () => {
  it("the seed's Dockerfile (node:18-alpine, USER nodejs, npm ci) passes every check but the informational HEALTHCHECK note", async () => {
    const m = imageManifest(registry, seedConfig(), { annotations: BASE });
    const report = await push(m);

    expect(report.outcome).toBe("processed");
    expect(report.resources[0]?.resource).toEqual({
      type: "AWS::ECR::Image",
      id: `${REPO}@${m.digest}`,
      arn: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${REPO}`,
      account: ACCOUNT,
      region: "us-east-1",
      name: `${REPO}:2025.03.18-1`,
    });
    expect(inputs(DescribeImagesCommand)).toEqual([
      { registryId: ACCOUNT, repositoryName: REPO, imageIds: [{ imageDigest: m.digest }] },
    ]);
    expect(inputs(BatchGetImageCommand)).toEqual([batchGetInput(m.digest)]);
    expect(inputs(GetDownloadUrlForLayerCommand)).toEqual([
      { registryId: ACCOUNT, repositoryName: REPO, layerDigest: m.configDigest },
    ]);
    expect(await openChecks()).toEqual(["VIGIL.IMAGE.HEALTHCHECK"]);
    expect(await t.runtime.store.get(idFor("VIGIL.IMAGE.HEALTHCHECK", m.digest))).toMatchObject({
      severity: "INFORMATIONAL",
      controls: ["Dockle CIS-DI-0006"],
      summary: "no HEALTHCHECK",
    });
    // Below the LOW notification threshold: recorded, not announced.
    expect(t.notifier.alerts).toEqual([]);
    expect(t.ecr.calls()).toHaveLength(4); // + the repository's tags, read because of that finding
  });

  it("the seed's pattern with a HEALTHCHECK passes everything: no finding, no tag read, no alert", async () => {
    const m = imageManifest(registry, seedConfig({ healthcheck: HEALTHCHECK }), { annotations: BASE });
    const report = await push(m);
    expect(report.outcome).toBe("processed");
    expect(report.resources[0]?.findings).toEqual([]);
    expect(await t.runtime.store.list()).toEqual([]);
    expect(inputs(ListTagsForResourceCommand)).toEqual([]);
    expect(t.notifier.alerts).toEqual([]);
  });

  it("a root image with ENV DB_PASSWORD fails with both the root-user and the secrets finding, value nowhere", async () => {
    const m = imageManifest(registry, rootWithPasswordConfig(), { annotations: BASE });
    const report = await push(m);

    expect(report.outcome).toBe("processed");
    expect(await openChecks()).toEqual([
      "VIGIL.IMAGE.HEALTHCHECK",
      "VIGIL.IMAGE.ROOT_USER",
      "VIGIL.IMAGE.SECRETS",
    ]);
    expect(await t.runtime.store.get(idFor("VIGIL.IMAGE.ROOT_USER", m.digest))).toMatchObject({
      status: "OPEN",
      severity: "HIGH",
      controls: ["Dockle CIS-DI-0001"],
      summary: "no USER is set, so it runs as root",
      evidence: [{ platform: "linux/amd64", manifestDigest: m.digest, user: "" }],
      resource: { id: `${REPO}@${m.digest}`, name: `${REPO}:2025.03.18-1` },
    });
    expect(await t.runtime.store.get(idFor("VIGIL.IMAGE.SECRETS", m.digest))).toMatchObject({
      status: "OPEN",
      severity: "CRITICAL",
      summary: "1 secret baked into the image: DB_PASSWORD (environment)",
      evidence: [
        {
          platform: "linux/amd64",
          leaks: [
            {
              location: "environment",
              name: "DB_PASSWORD",
              reason: "secret-like name with a value",
              valueLength: DB_PASSWORD_VALUE.length,
            },
          ],
        },
      ],
    });
    expect(t.notifier.alerts).toHaveLength(1);
    expect(t.notifier.alerts[0]?.severity).toBe("CRITICAL");
    expect(t.notifier.alerts[0]?.findings.map((f) => f.checkId).sort()).toEqual([
      "VIGIL.IMAGE.ROOT_USER",
      "VIGIL.IMAGE.SECRETS",
    ]);
    expect(inputs(ListTagsForResourceCommand)).toEqual([
      { resourceArn: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/${REPO}` },
    ]);
    const everything = JSON.stringify([await t.runtime.store.list(), t.notifier.alerts, t.logger.entries]);
    expect(everything).not.toContain(DB_PASSWORD_VALUE);
    expect(everything).not.toContain(FAKE_SIGNATURE);
  });

  it("CloudTrail's PutImage reads the registry (not the logged manifest) and records who pushed", async () => {
    const m = fake.store(imageManifest(registry, rootWithPasswordConfig(), { annotations: BASE }), [
      "2025.03.18-1",
    ]);
    const event = loadEvent("image/cloudtrail-put-image.json");
    const response = event.detail.responseElements as { image: { imageId: { imageDigest: string } } };
    response.image.imageId.imageDigest = m.digest;

    const report = await processEvent(event, t.runtime);

    expect(report.outcome).toBe("processed");
    expect(inputs(BatchGetImageCommand)).toEqual([batchGetInput(m.digest)]);
    expect(await openChecks()).toEqual([
      "VIGIL.IMAGE.HEALTHCHECK",
      "VIGIL.IMAGE.ROOT_USER",
      "VIGIL.IMAGE.SECRETS",
    ]);
    expect(await t.runtime.store.get(idFor("VIGIL.IMAGE.ROOT_USER", m.digest))).toMatchObject({
      actor: { type: "AssumedRole", sessionIssuerArn: `arn:aws:iam::${ACCOUNT}:role/ci-deploy` },
      eventTime: "2025-03-18T11:47:03Z",
    });
  });

  it("the push event and the PutImage record of one push make one set of findings and one alert", async () => {
    const m = imageManifest(registry, rootWithPasswordConfig(), { annotations: BASE });
    await push(m);
    const event = loadEvent("image/cloudtrail-put-image.json");
    (
      event.detail.responseElements as { image: { imageId: { imageDigest: string } } }
    ).image.imageId.imageDigest = m.digest;
    const second = await processEvent(event, t.runtime);
    expect(second.resources[0]?.findings.every((f) => f.status === "OPEN")).toBe(true);
    expect(t.notifier.alerts).toHaveLength(1);
    expect(await t.runtime.store.list()).toHaveLength(3);
  });

  it("a multi-arch OCI index: each platform is judged, attestations skipped, the failing platform named", async () => {
    const amd = fake.store(
      imageManifest(registry, seedConfig({ healthcheck: HEALTHCHECK }), {
        mediaType: "oci",
        annotations: BASE,
      }),
    );
    const arm = fake.store(
      imageManifest(
        registry,
        seedConfig({ architecture: "arm64", variant: "v8", user: "0:0", healthcheck: HEALTHCHECK }),
        {
          mediaType: "oci",
          annotations: BASE,
        },
      ),
    );
    const attestations = [attestationFor(registry, amd), attestationFor(registry, arm)];
    for (const a of attestations) fake.store(a.manifest);
    const index = imageIndex([
      { manifest: amd, platform: { os: "linux", architecture: "amd64" } },
      { manifest: arm, platform: { os: "linux", architecture: "arm64", variant: "v8" } },
      ...attestations,
    ]);
    fake.store(index, ["v2.4.0"]);
    const event = loadEvent("image/ecr-image-action-push-index.json");
    event.detail["image-digest"] = index.digest;
    event.detail["repository-name"] = REPO;

    const report = await processEvent(event, t.runtime);

    expect(report.outcome).toBe("processed");
    expect(inputs(BatchGetImageCommand)).toEqual([
      batchGetInput(index.digest),
      batchGetInput(amd.digest, arm.digest),
    ]);
    expect(
      inputs(GetDownloadUrlForLayerCommand)
        .map((i) => i.layerDigest)
        .sort(),
    ).toEqual([amd.configDigest, arm.configDigest].sort());
    expect(await openChecks()).toEqual(["VIGIL.IMAGE.ROOT_USER"]);
    expect(await t.runtime.store.get(idFor("VIGIL.IMAGE.ROOT_USER", index.digest))).toMatchObject({
      summary: "linux/arm64/v8: USER 0:0 is root",
      evidence: [{ platform: "linux/arm64/v8", manifestDigest: arm.digest, user: "0:0" }],
      resource: { name: `${REPO}:v2.4.0` },
    });
  });

  it("an untagged platform manifest (one part of a multi-arch push) is left to its index: no read at all", async () => {
    const event = loadEvent("image/ecr-image-action-push-untagged-platform.json");
    const report = await processEvent(event, t.runtime);
    expect(report).toMatchObject({ outcome: "processed", resources: [] });
    expect(t.ecr.calls()).toEqual([]);
  });

  it("a Helm chart (not a container image) is not applicable: read, judged by no check, nothing downloaded", async () => {
    const chart = imageManifest(
      registry,
      { name: "orders", version: "1.2.3", apiVersion: "v2" },
      {
        mediaType: "oci",
        configMediaType: "application/vnd.cncf.helm.config.v1+json",
        layerMediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
      },
    );
    const report = await push(chart, "latest");
    expect(report.outcome).toBe("processed");
    expect(report.resources[0]?.findings).toEqual([]);
    expect(inputs(GetDownloadUrlForLayerCommand)).toEqual([]);
    expect(await t.runtime.store.list()).toEqual([]);
  });

  it("a `latest` push opens the LOW finding; once the tag has moved on, the next event for the image resolves it", async () => {
    const m = fake.store(
      imageManifest(registry, seedConfig({ healthcheck: HEALTHCHECK }), { annotations: BASE }),
      ["latest"],
    );
    const event = loadEvent("image/cloudtrail-put-image-latest.json");
    (
      event.detail.responseElements as { image: { imageId: { imageDigest: string } } }
    ).image.imageId.imageDigest = m.digest;
    await processEvent(event, t.runtime);
    expect(await t.runtime.store.get(idFor("VIGIL.IMAGE.LATEST_TAG", m.digest))).toMatchObject({
      status: "OPEN",
      severity: "LOW",
      evidence: [{ repositoryName: REPO, imageDigest: m.digest, tags: ["latest"] }],
    });
    expect(t.notifier.alerts).toHaveLength(1);

    // The same image is pushed again as a release; `latest` now points elsewhere.
    fake.tags.set(m.digest, ["2025.03.19-1"]);
    await processEvent(
      pushEvent(loadEvent, m.digest, { tag: "2025.03.19-1", id: "5e1c7a9b-3d5f-4b7a-9c1e-3f5b7d9a1c3e" }),
      t.runtime,
    );
    expect((await t.runtime.store.get(idFor("VIGIL.IMAGE.LATEST_TAG", m.digest)))?.status).toBe("RESOLVED");
  });

  it("an image deleted before its event is read is a deleted resource: its open findings resolve", async () => {
    const m = imageManifest(registry, rootWithPasswordConfig(), { annotations: BASE });
    await push(m);
    fake.manifests.delete(m.digest);
    const report = await processEvent(
      pushEvent(loadEvent, m.digest, { id: "0a2c4e6a-8c1e-4a3c-9e5a-7c9e1b3d5f7a" }),
      t.runtime,
    );
    expect(report.outcome).toBe("processed");
    expect(await openChecks()).toEqual([]);
    expect(new Set((await t.runtime.store.list()).map((f) => f.status))).toEqual(new Set(["RESOLVED"]));
    expect(inputs(GetDownloadUrlForLayerCommand)).toHaveLength(1); // only the first push's
  });

  it("ECR's deletion event resolves the findings of an image that is gone, reading only whether it is", async () => {
    const m = imageManifest(registry, rootWithPasswordConfig(), { annotations: BASE });
    await push(m);
    expect(await openChecks()).not.toEqual([]);
    fake.manifests.delete(m.digest);
    t.ecr.resetHistory();
    const deletion = loadEvent("image/ecr-image-action-delete.json");
    deletion.detail["image-digest"] = m.digest;
    const report = await processEvent(deletion, t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await openChecks()).toEqual([]);
    expect(new Set((await t.runtime.store.list()).map((f) => f.status))).toEqual(new Set(["RESOLVED"]));
    expect(inputs(DescribeImagesCommand)).toEqual([
      { registryId: ACCOUNT, repositoryName: REPO, imageIds: [{ imageDigest: m.digest }] },
    ]);
    expect(t.ecr.calls()).toHaveLength(1);
  });

  it("a deletion that only removed a tag leaves the image's findings as they are", async () => {
    const m = imageManifest(registry, rootWithPasswordConfig(), { annotations: BASE });
    await push(m);
    const before = await t.runtime.store.list();
    fake.tags.set(m.digest, ["2025.03.18-2"]);
    const deletion = loadEvent("image/ecr-image-action-delete.json");
    deletion.detail["image-digest"] = m.digest;
    const report = await processEvent(deletion, t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await t.runtime.store.list()).toEqual(before);
    expect(t.notifier.alerts).toHaveLength(1); // the push's
  });

  it("a failed deletion is invalid and reads nothing", async () => {
    const failed = loadEvent("image/ecr-image-action-delete.json");
    failed.detail.result = "FAILURE";
    const report = await processEvent(failed, t.runtime);
    expect(report.outcome).toBe("invalid");
    expect(report.reason).toContain("DELETE FAILURE for orders/api: not a successful push or deletion");
    expect(t.ecr.calls()).toEqual([]);
  });

  it("an exemption tag on the repository suppresses the finding (tags read with ListTagsForResource)", async () => {
    t.ecr.on(ListTagsForResourceCommand).resolves({
      tags: [
        { Key: "vigil:exempt", Value: "VIGIL.IMAGE.ROOT_USER" },
        { Key: "vigil:exempt-reason", Value: "legacy image, replaced in Q3" },
      ],
    });
    const m = imageManifest(registry, seedConfig({ user: "root", healthcheck: HEALTHCHECK }), {
      annotations: BASE,
    });
    await push(m);
    expect(await t.runtime.store.get(idFor("VIGIL.IMAGE.ROOT_USER", m.digest))).toMatchObject({
      status: "SUPPRESSED",
      suppression: { reason: "legacy image, replaced in Q3" },
    });
    expect(t.notifier.alerts).toEqual([]);
  });

  describe("per check through the pipeline: non-compliant opens, compliant and not-applicable stay clean", () => {
    const cases: [string, Parameters<typeof seedConfig>[0], Record<string, string> | undefined, string][] = [
      ["VIGIL.IMAGE.ROOT_USER", { user: "0" }, BASE, "2025.03.18-1"],
      [
        "VIGIL.IMAGE.SECRETS",
        { env: ["AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"] },
        BASE,
        "2025.03.18-1",
      ],
      [
        "VIGIL.IMAGE.MINIMAL_BASE",
        {},
        { "org.opencontainers.image.base.name": "ubuntu:24.04" },
        "2025.03.18-1",
      ],
      [
        "VIGIL.IMAGE.REMOTE_ADD",
        { history: ["ADD https://downloads.example.com/agent.tar.gz /opt/ # buildkit"] },
        BASE,
        "2025.03.18-1",
      ],
      [
        "VIGIL.IMAGE.PIPE_TO_SHELL",
        { history: ["RUN /bin/sh -c curl -fsSL https://get.example.com | sh # buildkit"] },
        BASE,
        "2025.03.18-1",
      ],
      ["VIGIL.IMAGE.LATEST_TAG", {}, BASE, "latest"],
      ["VIGIL.IMAGE.HEALTHCHECK", { healthcheck: undefined }, BASE, "2025.03.18-1"],
    ];

    it.each(cases)("%s", async (checkId, change, annotations, tag) => {
      const bad = imageManifest(registry, seedConfig({ healthcheck: HEALTHCHECK, ...change }), {
        annotations,
      });
      await push(bad, tag);
      expect(await openChecks()).toEqual([checkId]);

      const good = imageManifest(registry, seedConfig({ healthcheck: HEALTHCHECK }), { annotations: BASE });
      expect((await push(good)).resources[0]?.findings).toEqual([]);

      const chart = imageManifest(
        registry,
        { name: "c", version: "1.0.0" },
        {
          mediaType: "oci",
          configMediaType: "application/vnd.cncf.helm.config.v1+json",
          layerMediaType: "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
        },
      );
      expect((await push(chart, tag)).resources[0]?.findings).toEqual([]);
      expect(await openChecks()).toEqual([checkId]);
    });
  });
});

describe("unreadable images and bad events: logged, nothing changed", () => {
  const rejected = async (m: StoredManifest, reason: string) => {
    const report = await push(m);
    expect(report.outcome).toBe("invalid");
    expect(report.reason).toContain(reason);
    expect(report.reason).not.toContain("X-Amz");
    expect(await t.runtime.store.list()).toEqual([]);
    expect(t.notifier.alerts).toEqual([]);
    expect(t.logger.entries.filter((e) => e.level === "error").map((e) => e.message)).toEqual([
      "event rejected",
    ]);
  };

  it("a 404 config blob", async () => {
    const m = imageManifest(registry, seedConfig());
    registry.putStatus(m.configDigest, 404);
    await rejected(m, "answered HTTP 404 (blob not found)");
  });

  it("a config blob that doesn't match its digest", async () => {
    const m = imageManifest(registry, seedConfig());
    registry.putAs(m.configDigest, JSON.stringify(seedConfig({ user: "root" })));
    await rejected(m, "not to its digest");
  });

  it("an oversize config blob (streamed)", async () => {
    const m = imageManifest(registry, seedConfig());
    registry.putStreaming(m.configDigest, 32 * 1024 * 1024);
    await rejected(m, "over the limit");
  });

  it("a malformed JSON config", async () => {
    const m = imageManifest(registry, '{"os":"linux","config":{"User":');
    await rejected(m, `config blob ${m.configDigest} of manifest ${m.digest} is not valid JSON`);
  });

  it("a missing manifest for an index entry", async () => {
    const amd = imageManifest(registry, seedConfig());
    await rejected(
      imageIndex([{ manifest: amd, platform: { os: "linux", architecture: "amd64" } }]),
      "ImageNotFound",
    );
  });

  it("a registry error a retry may fix (HTTP 503) fails the event so it is retried; nothing stored", async () => {
    const m = imageManifest(registry, rootWithPasswordConfig());
    registry.putStatus(m.configDigest, 503);
    await expect(push(m)).rejects.toThrow(/answered HTTP 503 \(will retry\)/);
    expect(await t.runtime.store.list()).toEqual([]);
  });

  it("a throttled registry read, or a per-image failure a retry may fix, fails the event; nothing stored", async () => {
    const m = imageManifest(registry, rootWithPasswordConfig());
    fake.store(m, ["2025.03.18-1"]);
    t.ecr
      .on(BatchGetImageCommand)
      .rejects(Object.assign(new Error("Rate exceeded"), { name: "ThrottlingException", $retryable: {} }));
    await expect(processEvent(pushEvent(loadEvent, m.digest), t.runtime)).rejects.toThrow(/Rate exceeded/);
    t.ecr.on(BatchGetImageCommand).resolves({
      images: [],
      failures: [{ imageId: { imageDigest: m.digest }, failureCode: "UpstreamTooManyRequests" }],
    });
    await expect(processEvent(pushEvent(loadEvent, m.digest), t.runtime)).rejects.toThrow(
      /UpstreamTooManyRequests \(will retry\)/,
    );
    expect(await t.runtime.store.list()).toEqual([]);
  });

  it.each([
    ["image/ecr-image-action-missing-digest.json", "image-digest"],
    ["image/cloudtrail-put-image-no-digest.json", "PutImage to orders/api names no image digest"],
  ])("%s is invalid, with no AWS call", async (file, reason) => {
    const report = await processEvent(loadEvent(file), t.runtime);
    expect(report.outcome).toBe("invalid");
    expect(report.reason).toContain(reason);
    expect(t.ecr.calls()).toEqual([]);
    expect(await t.runtime.store.list()).toEqual([]);
  });

  it("a malformed push detail (repository name not a string, digest not a digest) is invalid", async () => {
    const event = loadEvent("image/ecr-image-action-push.json");
    event.detail["repository-name"] = 42;
    event.detail["image-digest"] = "latest";
    const report = await processEvent(event, t.runtime);
    expect(report.outcome).toBe("invalid");
    expect(report.reason).toContain("repository-name");
    expect(report.reason).toContain("image-digest");
    expect(t.ecr.calls()).toEqual([]);
  });
});
