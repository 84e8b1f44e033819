import { Agent } from "node:http";
import {
  DeletePublicAccessBlockCommand,
  PutPublicAccessBlockCommand,
  S3ControlClient,
} from "@aws-sdk/client-s3-control";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../../shared/events/cloudtrail";
import adapter from "../../../shared/resources/account-public-access-block/adapter";
import collector from "../../../shared/sweep/collectors/account-public-access-block";
import { loadEvent } from "../../support/events";
import { startLocalAws, type LocalAws } from "../../support/local-aws/server";
import { localhostLookup } from "../../support/local-dns";
import { ACCOUNT, collectAll, collectContext, credentials, verdicts, violated } from "./data-context";

describe("S3 account Block Public Access collector (against the local S3 Control double)", () => {
  let aws: LocalAws;
  let agent: Agent;
  let s3Control: S3ControlClient;

  beforeEach(async () => {
    aws = await startLocalAws();
    // The SDK puts the account id in front of the host: a name under localhost, resolved to 127.0.0.1.
    agent = new Agent({ lookup: localhostLookup });
    s3Control = new S3ControlClient({
      region: "us-east-1",
      credentials,
      maxAttempts: 1,
      endpoint: aws.endpoint.replace("127.0.0.1", "s3-control.localhost"),
      requestHandler: { httpAgent: agent },
    });
  });
  afterEach(async () => {
    s3Control.destroy();
    agent.destroy();
    await aws.close();
  });

  const put = (off: string[] = []) =>
    s3Control.send(
      new PutPublicAccessBlockCommand({
        AccountId: ACCOUNT,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: !off.includes("BlockPublicAcls"),
          IgnorePublicAcls: !off.includes("IgnorePublicAcls"),
          BlockPublicPolicy: !off.includes("BlockPublicPolicy"),
          RestrictPublicBuckets: !off.includes("RestrictPublicBuckets"),
        },
      }),
    );

  it("yields the account's one setting, whole, keyed on the account in the global Region", async () => {
    await put();
    const found = await collectAll(collector, collectContext({ s3Control }));
    expect(aws.calls("s3", "GetPublicAccessBlock").map((c) => c.params?.AccountId)).toEqual([ACCOUNT]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      resource: { id: ACCOUNT, region: "global", type: "AWS::S3::AccountPublicAccessBlock" },
      complete: true,
      tagsKnown: true,
      state: {
        accountId: ACCOUNT,
        changedAt: "2025-03-14T09:00:00.000Z",
        configuration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      },
    });
    expect(violated(found[0]!)).toEqual([]);
  });

  it("reads no configuration (NoSuchPublicAccessBlockConfiguration) as none: S3.1 fires", async () => {
    await s3Control.send(new DeletePublicAccessBlockCommand({ AccountId: ACCOUNT }));
    const [observation] = await collectAll(collector, collectContext({ s3Control }));
    expect(observation?.state?.configuration).toBeNull();
    expect(violated(observation!)).toEqual(["S3.1"]);
  });

  it("judges the setting as the PutAccountPublicAccessBlock event that set it is judged", async () => {
    await put(["BlockPublicPolicy", "RestrictPublicBuckets"]);
    const [swept] = await collectAll(collector, collectContext({ s3Control }));
    const event = loadEvent("s3-account/PutAccountPublicAccessBlock-policy-flags-off.json");
    const [fromEvent] = adapter.fromCloudTrail(cloudTrailDetailSchema.parse(event.detail), ACCOUNT);

    expect(swept?.resource).toEqual(fromEvent?.resource);
    expect(swept?.state?.configuration).toEqual(fromEvent?.state?.configuration);
    expect(violated(fromEvent!)).toEqual(["S3.1"]);
    expect(verdicts(swept!)).toEqual(verdicts(fromEvent!));
    expect(collector.scope).toBe("global");
    expect(collector.iamActions).toEqual(["s3:GetAccountPublicAccessBlock"]);
  });
});
