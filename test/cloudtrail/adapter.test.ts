import { CloudTrailClient, ListTagsCommand } from "@aws-sdk/client-cloudtrail";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { UnusableEventError, type ReadClients } from "../../shared/resources/adapter";
import adapter from "../../shared/resources/cloudtrail-trail/adapter";
import { ACCOUNT, DELETED_ARN, TRAIL_ARN, awsError, trailEvent } from "./support";

const detailOf = (name: string, change: (detail: Record<string, unknown>) => void = () => {}) => {
  const event = trailEvent(name);
  change(event.detail);
  return cloudTrailDetailSchema.parse(event.detail);
};
const observe = (name: string, change?: (detail: Record<string, unknown>) => void) =>
  adapter.fromCloudTrail(detailOf(name, change), ACCOUNT);

const ctClient = new CloudTrailClient({ region: "us-east-1" });
const ct = mockClient(ctClient);
const clients = { cloudTrail: () => ctClient } as unknown as ReadClients;
afterEach(() => ct.reset());

describe("CloudTrail trail adapter", () => {
  it("StopLogging by ARN: logging off, complete for that one setting, resource id is the ARN", () => {
    expect(observe("StopLogging")).toEqual([
      {
        resource: {
          type: "AWS::CloudTrail::Trail",
          id: TRAIL_ARN,
          arn: TRAIL_ARN,
          account: ACCOUNT,
          region: "us-east-1",
          name: "org-audit-trail",
        },
        state: { trailArn: TRAIL_ARN, trailName: "org-audit-trail", logging: false },
        complete: true,
        observedAt: "2025-03-16T02:11:09Z",
        tagsKnown: false,
      },
    ]);
  });

  it("StartLogging by name resolves to the same ARN in the call's account and region", () => {
    const [observation] = observe("StartLogging-by-name");
    expect(observation?.resource.id).toBe(TRAIL_ARN);
    expect(observation?.state).toEqual({ trailArn: TRAIL_ARN, trailName: "org-audit-trail", logging: true });
  });

  it("DeleteTrail is a state that says deleted (not `state: undefined`, which would resolve findings)", () => {
    const [observation] = observe("DeleteTrail");
    expect(observation?.resource.id).toBe(DELETED_ARN);
    expect(observation?.state).toEqual({
      trailArn: DELETED_ARN,
      trailName: "dev-sandbox-trail",
      deleted: true,
    });
  });

  it("UpdateTrail: the response's settings; multi-Region only when the request set it", () => {
    expect(observe("UpdateTrail-disable-log-file-validation")[0]?.state).toEqual({
      trailArn: TRAIL_ARN,
      trailName: "org-audit-trail",
      logFileValidation: false,
      kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/2b7e4c91-5d3a-4f86-9a1c-7e0b3d5f8a24",
      // The key restore reads AWS Config's history from before the call.
      changedAt: "2025-03-16T02:12:30Z",
    });
    expect(observe("UpdateTrail-remove-kms-key")[0]?.state).toMatchObject({
      kmsKeyId: null,
      logFileValidation: true,
    });
    expect(observe("UpdateTrail-single-region")[0]?.state).toMatchObject({
      multiRegion: false,
      includeGlobalServiceEvents: true,
    });
  });

  it("a trail ARN of another account or region is observed but marked out of scope", () => {
    const [observation] = observe("StopLogging", (d) => {
      d.requestParameters = { name: "arn:aws:cloudtrail:eu-west-1:444455556666:trail/org-trail" };
    });
    expect(observation?.resource).toMatchObject({ account: "444455556666", region: "eu-west-1" });
    expect(observation?.state?.outOfScope).toMatch(
      /outside the call's account 111122223333 and region us-east-1/,
    );
  });

  it.each([
    ["StopLogging without a name", "StopLogging", (d: Record<string, unknown>) => (d.requestParameters = {})],
    [
      "StopLogging with a bad name",
      "StopLogging",
      (d: Record<string, unknown>) => (d.requestParameters = { name: "a b" }),
    ],
    [
      "DeleteTrail with null parameters",
      "DeleteTrail",
      (d: Record<string, unknown>) => (d.requestParameters = null),
    ],
    [
      "UpdateTrail without response",
      "UpdateTrail-disable-log-file-validation",
      (d: Record<string, unknown>) => (d.responseElements = null),
    ],
  ])("%s is unusable", (_, name, change) => {
    expect(() => observe(name, change)).toThrow(UnusableEventError);
  });

  it("readTags: ListTags on the trail ARN; a trail that is gone has none", async () => {
    const [observation] = observe("StopLogging");
    if (!observation) throw new Error("no observation");
    ct.on(ListTagsCommand).resolves({
      ResourceTagList: [
        {
          ResourceId: TRAIL_ARN,
          TagsList: [{ Key: "vigil:exempt", Value: "VIGIL.CLOUDTRAIL.LOGGING_STOPPED" }],
        },
      ],
    });
    expect(await adapter.readTags(observation, clients)).toEqual({
      "vigil:exempt": "VIGIL.CLOUDTRAIL.LOGGING_STOPPED",
    });
    expect(ct.commandCalls(ListTagsCommand).map((c) => c.args[0].input)).toEqual([
      { ResourceIdList: [TRAIL_ARN] },
    ]);
    ct.reset();
    ct.on(ListTagsCommand).rejects(awsError("TrailNotFoundException"));
    expect(await adapter.readTags(observation, clients)).toEqual({});
    // ListTags answers ResourceNotFoundException for an ARN with no trail behind it.
    ct.reset();
    ct.on(ListTagsCommand).rejects(awsError("ResourceNotFoundException"));
    expect(await adapter.readTags(observation, clients)).toEqual({});
    ct.reset();
    ct.on(ListTagsCommand).rejects(awsError("ThrottlingException"));
    await expect(adapter.readTags(observation, clients)).rejects.toThrow("ThrottlingException");
  });

  it("readTags of a deleted trail reads nothing", async () => {
    const [observation] = observe("DeleteTrail");
    if (!observation) throw new Error("no observation");
    expect(await adapter.readTags(observation, clients)).toEqual({});
    expect(ct.calls()).toHaveLength(0);
  });
});
