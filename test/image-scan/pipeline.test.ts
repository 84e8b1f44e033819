import { DescribeImageScanFindingsCommand, ListTagsForResourceCommand } from "@aws-sdk/client-ecr";
import { DescribeTasksCommand, ListClustersCommand, ListTasksCommand } from "@aws-sdk/client-ecs";
import { ListFindingsCommand } from "@aws-sdk/client-inspector2";
import { afterEach, describe, expect, it, vi } from "vitest";
import { logger } from "../../shared/log";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import {
  ACCOUNT,
  CLUSTER,
  DIGEST,
  IMAGE_ID,
  REPO,
  REPO_ARN,
  TASK,
  awsError,
  basicFinding,
  findingIdOf,
  inspectorFinding,
  scanEvent,
  stubBasicFindings,
  stubEcsEmpty,
  stubEcsRunning,
  stubInspectorFindings,
  stubRepositoryTags,
} from "./support";

const DESCRIBE_INPUT = {
  registryId: ACCOUNT,
  repositoryName: REPO,
  imageId: { imageDigest: DIGEST },
  maxResults: 1000,
};
const LIST_FINDINGS_INPUT = {
  filterCriteria: {
    awsAccountId: [{ comparison: "EQUALS", value: ACCOUNT }],
    ecrImageRepositoryName: [{ comparison: "EQUALS", value: REPO }],
    ecrImageHash: [{ comparison: "EQUALS", value: DIGEST }],
    findingStatus: [{ comparison: "EQUALS", value: "ACTIVE" }],
  },
  maxResults: 100,
};

const CRITICALS = [
  basicFinding("CVE-2025-21001", "CRITICAL", "glibc", "2.36-9"),
  basicFinding("CVE-2025-21002", "CRITICAL", "openssl", "3.0.8-1"),
  basicFinding("CVE-2025-21003", "HIGH", "curl", "7.88.1-10"),
  basicFinding("CVE-2025-21004", "MEDIUM", "zlib", "1.2.13"),
];

