import { describe, expect, it } from "vitest";
import { imageScanTriggers } from "../../shared/checks/image-scan/image-vulnerabilities";
import { envelopeSchema } from "../../shared/events/envelope";
import { UnusableEventError } from "../../shared/resources/adapter";
import adapter from "../../shared/resources/ecr-image-scan/adapter";
import { matchesEventPattern } from "../support/event-pattern";
import { ACCOUNT, DIGEST, IMAGE_ID, REPO, REPO_ARN, scanEvent } from "./support";

const fromEvent = (event: unknown) => adapter.fromEvent?.(envelopeSchema.parse(event)) ?? [];

/** The EventBridge rules the check's triggers become (source, detail-type, detail filter). */
const rules = (imageScanTriggers.events ?? []).map((t) => ({
  source: [t.source],
  "detail-type": [t.detailType],
  ...(t.detail ? { detail: t.detail } : {}),
}));
const routed = (event: unknown) => rules.some((rule) => matchesEventPattern(rule, event));

describe("image-scan adapter: events", () => {
  it("ECR Image Scan COMPLETE names the image; its list is to be read (partial, needs refresh)", () => {
    const [o, ...rest] = fromEvent(scanEvent("ecr-image-scan-basic-complete"));
    expect(rest).toEqual([]);
    expect(o?.resource).toEqual({
      type: "AWS::ECR::ImageScan",
      id: IMAGE_ID,
      arn: REPO_ARN,
      account: ACCOUNT,
      region: "us-east-1",
      name: `${REPO}:2025.03.18-1`,
    });
    expect(o).toMatchObject({
      complete: false,
      needsRefresh: true,
      tagsKnown: false,
      observedAt: "2025-03-18T11:47:39Z",
    });
    expect(o?.state).toMatchObject({
      scanner: "basic",
      repositoryName: REPO,
      imageDigest: DIGEST,
      vulnerabilities: [],
    });
  });

  it("a FAILED basic scan yields nothing (and the rule does not route it)", () => {
    const failed = scanEvent("ecr-image-scan-basic-failed");
    expect(fromEvent(failed)).toEqual([]);
    expect(routed(failed)).toBe(false);
  });

  it("Inspector2 Finding on an ECR image: the image, read through Inspector", () => {
    const [o] = fromEvent(scanEvent("inspector2-finding-ecr-package-vulnerability"));
    expect(o?.resource.id).toBe(IMAGE_ID);
    expect(o?.resource.name).toBe(`${REPO}:2025.03.18-1`);
    expect(o?.state?.scanner).toBe("inspector");
    expect(o?.needsRefresh).toBe(true);
    // A CLOSED finding re-reads the list just the same.
    expect(fromEvent(scanEvent("inspector2-finding-ecr-closed"))[0]?.resource.id).toBe(IMAGE_ID);
  });

  it("Inspector2 Finding on an ECR image without details: the image comes from the resource id", () => {
    const event = scanEvent("inspector2-finding-ecr-package-vulnerability");
    const resources = event.detail.resources as Record<string, unknown>[];
    delete resources[0]?.details;
    expect(fromEvent(event)[0]?.resource.id).toBe(IMAGE_ID);
  });

  it("Inspector2 Finding on an EC2 instance is not ours: nothing, no error (and the rule does not route it)", () => {
    const ec2 = scanEvent("inspector2-finding-ec2-instance");
    expect(fromEvent(ec2)).toEqual([]);
    expect(routed(ec2)).toBe(false);
  });

  it("Inspector2 Scan: the repository ARN in `repository-name` becomes the name", () => {
    const [o] = fromEvent(scanEvent("inspector2-scan-ecr-initial-scan-complete"));
    expect(o?.resource.id).toBe(IMAGE_ID);
    expect(o?.state).toMatchObject({ scanner: "inspector", repositoryName: REPO, registryId: ACCOUNT });
    const other = scanEvent("inspector2-scan-ecr-initial-scan-complete");
    other.detail["scan-status"] = "SCAN_ELIGIBILITY_EXPIRED";
    expect(fromEvent(other)).toEqual([]);
    expect(routed(other)).toBe(false);
  });

  it("the rules route the sample events the check acts on", () => {
    for (const name of [
      "ecr-image-scan-basic-complete",
      "ecr-image-scan-basic-clean-rescan",
      "inspector2-finding-ecr-package-vulnerability",
      "inspector2-finding-ecr-closed",
      "inspector2-scan-ecr-initial-scan-complete",
    ])
      expect(routed(scanEvent(name)), name).toBe(true);
  });

  it.each([
    ["no digest", (d: Record<string, unknown>) => delete d["image-digest"]],
    ["a tag where the digest goes", (d: Record<string, unknown>) => (d["image-digest"] = "latest")],
    ["no repository", (d: Record<string, unknown>) => delete d["repository-name"]],
    [
      "counts that are not numbers",
      (d: Record<string, unknown>) => (d["finding-severity-counts"] = { HIGH: "11" }),
    ],
  ])("ECR Image Scan with %s is unusable", (_name, spoil) => {
    const event = scanEvent("ecr-image-scan-basic-complete");
    spoil(event.detail);
    expect(() => fromEvent(event)).toThrow(UnusableEventError);
  });

  it.each([
    ["no resources", (d: Record<string, unknown>) => delete d.resources],
    [
      "an ECR image resource naming no image",
      (d: Record<string, unknown>) => {
        d.resources = [{ type: "AWS_ECR_CONTAINER_IMAGE", id: "not-an-arn" }];
      },
    ],
    ["no finding ARN", (d: Record<string, unknown>) => delete d.findingArn],
  ])("Inspector2 Finding with %s is unusable", (_name, spoil) => {
    const event = scanEvent("inspector2-finding-ecr-package-vulnerability");
    spoil(event.detail);
    expect(() => fromEvent(event)).toThrow(UnusableEventError);
  });
});
