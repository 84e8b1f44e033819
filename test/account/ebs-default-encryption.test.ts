import {
  EC2Client,
  EnableEbsEncryptionByDefaultCommand,
  GetEbsEncryptionByDefaultCommand,
} from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import type { RemediationClients } from "../../shared/remediations/define";
import enableEbs from "../../shared/remediations/enable-ebs-default-encryption";
import { UnusableEventError } from "../../shared/resources/adapter";
import adapter from "../../shared/resources/ebs-default-encryption/adapter";
import type { EbsDefaultEncryptionState } from "../../shared/resources/ebs-default-encryption/state";
import { testRuntime, type TestRuntime } from "../support/runtime";
import { ACCOUNT, EBS_ID, REGION, accountEvent, check, context, detailOf, idFor } from "./support";

const DISABLE = "ebs-default-encryption/DisableEbsEncryptionByDefault.json";
const ENABLE = "ebs-default-encryption/EnableEbsEncryptionByDefault.json";
const off: EbsDefaultEncryptionState = { account: ACCOUNT, region: REGION, enabled: false };

describe("EC2.7 (pure)", () => {
  const ec2_7 = check("EC2.7");

  it("catalog metadata: medium, FSBP EC2.7 / CIS 2.2.1, both calls trigger it, auto re-enable", () => {
    expect(ec2_7.definition).toMatchObject({
      severity: "MEDIUM",
      resourceType: "AWS::EC2::EbsEncryptionByDefault",
      controls: ["FSBP EC2.7", "CIS 2.2.1"],
      triggers: {
        cloudTrail: [
          {
            eventSource: "ec2.amazonaws.com",
            eventNames: ["DisableEbsEncryptionByDefault", "EnableEbsEncryptionByDefault"],
          },
        ],
        config: [],
      },
      iamActions: [],
      remediation: { id: "enable-ebs-default-encryption", defaultMode: "auto" },
    });
  });

  it("off is a violation naming account and Region; on is compliant", () => {
    expect(ec2_7.evaluate(off, context)).toEqual([
      {
        summary: "EBS encryption by default is off in us-east-1 (account 111122223333)",
        evidence: { account: ACCOUNT, region: REGION, ebsEncryptionByDefault: false },
      },
    ]);
    expect(ec2_7.evaluate({ ...off, enabled: true }, context)).toEqual([]);
  });
});

