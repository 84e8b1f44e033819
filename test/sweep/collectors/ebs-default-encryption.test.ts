import {
  DisableEbsEncryptionByDefaultCommand,
  EnableEbsEncryptionByDefaultCommand,
} from "@aws-sdk/client-ec2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../../shared/events/cloudtrail";
import adapter from "../../../shared/resources/ebs-default-encryption/adapter";
import collector from "../../../shared/sweep/collectors/ebs-default-encryption";
import { loadEvent } from "../../support/events";
import { ACCOUNT, collectAll, startEc2Endpoint, verdicts, type Ec2Endpoint } from "./ec2-collect-context";

/** No Config item exists for this setting: the CloudTrail call is the event path's whole-state source. */
const fromCall = (name: string) =>
  adapter.fromCloudTrail(
    cloudTrailDetailSchema.parse(loadEvent(`ebs-default-encryption/${name}.json`).detail),
    ACCOUNT,
  );

describe("EBS encryption-by-default collector against the local EC2 endpoint", () => {
  let env: Ec2Endpoint;
  beforeAll(async () => {
    env = await startEc2Endpoint();
  });
  afterAll(async () => env?.close());

  it("declares what it reads", () => {
    expect(collector).toMatchObject({
      resourceType: "AWS::EC2::EbsEncryptionByDefault",
      scope: "regional",
      iamActions: ["ec2:GetEbsEncryptionByDefault"],
    });
  });

  it("parity: off gives one observation, the state and the EC2.7 violation DisableEbsEncryptionByDefault gives", async () => {
    await env.ec2.send(new DisableEbsEncryptionByDefaultCommand({}));
    const before = env.aws.calls("ec2", "GetEbsEncryptionByDefault").length;
    const found = await collectAll(collector, env.context);
    expect(env.aws.calls("ec2", "GetEbsEncryptionByDefault").length - before).toBe(1);
    const [fromEvent] = fromCall("DisableEbsEncryptionByDefault");

    expect(found).toHaveLength(1);
    expect(found[0]).toEqual({ ...fromEvent, observedAt: env.context.now.toISOString() });
    const sweep = verdicts(found[0]!, env.context);
    expect(sweep).toEqual(verdicts(fromEvent!, env.context));
    expect(sweep).toEqual([{ checkId: "EC2.7", violations: [expect.anything()] }]);
  });

  it("parity: on passes, as EnableEbsEncryptionByDefault does (and resolves)", async () => {
    await env.ec2.send(new EnableEbsEncryptionByDefaultCommand({}));
    const [observation] = await collectAll(collector, env.context);
    const [fromEvent] = fromCall("EnableEbsEncryptionByDefault");
    expect(observation).toEqual({ ...fromEvent, observedAt: env.context.now.toISOString() });
    expect(verdicts(observation!, env.context)).toEqual([{ checkId: "EC2.7", violations: [] }]);
  });
});
