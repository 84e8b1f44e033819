import { GetResourceConfigHistoryCommand } from "@aws-sdk/client-config-service";
import {
  DeletePublicAccessBlockCommand,
  GetPublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
} from "@aws-sdk/client-s3-control";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import restore from "../../shared/remediations/restore-account-public-access-block";
import { UnusableEventError } from "../../shared/resources/adapter";
import adapter from "../../shared/resources/account-public-access-block/adapter";
import type { AccountPublicAccessBlockState } from "../../shared/resources/account-public-access-block/state";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { ACCOUNT, accountEvent, awsError, check, context, detailOf, idFor } from "./support";

const ALL_FALSE = "s3-account/PutAccountPublicAccessBlock-all-false.json";
const POLICY_OFF = "s3-account/PutAccountPublicAccessBlock-policy-flags-off.json";
const ALL_TRUE = "s3-account/PutAccountPublicAccessBlock-all-true.json";
const DELETE = "s3-account/DeleteAccountPublicAccessBlock.json";
const S3_1 = idFor("S3.1", ACCOUNT, "global");

const flags = (
  BlockPublicAcls: boolean,
  IgnorePublicAcls: boolean,
  BlockPublicPolicy: boolean,
  RestrictPublicBuckets: boolean,
) => ({
  BlockPublicAcls,
  IgnorePublicAcls,
  BlockPublicPolicy,
  RestrictPublicBuckets,
});
const ALL_ON = flags(true, true, true, true);
const NONE_ON = flags(false, false, false, false);

/** A Config history item of the account's configuration as Config writes it (camelCase JSON string). */
function historyItem(f: ReturnType<typeof flags>, capturedAt = "2025-03-10T08:00:00.000Z", status = "OK") {
  return {
    resourceType: "AWS::S3::AccountPublicAccessBlock" as const,
    resourceId: ACCOUNT,
    accountId: ACCOUNT,
    configurationItemStatus: status as "OK",
    configurationItemCaptureTime: new Date(capturedAt),
    configuration: JSON.stringify({
      blockPublicAcls: f.BlockPublicAcls,
      ignorePublicAcls: f.IgnorePublicAcls,
      blockPublicPolicy: f.BlockPublicPolicy,
      restrictPublicBuckets: f.RestrictPublicBuckets,
    }),
  };
}

describe("S3.1 (pure)", () => {
  const s3_1 = check("S3.1");
  const state = (
    configuration: AccountPublicAccessBlockState["configuration"],
  ): AccountPublicAccessBlockState => ({
    accountId: ACCOUNT,
    configuration,
    changedAt: "2025-03-17T10:14:22Z",
  });

  it("catalog metadata: medium, FSBP S3.1 / CIS 2.1.4, the two account calls, auto restore", () => {
    expect(s3_1.definition).toMatchObject({
      severity: "MEDIUM",
      resourceType: "AWS::S3::AccountPublicAccessBlock",
      controls: ["FSBP S3.1", "CIS 2.1.4"],
      triggers: {
        cloudTrail: [
          {
            eventSource: "s3.amazonaws.com",
            eventNames: ["PutAccountPublicAccessBlock", "DeleteAccountPublicAccessBlock"],
          },
        ],
        config: [],
      },
      remediation: { id: "restore-account-public-access-block", defaultMode: "auto" },
    });
  });

  it("each flag that is off is named; all four on is compliant; no configuration is all off", () => {
    expect(s3_1.evaluate(state(ALL_ON), context)).toEqual([]);
    expect(s3_1.evaluate(state(flags(true, true, false, false)), context)).toEqual([
      {
        summary: "S3 Block Public Access is off for the account: BlockPublicPolicy, RestrictPublicBuckets",
        evidence: {
          accountId: ACCOUNT,
          configuration: flags(true, true, false, false),
          off: ["BlockPublicPolicy", "RestrictPublicBuckets"],
        },
      },
    ]);
    expect(s3_1.evaluate(state(null), context)).toEqual([
      {
        summary: "the account's S3 Block Public Access configuration was deleted: nothing is blocked",
        evidence: {
          accountId: ACCOUNT,
          configuration: "deleted",
          off: ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"],
        },
      },
    ]);
  });
});