describe("EBS encryption-by-default adapter", () => {
  const observe = (file: string, change?: (d: Record<string, unknown>) => void) =>
    adapter.fromCloudTrail(detailOf(file, change), ACCOUNT);

  it("Disable: the setting of the call's account and Region, off, complete, no tags to read", () => {
    expect(observe(DISABLE)).toEqual([
      {
        resource: {
          type: "AWS::EC2::EbsEncryptionByDefault",
          id: EBS_ID,
          arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:ebs-encryption-by-default`,
          account: ACCOUNT,
          region: REGION,
          name: "EBS encryption by default",
        },
        state: off,
        complete: true,
        observedAt: "2025-03-14T16:10:03Z",
        tagsKnown: true,
      },
    ]);
  });

  it("Enable: on", () => {
    expect(observe(ENABLE)[0]?.state).toEqual({ ...off, enabled: true });
  });

  it("the answer's value wins (also as a string); without an answer the call's name says it", () => {
    const answer = (value: unknown) => (d: Record<string, unknown>) => {
      d.responseElements = { DisableEbsEncryptionByDefaultResponse: { ebsEncryptionByDefault: value } };
    };
    expect(observe(DISABLE, answer("false"))[0]?.state?.enabled).toBe(false);
    expect(observe(DISABLE, answer(true))[0]?.state?.enabled).toBe(true);
    expect(observe(DISABLE, (d) => (d.responseElements = null))[0]?.state?.enabled).toBe(false);
    expect(observe(ENABLE, (d) => (d.responseElements = null))[0]?.state?.enabled).toBe(true);
  });

  it("a GovCloud Region gets its partition in the ARN", () => {
    const [o] = observe(DISABLE, (d) => (d.awsRegion = "us-gov-west-1"));
    expect(o?.resource).toMatchObject({
      id: `${ACCOUNT}:us-gov-west-1`,
      arn: `arn:aws-us-gov:ec2:us-gov-west-1:${ACCOUNT}:ebs-encryption-by-default`,
    });
  });

  it("an unreadable answer or another call is unusable", () => {
    expect(() =>
      observe(DISABLE, (d) => {
        d.responseElements = { DisableEbsEncryptionByDefaultResponse: { ebsEncryptionByDefault: "maybe" } };
      }),
    ).toThrow(UnusableEventError);
    expect(() => observe(DISABLE, (d) => (d.eventName = "ModifyEbsDefaultKmsKeyId"))).toThrow(
      /no EBS encryption-by-default reader/,
    );
  });

  it("an account setting has no tags and no Config item", async () => {
    await expect(adapter.readTags(observe(DISABLE)[0]!, {} as never)).resolves.toEqual({});
    expect(() => adapter.fromConfigItem({} as never)).toThrow(UnusableEventError);
  });
});

describe("EBS default encryption through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());
  const enables = (tr: TestRuntime) =>
    tr.ec2.commandCalls(EnableEbsEncryptionByDefaultCommand).map((c) => c.args[0].input);

  it("non-compliant: Disable is turned back on at once; finding REMEDIATED with who, from where, with what", async () => {
    t = await testRuntime();
    t.ec2.on(EnableEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: true });
    const report = await processEvent(accountEvent(DISABLE), t.runtime);

    expect(report.outcome).toBe("processed");
    expect(enables(t)).toEqual([{}]);
    expect(t.ec2.calls()).toHaveLength(1);
    const finding = await t.runtime.store.get(idFor("EC2.7", EBS_ID));
    expect(finding).toMatchObject({
      status: "REMEDIATED",
      severity: "MEDIUM",
      controls: ["FSBP EC2.7", "CIS 2.2.1"],
      resource: { type: "AWS::EC2::EbsEncryptionByDefault", id: EBS_ID, region: REGION },
      evidence: [{ account: ACCOUNT, region: REGION, ebsEncryptionByDefault: false }],
      actor: {
        type: "AssumedRole",
        arn: "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_PlatformAdmin_5c2e9a7b1d3f4e60/dana.lee@example.com",
        sessionIssuerArn:
          "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PlatformAdmin_5c2e9a7b1d3f4e60",
        sourceIp: "203.0.113.57",
        userAgent: expect.stringContaining("md/command#ec2.disable-ebs-encryption-by-default"),
        accessKeyId: "ASIAXMPL2QW8E4R6T9YU",
      },
      remediation: {
        remediationId: "enable-ebs-default-encryption",
        mode: "auto",
        result: "succeeded",
        action: "EBS encryption by default is on again in us-east-1",
      },
    });
    expect(finding?.remediation?.undo).toBeUndefined();
    expect(finding?.remediation?.detail).toMatch(/default KMS key is unchanged.*not undoable by design/);
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("compliant: Enable by anyone resolves the open finding, and sends nothing", async () => {
    t = await testRuntime({ config: { modes: { "EC2.7": "off" } } });
    await processEvent(accountEvent(DISABLE), t.runtime);
    expect((await t.runtime.store.get(idFor("EC2.7", EBS_ID)))?.status).toBe("OPEN");
    const report = await processEvent(accountEvent(ENABLE), t.runtime);
    expect(report.outcome).toBe("processed");
    expect((await t.runtime.store.get(idFor("EC2.7", EBS_ID)))?.status).toBe("RESOLVED");
    expect(t.ec2.calls()).toHaveLength(0);
  });

  it("compliant: Enable alone opens nothing and reads nothing", async () => {
    t = await testRuntime();
    await processEvent(accountEvent(ENABLE), t.runtime);
    expect(await t.runtime.store.list()).toEqual([]);
    expect(t.ec2.calls()).toHaveLength(0);
  });

  it("dry-run plans the call and sends nothing", async () => {
    t = await testRuntime({ config: { modeOverride: "dry-run" } });
    await processEvent(accountEvent(DISABLE), t.runtime);
    expect(t.ec2.calls()).toHaveLength(0);
    expect(await t.runtime.store.get(idFor("EC2.7", EBS_ID))).toMatchObject({
      status: "OPEN",
      remediation: {
        mode: "dry-run",
        result: "planned",
        action: "EnableEbsEncryptionByDefault in us-east-1 (account 111122223333)",
      },
    });
  });

  it("not applicable: an account exempt in config is suppressed, never touched", async () => {
    t = await testRuntime({
      config: { exemptions: [{ checks: ["EC2.7"], accounts: [ACCOUNT], reason: "GPU AMI sharing lab" }] },
    });
    await processEvent(accountEvent(DISABLE), t.runtime);
    expect(t.ec2.calls()).toHaveLength(0);
    expect(await t.runtime.store.get(idFor("EC2.7", EBS_ID))).toMatchObject({
      status: "SUPPRESSED",
      suppression: { source: "config", reason: "GPU AMI sharing lab" },
    });
  });

  it("not applicable: a Disable that failed (UnauthorizedOperation) changed nothing", async () => {
    t = await testRuntime();
    const event = accountEvent(DISABLE);
    Object.assign(event.detail, { errorCode: "Client.UnauthorizedOperation", responseElements: null });
    expect((await processEvent(event, t.runtime)).outcome).toBe("ignored");
    expect(t.ec2.calls()).toHaveLength(0);
  });

  it("malformed answer: invalid, nothing changed", async () => {
    t = await testRuntime();
    const event = accountEvent(DISABLE);
    event.detail.responseElements = { DisableEbsEncryptionByDefaultResponse: { ebsEncryptionByDefault: 7 } };
    expect((await processEvent(event, t.runtime)).outcome).toBe("invalid");
    expect(t.ec2.calls()).toHaveLength(0);
    expect(await t.runtime.store.list()).toEqual([]);
  });
});

describe("enable-ebs-default-encryption", () => {
  const ec2Client = new EC2Client({ region: REGION });
  const ec2 = mockClient(ec2Client);
  const clients = { ec2: () => ec2Client } as unknown as RemediationClients;
  const violation = { summary: "s", evidence: { ebsEncryptionByDefault: false } };
  afterEach(() => ec2.reset());
  const run = (state = off, dryRun = false) =>
    enableEbs.apply({ state, violations: [violation], dryRun }, clients);

  it("reads the setting back only when the answer leaves it out", async () => {
    ec2.on(EnableEbsEncryptionByDefaultCommand).resolves({});
    ec2.on(GetEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: true, SseType: "sse-ebs" });
    expect(await run()).toMatchObject({ result: "succeeded", awsCalls: 2 });
    expect(ec2.commandCalls(GetEbsEncryptionByDefaultCommand)).toHaveLength(1);
  });

  it("EC2 answering it is still off: failed, the finding stays open", async () => {
    ec2.on(EnableEbsEncryptionByDefaultCommand).resolves({ EbsEncryptionByDefault: false });
    expect(await run()).toMatchObject({
      result: "failed",
      action: expect.stringMatching(/does not confirm/),
    });
  });

  it("a setting of another Region is left alone (the client acts in its own Region)", async () => {
    expect(await run({ ...off, region: "eu-west-1" })).toMatchObject({
      result: "skipped",
      action: "not remediated: the setting is in eu-west-1, Vigil's client acts in us-east-1",
    });
    expect(ec2.calls()).toHaveLength(0);
  });

  it("no undo by design, and no undo actions asked for", async () => {
    expect(enableEbs.undoIamActions).toEqual([]);
    expect(enableEbs.iamActions).toEqual([
      "ec2:EnableEbsEncryptionByDefault",
      "ec2:GetEbsEncryptionByDefault",
    ]);
    await expect(enableEbs.undo({ remediationId: enableEbs.id, params: {} }, clients)).rejects.toThrow(
      /not undoable by design.*exempt EC2.7/,
    );
  });
});