describe("VIGIL.IMAGE.VULNERABILITIES through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => {
    vi.restoreAllMocks();
    await t.close();
  });

  async function open(): Promise<void> {
    stubBasicFindings(t, CRITICALS);
    stubEcsEmpty(t);
    stubRepositoryTags(t);
    const report = await processEvent(scanEvent("ecr-image-scan-basic-complete"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect((await t.runtime.store.get(findingIdOf()))?.status).toBe("OPEN");
  }

  it("basic scan COMPLETE with criticals: OPEN, one finding for the image, with ECR's counts and the top CVEs", async () => {
    t = await testRuntime();
    stubBasicFindings(t, CRITICALS);
    stubEcsEmpty(t);
    stubRepositoryTags(t, { team: "orders" });
    const report = await processEvent(scanEvent("ecr-image-scan-basic-complete"), t.runtime);

    expect(report.outcome).toBe("processed");
    expect(t.ecr.commandCalls(DescribeImageScanFindingsCommand).map((c) => c.args[0].input)).toEqual([
      DESCRIBE_INPUT,
    ]);
    expect(t.ecr.commandCalls(ListTagsForResourceCommand).map((c) => c.args[0].input)).toEqual([
      { resourceArn: REPO_ARN },
    ]);
    expect(t.inspector2.commandCalls(ListFindingsCommand)).toHaveLength(0);

    const findings = await t.runtime.store.list();
    expect(findings.map((f) => f.id)).toEqual([findingIdOf()]);
    const finding = findings[0];
    expect(finding).toMatchObject({
      checkId: "VIGIL.IMAGE.VULNERABILITIES",
      status: "OPEN",
      severity: "CRITICAL",
      controls: [],
      resource: { type: "AWS::ECR::ImageScan", id: IMAGE_ID, arn: REPO_ARN, name: `${REPO}:2025.03.18-1` },
    });
    expect(finding?.evidence[0]).toMatchObject({
      image: IMAGE_ID,
      tags: ["2025.03.18-1"],
      scanner: "ECR basic scanning",
      counts: { CRITICAL: 2, HIGH: 1, MEDIUM: 1, LOW: 0, INFORMATIONAL: 0 },
      opening: 2,
      runningIn: { ecs: { status: "not-running", clustersChecked: 0 } },
    });
    expect(finding?.evidence[0]?.topCves).toEqual([
      {
        id: "CVE-2025-21001",
        severity: "CRITICAL",
        package: "glibc",
        installedVersion: "2.36-9",
        fixAvailable: "unknown",
      },
      {
        id: "CVE-2025-21002",
        severity: "CRITICAL",
        package: "openssl",
        installedVersion: "3.0.8-1",
        fixAvailable: "unknown",
      },
      {
        id: "CVE-2025-21003",
        severity: "HIGH",
        package: "curl",
        installedVersion: "7.88.1-10",
        fixAvailable: "unknown",
      },
      {
        id: "CVE-2025-21004",
        severity: "MEDIUM",
        package: "zlib",
        installedVersion: "1.2.13",
        fixAvailable: "unknown",
      },
    ]);
    expect(t.notifier.alerts).toHaveLength(1);
    expect(t.notifier.alerts[0]?.severity).toBe("CRITICAL");
  });

  it("a clean rescan RESOLVES the finding (the current list, not the event, is the truth)", async () => {
    t = await testRuntime();
    await open();
    t.ecr.reset();
    t.ecs.reset();
    stubBasicFindings(t, []);
    const report = await processEvent(scanEvent("ecr-image-scan-basic-clean-rescan"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(t.ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(1);
    // Nothing violates: no ECS lookup, no tag read.
    expect(t.ecs.calls()).toHaveLength(0);
    expect(t.ecr.commandCalls(ListTagsForResourceCommand)).toHaveLength(0);
    const finding = await t.runtime.store.get(findingIdOf());
    expect(finding?.status).toBe("RESOLVED");
    expect(finding?.history.map((h) => h.to)).toEqual(["OPEN", "RESOLVED"]);
  });

  it("a rescan event whose list still shows the criticals keeps the finding OPEN", async () => {
    t = await testRuntime();
    await open();
    await processEvent(scanEvent("ecr-image-scan-basic-clean-rescan"), t.runtime);
    expect((await t.runtime.store.get(findingIdOf()))?.status).toBe("OPEN");
  });

  it("a FAILED scan changes nothing: no read, no resolve", async () => {
    t = await testRuntime();
    await open();
    t.ecr.reset();
    const report = await processEvent(scanEvent("ecr-image-scan-basic-failed"), t.runtime);
    expect(report).toMatchObject({ outcome: "processed", resources: [] });
    expect(t.ecr.calls()).toHaveLength(0);
    expect((await t.runtime.store.get(findingIdOf()))?.status).toBe("OPEN");
  });

  it.each(["IN_PROGRESS", "FAILED"])(
    "a COMPLETE event whose scan is %s again when read changes nothing",
    async (status) => {
      t = await testRuntime();
      await open();
      t.ecr.reset();
      stubBasicFindings(t, [], status);
      const report = await processEvent(scanEvent("ecr-image-scan-basic-clean-rescan"), t.runtime);
      expect(report.outcome).toBe("processed");
      expect((await t.runtime.store.get(findingIdOf()))?.status).toBe("OPEN");
    },
  );

  it("no scan found for the image changes nothing; a deleted image RESOLVES", async () => {
    t = await testRuntime();
    await open();
    t.ecr.reset();
    t.ecr.on(DescribeImageScanFindingsCommand).rejects(awsError("ScanNotFoundException"));
    await processEvent(scanEvent("ecr-image-scan-basic-clean-rescan"), t.runtime);
    expect((await t.runtime.store.get(findingIdOf()))?.status).toBe("OPEN");

    t.ecr.on(DescribeImageScanFindingsCommand).rejects(awsError("ImageNotFoundException"));
    const again = {
      ...scanEvent("ecr-image-scan-basic-clean-rescan"),
      id: "0d6f1e2a-7b3c-4c8d-9e0f-1a2b3c4d5e6f",
    };
    await processEvent(again, t.runtime);
    expect((await t.runtime.store.get(findingIdOf()))?.status).toBe("RESOLVED");
  });

  it("Inspector: a HIGH without a fix opens nothing (and costs no ECS call)", async () => {
    t = await testRuntime();
    stubInspectorFindings(t, [inspectorFinding("CVE-2025-10417", "HIGH", "NO")]);
    const report = await processEvent(scanEvent("inspector2-finding-ecr-package-vulnerability"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(t.inspector2.commandCalls(ListFindingsCommand).map((c) => c.args[0].input)).toEqual([
      LIST_FINDINGS_INPUT,
    ]);
    expect(t.ecs.calls()).toHaveLength(0);
    expect(await t.runtime.store.list()).toEqual([]);
    expect(t.notifier.alerts).toEqual([]);
  });

  it("Inspector: a HIGH with a fix opens at HIGH, with the fixed version", async () => {
    t = await testRuntime();
    stubInspectorFindings(t, [
      inspectorFinding("CVE-2025-10417", "HIGH", "YES"),
      inspectorFinding("CVE-2025-10418", "MEDIUM", "YES"),
    ]);
    stubEcsEmpty(t);
    stubRepositoryTags(t);
    await processEvent(scanEvent("inspector2-finding-ecr-package-vulnerability"), t.runtime);
    const finding = await t.runtime.store.get(findingIdOf());
    expect(finding).toMatchObject({ status: "OPEN", severity: "HIGH" });
    expect(finding?.evidence[0]).toMatchObject({
      scanner: "Amazon Inspector",
      counts: { CRITICAL: 0, HIGH: 1, MEDIUM: 1, LOW: 0, INFORMATIONAL: 0 },
      opening: 1,
    });
    expect((finding?.evidence[0]?.topCves as unknown[])[0]).toEqual({
      id: "CVE-2025-10417",
      severity: "HIGH",
      package: "libhttp2d",
      installedVersion: "1.27.1-1.amzn2023",
      fixedVersion: "0:1.27.4-1.amzn2023",
      fixAvailable: "yes",
    });
  });

  async function openFromInspector(): Promise<void> {
    stubInspectorFindings(t, [inspectorFinding("CVE-2025-10417", "HIGH", "YES")]);
    stubEcsEmpty(t);
    stubRepositoryTags(t);
    await processEvent(scanEvent("inspector2-finding-ecr-package-vulnerability"), t.runtime);
    expect((await t.runtime.store.get(findingIdOf()))?.status).toBe("OPEN");
    // Nothing asked ECR while Inspector's list had findings.
    expect(t.ecr.commandCalls(DescribeImageScanFindingsCommand)).toHaveLength(0);
  }

  it("Inspector: the finding's CLOSED event re-reads the list; with nothing active left and a current scan it RESOLVES", async () => {
    t = await testRuntime();
    await openFromInspector();
    stubInspectorFindings(t, []);
    stubBasicFindings(t, [], "ACTIVE");
    await processEvent(scanEvent("inspector2-finding-ecr-closed"), t.runtime);
    expect(t.ecr.commandCalls(DescribeImageScanFindingsCommand).map((c) => c.args[0].input)).toEqual([
      { ...DESCRIBE_INPUT, maxResults: 1 },
    ]);
    expect((await t.runtime.store.get(findingIdOf()))?.status).toBe("RESOLVED");
  });

  it.each(["SCAN_ELIGIBILITY_EXPIRED", "FINDINGS_UNAVAILABLE", "UNSUPPORTED_IMAGE"])(
    "Inspector: findings closed because the scan is %s change nothing (the image is not clean, just unwatched)",
    async (status) => {
      t = await testRuntime();
      await openFromInspector();
      stubInspectorFindings(t, []);
      stubBasicFindings(t, [], status);
      const report = await processEvent(scanEvent("inspector2-finding-ecr-closed"), t.runtime);
      expect(report.outcome).toBe("processed");
      expect((await t.runtime.store.get(findingIdOf()))?.status).toBe("OPEN");
    },
  );

  it("Inspector: an empty list for an image ECR no longer has RESOLVES", async () => {
    t = await testRuntime();
    await openFromInspector();
    stubInspectorFindings(t, []);
    t.ecr.on(DescribeImageScanFindingsCommand).rejects(awsError("ImageNotFoundException"));
    await processEvent(scanEvent("inspector2-finding-ecr-closed"), t.runtime);
    expect((await t.runtime.store.get(findingIdOf()))?.status).toBe("RESOLVED");
  });

  it("Inspector2 Scan (initial scan complete) reads the image's list", async () => {
    t = await testRuntime();
    stubInspectorFindings(t, [inspectorFinding("CVE-2025-30001", "CRITICAL", "NO")]);
    stubEcsEmpty(t);
    stubRepositoryTags(t);
    await processEvent(scanEvent("inspector2-scan-ecr-initial-scan-complete"), t.runtime);
    expect(t.inspector2.commandCalls(ListFindingsCommand).map((c) => c.args[0].input)).toEqual([
      LIST_FINDINGS_INPUT,
    ]);
    expect(await t.runtime.store.get(findingIdOf())).toMatchObject({ status: "OPEN", severity: "CRITICAL" });
  });

  it("Inspector's list is read page by page; a list cut at the page bound opens but never resolves", async () => {
    t = await testRuntime();
    stubEcsEmpty(t);
    stubRepositoryTags(t);
    t.inspector2
      .on(ListFindingsCommand)
      .resolvesOnce({ findings: [inspectorFinding("CVE-2025-40001", "LOW", "NO")], nextToken: "page-2" })
      .resolves({ findings: [inspectorFinding("CVE-2025-40002", "CRITICAL", "YES")] });
    await processEvent(scanEvent("inspector2-scan-ecr-initial-scan-complete"), t.runtime);
    const calls = t.inspector2.commandCalls(ListFindingsCommand).map((c) => c.args[0].input);
    expect(calls).toEqual([LIST_FINDINGS_INPUT, { ...LIST_FINDINGS_INPUT, nextToken: "page-2" }]);
    expect((await t.runtime.store.get(findingIdOf()))?.status).toBe("OPEN");

    t.inspector2.reset();
    t.inspector2.on(ListFindingsCommand).resolves({ findings: [], nextToken: "more" });
    await processEvent(scanEvent("inspector2-finding-ecr-closed"), t.runtime);
    expect(t.inspector2.commandCalls(ListFindingsCommand)).toHaveLength(30);
    expect((await t.runtime.store.get(findingIdOf()))?.status).toBe("OPEN");
  });

  it("an allow-listed CVE is ignored; an expired allowance counts again and is named", async () => {
    const allow = (until: string) => ({
      containers: {
        vulnerabilities: {
          allowList: [{ cve: "CVE-2025-30001", reason: "not reachable in this service", until }],
        },
      },
    });
    t = await testRuntime({ config: allow("2099-12-31") });
    stubInspectorFindings(t, [inspectorFinding("CVE-2025-30001", "CRITICAL", "NO")]);
    await processEvent(scanEvent("inspector2-scan-ecr-initial-scan-complete"), t.runtime);
    expect(await t.runtime.store.list()).toEqual([]);
    expect(t.notifier.alerts).toEqual([]);
    await t.close();

    t = await testRuntime({ config: allow("2020-01-31") });
    stubInspectorFindings(t, [inspectorFinding("CVE-2025-30001", "CRITICAL", "NO")]);
    stubEcsEmpty(t);
    stubRepositoryTags(t);
    await processEvent(scanEvent("inspector2-scan-ecr-initial-scan-complete"), t.runtime);
    const finding = await t.runtime.store.get(findingIdOf());
    expect(finding).toMatchObject({ status: "OPEN", severity: "CRITICAL" });
    expect(finding?.evidence[0]?.expiredAllowances).toEqual([{ cve: "CVE-2025-30001", until: "2020-01-31" }]);
  });

  it("an Inspector finding on an EC2 instance is ignored without error: no read, no finding", async () => {
    t = await testRuntime();
    const report = await processEvent(scanEvent("inspector2-finding-ec2-instance"), t.runtime);
    expect(report).toMatchObject({ outcome: "processed", resources: [] });
    expect([...t.inspector2.calls(), ...t.ecr.calls(), ...t.ecs.calls()]).toEqual([]);
    expect(await t.runtime.store.list()).toEqual([]);
    expect(t.logger.entries.filter((e) => e.level === "error")).toEqual([]);
  });

  it("an image running in ECS is raised one step (HIGH -> CRITICAL), found with exact ECS calls", async () => {
    t = await testRuntime();
    stubInspectorFindings(t, [inspectorFinding("CVE-2025-10417", "HIGH", "YES")]);
    stubEcsRunning(t);
    stubRepositoryTags(t);
    await processEvent(scanEvent("inspector2-finding-ecr-package-vulnerability"), t.runtime);

    expect(t.ecs.commandCalls(ListClustersCommand).map((c) => c.args[0].input)).toEqual([{}]);
    expect(t.ecs.commandCalls(ListTasksCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: CLUSTER, desiredStatus: "RUNNING", maxResults: 100 },
    ]);
    expect(t.ecs.commandCalls(DescribeTasksCommand).map((c) => c.args[0].input)).toEqual([
      { cluster: CLUSTER, tasks: [TASK] },
    ]);
    const finding = await t.runtime.store.get(findingIdOf());
    expect(finding).toMatchObject({ status: "OPEN", severity: "CRITICAL" });
    expect(finding?.evidence[0]).toMatchObject({
      runningIn: {
        ecs: { status: "running", cluster: CLUSTER, taskArn: TASK, container: "api" },
        eks: "not known: EKS usage is not looked up yet",
      },
      severityRaised: { from: "HIGH", to: "CRITICAL", because: "the image runs in ECS" },
    });
    expect(finding?.summary).toContain("runs in ECS");
  });

  it("ECS running other images only: no bump", async () => {
    t = await testRuntime();
    stubInspectorFindings(t, [inspectorFinding("CVE-2025-10417", "HIGH", "YES")]);
    stubEcsRunning(t, "sha256:" + "2".repeat(64));
    stubRepositoryTags(t);
    await processEvent(scanEvent("inspector2-finding-ecr-package-vulnerability"), t.runtime);
    const finding = await t.runtime.store.get(findingIdOf());
    expect(finding?.severity).toBe("HIGH");
    expect(finding?.evidence[0]?.runningIn).toMatchObject({
      ecs: { status: "not-running", clustersChecked: 1 },
    });
  });

  it("a failing ECS lookup logs a warning and raises nothing; the event is processed", async () => {
    t = await testRuntime();
    const warn = vi.spyOn(logger, "warn");
    stubInspectorFindings(t, [inspectorFinding("CVE-2025-10417", "HIGH", "YES")]);
    t.ecs.on(ListClustersCommand).rejects(awsError("AccessDeniedException"));
    stubRepositoryTags(t);
    const report = await processEvent(scanEvent("inspector2-finding-ecr-package-vulnerability"), t.runtime);
    expect(report.outcome).toBe("processed");
    const finding = await t.runtime.store.get(findingIdOf());
    expect(finding).toMatchObject({ status: "OPEN", severity: "HIGH" });
    expect(finding?.evidence[0]?.runningIn).toMatchObject({
      ecs: { status: "unknown", reason: "ECS lookup failed (AccessDeniedException)" },
    });
    expect(warn).toHaveBeenCalledWith(
      "could not look up whether the image runs in ECS; severity not raised",
      expect.objectContaining({ resource: IMAGE_ID }),
    );
  });

  it("the repository's vigil:exempt tag suppresses the finding", async () => {
    t = await testRuntime();
    stubBasicFindings(t, CRITICALS);
    stubEcsEmpty(t);
    stubRepositoryTags(t, {
      "vigil:exempt": "VIGIL.IMAGE.VULNERABILITIES",
      "vigil:exempt-reason": "sandbox",
    });
    await processEvent(scanEvent("ecr-image-scan-basic-complete"), t.runtime);
    expect((await t.runtime.store.get(findingIdOf()))?.status).toBe("SUPPRESSED");
  });

  it.each([
    ["no digest", (d: Record<string, unknown>) => delete d["image-digest"]],
    [
      "a detail that is not an object",
      (_d: Record<string, unknown>, e: Record<string, unknown>) => (e.detail = "x"),
    ],
  ])("a malformed scan event (%s) is invalid and changes nothing", async (_name, spoil) => {
    t = await testRuntime();
    await open();
    t.ecr.reset();
    const event = scanEvent("ecr-image-scan-basic-clean-rescan");
    spoil(event.detail, event);
    const report = await processEvent(event, t.runtime);
    expect(report.outcome).toBe("invalid");
    expect(t.ecr.calls()).toHaveLength(0);
    expect((await t.runtime.store.get(findingIdOf()))?.status).toBe("OPEN");
  });

  it("offline (no AWS access), a scan event is skipped, not judged on the event's counts", async () => {
    t = await testRuntime();
    const report = await processEvent(scanEvent("ecr-image-scan-basic-complete"), {
      ...t.runtime,
      readClients: undefined,
    });
    expect(report.outcome).toBe("ignored");
    expect(await t.runtime.store.list()).toEqual([]);
  });
});