describe("S3 account Block Public Access adapter", () => {
  const observe = (file: string, change?: (d: Record<string, unknown>) => void) =>
    adapter.fromCloudTrail(detailOf(file, change), ACCOUNT);

  it("Put: the four flags the call set, one account-wide finding (global), complete, no tags", () => {
    expect(observe(POLICY_OFF)).toEqual([
      {
        resource: {
          type: "AWS::S3::AccountPublicAccessBlock",
          id: ACCOUNT,
          arn: `arn:aws:s3::${ACCOUNT}:account-public-access-block`,
          account: ACCOUNT,
          region: "global",
          name: "S3 account Block Public Access",
        },
        state: {
          accountId: ACCOUNT,
          configuration: flags(true, true, false, false),
          changedAt: "2025-03-17T10:20:09Z",
        },
        complete: true,
        observedAt: "2025-03-17T10:20:09Z",
        tagsKnown: true,
      },
    ]);
  });

  it("a call through another Region's endpoint meets the same finding", () => {
    const [o] = observe(ALL_FALSE, (d) => (d.awsRegion = "eu-west-1"));
    expect(o?.resource).toMatchObject({ id: ACCOUNT, region: "global" });
  });

  it("flags as strings are read; a flag left out is off (the call replaces the configuration)", () => {
    const [o] = observe(ALL_TRUE, (d) => {
      d.requestParameters = {
        PublicAccessBlockConfiguration: { BlockPublicAcls: "true", IgnorePublicAcls: true },
      };
    });
    expect(o?.state?.configuration).toEqual(flags(true, true, false, false));
  });

  it("Delete: no configuration", () => {
    expect(observe(DELETE)[0]?.state).toEqual({
      accountId: ACCOUNT,
      configuration: null,
      changedAt: "2025-03-17T10:31:55Z",
    });
  });

  it.each([
    [
      "no configuration in the request (pre-2019 records)",
      (d: Record<string, unknown>) => (d.requestParameters = { host: ["x"] }),
    ],
    [
      "a flag that is no boolean",
      (d: Record<string, unknown>) =>
        (d.requestParameters = { PublicAccessBlockConfiguration: { BlockPublicAcls: 1 } }),
    ],
    ["no requestParameters", (d: Record<string, unknown>) => (d.requestParameters = null)],
  ])("%s: unusable", (_, change) => {
    expect(() => observe(ALL_FALSE, change)).toThrow(UnusableEventError);
  });
});

describe("S3 account Block Public Access through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());
  const history = (tr: TestRuntime) =>
    tr.configService.commandCalls(GetResourceConfigHistoryCommand).map((c) => c.args[0].input);
  const puts = (tr: TestRuntime) =>
    tr.s3Control.commandCalls(PutPublicAccessBlockCommand).map((c) => c.args[0].input);

  it("non-compliant: all four off are turned back on as they were before (Config history); REMEDIATED with undo", async () => {
    t = await testRuntime();
    t.configService
      .on(GetResourceConfigHistoryCommand)
      .resolves({ configurationItems: [historyItem(ALL_ON)] });
    t.s3Control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: NONE_ON });
    t.s3Control.on(PutPublicAccessBlockCommand).resolves({});
    const report = await processEvent(accountEvent(ALL_FALSE), t.runtime);

    expect(report.outcome).toBe("processed");
    expect(history(t)).toEqual([
      {
        resourceType: "AWS::S3::AccountPublicAccessBlock",
        resourceId: ACCOUNT,
        laterTime: new Date("2025-03-17T10:14:22Z"),
        limit: 1,
      },
    ]);
    expect(t.s3Control.commandCalls(GetPublicAccessBlockCommand).map((c) => c.args[0].input)).toEqual([
      { AccountId: ACCOUNT },
    ]);
    expect(puts(t)).toEqual([{ AccountId: ACCOUNT, PublicAccessBlockConfiguration: ALL_ON }]);
    const finding = await t.runtime.store.get(S3_1);
    expect(finding).toMatchObject({
      status: "REMEDIATED",
      severity: "MEDIUM",
      resource: { id: ACCOUNT, region: "global" },
      actor: {
        type: "IAMUser",
        arn: "arn:aws:iam::111122223333:user/deploy-ci",
        userName: "deploy-ci",
        accessKeyId: "AKIAXMPLV3N8Q1W5E7RT",
        sourceIp: "192.0.2.77",
        userAgent: expect.stringContaining("s3control.put-public-access-block"),
      },
      remediation: {
        result: "succeeded",
        action:
          "account 111122223333: turned back on BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets " +
          "(what was on before the change, per AWS Config as of 2025-03-10T08:00:00.000Z: " +
          "BlockPublicAcls=true IgnorePublicAcls=true BlockPublicPolicy=true RestrictPublicBuckets=true)",
        detail: expect.stringContaining(`accounts: ["${ACCOUNT}"]`),
        undo: {
          remediationId: "restore-account-public-access-block",
          params: { accountId: ACCOUNT, before: NONE_ON, after: ALL_ON },
        },
      },
    });
  });

  it("only what was on before comes back: a flag off before the change stays off and the finding stays open", async () => {
    t = await testRuntime();
    t.configService
      .on(GetResourceConfigHistoryCommand)
      .resolves({ configurationItems: [historyItem(flags(true, true, true, false))] });
    t.s3Control
      .on(GetPublicAccessBlockCommand)
      .resolves({ PublicAccessBlockConfiguration: flags(true, true, false, false) });
    t.s3Control.on(PutPublicAccessBlockCommand).resolves({});
    await processEvent(accountEvent(POLICY_OFF), t.runtime);

    expect(puts(t)).toEqual([
      { AccountId: ACCOUNT, PublicAccessBlockConfiguration: flags(true, true, true, false) },
    ]);
    expect(await t.runtime.store.get(S3_1)).toMatchObject({
      status: "OPEN",
      remediation: {
        result: "failed",
        action: expect.stringMatching(
          /turned back on BlockPublicPolicy; RestrictPublicBuckets stay off, as before the change \(per AWS Config/,
        ),
        detail: expect.stringContaining("S3.1 still fails"),
      },
    });
  });

  it("previous flags unknown (Config doesn't record it): all four", async () => {
    t = await testRuntime();
    t.configService.on(GetResourceConfigHistoryCommand).rejects(awsError("ResourceNotDiscoveredException"));
    t.s3Control
      .on(GetPublicAccessBlockCommand)
      .resolves({ PublicAccessBlockConfiguration: flags(true, true, false, false) });
    t.s3Control.on(PutPublicAccessBlockCommand).resolves({});
    await processEvent(accountEvent(POLICY_OFF), t.runtime);
    expect(puts(t)).toEqual([{ AccountId: ACCOUNT, PublicAccessBlockConfiguration: ALL_ON }]);
    expect(await t.runtime.store.get(S3_1)).toMatchObject({
      status: "REMEDIATED",
      remediation: {
        action: expect.stringContaining(
          "AWS Config history unavailable (ResourceNotDiscoveredException), so all four",
        ),
      },
    });
  });

  it("Delete: restored from nothing; undo would delete the configuration again", async () => {
    t = await testRuntime();
    t.configService
      .on(GetResourceConfigHistoryCommand)
      .resolves({ configurationItems: [historyItem(ALL_ON)] });
    t.s3Control
      .on(GetPublicAccessBlockCommand)
      .rejects(
        awsError("NoSuchPublicAccessBlockConfiguration", "not found", { $metadata: { httpStatusCode: 404 } }),
      );
    t.s3Control.on(PutPublicAccessBlockCommand).resolves({});
    await processEvent(accountEvent(DELETE), t.runtime);
    expect(puts(t)).toEqual([{ AccountId: ACCOUNT, PublicAccessBlockConfiguration: ALL_ON }]);
    expect(await t.runtime.store.get(S3_1)).toMatchObject({
      status: "REMEDIATED",
      summary: "the account's S3 Block Public Access configuration was deleted: nothing is blocked",
      remediation: { undo: { params: { before: null, after: ALL_ON } } },
    });
  });

  it("compliant: all four on resolves the open finding, with no AWS call", async () => {
    t = await testRuntime({ config: { modes: { "S3.1": "off" } } });
    await processEvent(accountEvent(ALL_FALSE), t.runtime);
    expect((await t.runtime.store.get(S3_1))?.status).toBe("OPEN");
    await processEvent(accountEvent(ALL_TRUE), t.runtime);
    expect((await t.runtime.store.get(S3_1))?.status).toBe("RESOLVED");
    expect([...t.s3Control.calls(), ...t.configService.calls()]).toHaveLength(0);
  });

  it("dry-run plans and calls nothing (not even the history read)", async () => {
    t = await testRuntime({ config: { modeOverride: "dry-run" } });
    await processEvent(accountEvent(ALL_FALSE), t.runtime);
    expect([...t.s3Control.calls(), ...t.configService.calls()]).toHaveLength(0);
    expect(await t.runtime.store.get(S3_1)).toMatchObject({
      status: "OPEN",
      remediation: { result: "planned", action: expect.stringContaining("before 2025-03-17T10:14:22Z") },
    });
  });

  it("not applicable: the account exempt in config (the only way: no tags on an account setting)", async () => {
    t = await testRuntime({
      config: { exemptions: [{ checks: ["S3.1"], accounts: [ACCOUNT], reason: "public website account" }] },
    });
    await processEvent(accountEvent(ALL_FALSE), t.runtime);
    expect([...t.s3Control.calls(), ...t.configService.calls()]).toHaveLength(0);
    expect((await t.runtime.store.get(S3_1))?.status).toBe("SUPPRESSED");
  });

  it("denied (organization-level policy or missing permission): failed, explained, stays open", async () => {
    t = await testRuntime();
    t.configService.on(GetResourceConfigHistoryCommand).resolves({ configurationItems: [] });
    t.s3Control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: NONE_ON });
    t.s3Control.on(PutPublicAccessBlockCommand).rejects(awsError("AccessDenied", "Access Denied"));
    await processEvent(accountEvent(ALL_FALSE), t.runtime);
    expect(await t.runtime.store.get(S3_1)).toMatchObject({
      status: "OPEN",
      remediation: {
        result: "failed",
        detail: expect.stringContaining("organization-level Block Public Access policy"),
      },
    });
  });

  it("already back on by the time Vigil looks: nothing sent, REMEDIATED as already gone", async () => {
    t = await testRuntime();
    t.configService
      .on(GetResourceConfigHistoryCommand)
      .resolves({ configurationItems: [historyItem(ALL_ON)] });
    t.s3Control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ALL_ON });
    await processEvent(accountEvent(ALL_FALSE), t.runtime);
    expect(puts(t)).toEqual([]);
    expect(await t.runtime.store.get(S3_1)).toMatchObject({
      status: "REMEDIATED",
      remediation: { result: "already-gone" },
    });
  });

  it("nothing was on before either (Config: no configuration then): nothing sent, the finding stays open", async () => {
    t = await testRuntime();
    t.configService.on(GetResourceConfigHistoryCommand).resolves({
      configurationItems: [historyItem(NONE_ON, "2025-03-10T08:00:00.000Z", "ResourceDeleted")],
    });
    t.s3Control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: NONE_ON });
    await processEvent(accountEvent(ALL_FALSE), t.runtime);
    expect(puts(t)).toEqual([]);
    expect(await t.runtime.store.get(S3_1)).toMatchObject({
      status: "OPEN",
      remediation: {
        result: "skipped",
        action: expect.stringContaining(
          "were off before the change too (per AWS Config as of 2025-03-10T08:00:00.000Z: no configuration)",
        ),
      },
    });
  });

  it("malformed request: invalid, nothing read or changed", async () => {
    t = await testRuntime();
    const event = accountEvent(ALL_FALSE);
    event.detail.requestParameters = { host: ["111122223333.s3-control.us-east-1.amazonaws.com"] };
    expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
    expect([...t.s3Control.calls(), ...t.configService.calls()]).toHaveLength(0);
    expect(await t.runtime.store.list()).toEqual([]);
  });
});

describe("restore-account-public-access-block undo", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());
  const payload = (before: ReturnType<typeof flags> | null) => ({
    remediationId: restore.id,
    params: {
      accountId: ACCOUNT,
      before,
      after: ALL_ON,
      exemptChecks: ["S3.1"],
      exemptionTagKey: "vigil:exempt",
    },
  });

  it("puts back exactly what the user set, and says an exemption in config is needed to keep it", async () => {
    t = await testRuntime();
    t.s3Control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ALL_ON });
    t.s3Control.on(PutPublicAccessBlockCommand).resolves({});
    const message = await restore.undo(
      payload(flags(true, false, false, false)),
      t.runtime.remediationClients!,
    );
    expect(t.s3Control.commandCalls(PutPublicAccessBlockCommand).map((c) => c.args[0].input)).toEqual([
      { AccountId: ACCOUNT, PublicAccessBlockConfiguration: flags(true, false, false, false) },
    ]);
    expect(message).toMatch(
      /put back to BlockPublicAcls=true IgnorePublicAcls=false .*unless Vigil's config exempts S3.1/,
    );
  });

  it("no configuration before: deletes it again", async () => {
    t = await testRuntime();
    t.s3Control.on(GetPublicAccessBlockCommand).resolves({ PublicAccessBlockConfiguration: ALL_ON });
    t.s3Control.on(DeletePublicAccessBlockCommand).resolves({});
    await restore.undo(payload(null), t.runtime.remediationClients!);
    expect(t.s3Control.commandCalls(DeletePublicAccessBlockCommand).map((c) => c.args[0].input)).toEqual([
      { AccountId: ACCOUNT },
    ]);
    expect(t.s3Control.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(0);
  });

  it("changed since Vigil restored it: refuses, overwrites nothing", async () => {
    t = await testRuntime();
    t.s3Control
      .on(GetPublicAccessBlockCommand)
      .resolves({ PublicAccessBlockConfiguration: flags(true, true, true, false) });
    await expect(restore.undo(payload(NONE_ON), t.runtime.remediationClients!)).rejects.toThrow(
      /changed since Vigil restored it/,
    );
    expect(t.s3Control.commandCalls(PutPublicAccessBlockCommand)).toHaveLength(0);
  });

  it("a payload that is not one of this remediation's is refused", async () => {
    t = await testRuntime();
    await expect(
      restore.undo({ remediationId: restore.id, params: { accountId: "x" } }, t.runtime.remediationClients!),
    ).rejects.toThrow();
    expect(t.s3Control.calls()).toHaveLength(0);
  });
});
