import { AttachGroupPolicyCommand, CreateGroupCommand, PutGroupPolicyCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import defaultCollector, { iamGroupsCollector } from "../../../shared/sweep/collectors/iam-groups";
import { loadEvent } from "../../support/events";
import { collectAll, collectContext, verdicts, violated } from "./data-context";
import { fromSampleEvent, startLocalIam, type LocalIam } from "./iam-local";

const ADMIN =
  (loadEvent("iam-grants/PutGroupPolicy-admin.json").detail.requestParameters as Record<string, string>)
    .policyDocument ?? "";

describe("IAM groups collector (local IAM endpoint)", () => {
  let local: LocalIam;
  const collect = () => collectAll(iamGroupsCollector(1), collectContext({ iam: local.iam }));

  beforeAll(async () => {
    local = await startLocalIam();
    const { iam } = local;
    await iam.send(new CreateGroupCommand({ GroupName: "developers" }));
    await iam.send(
      new PutGroupPolicyCommand({ GroupName: "developers", PolicyName: "dev-admin", PolicyDocument: ADMIN }),
    );
    await iam.send(new CreateGroupCommand({ GroupName: "readers" }));
    await iam.send(
      new AttachGroupPolicyCommand({
        GroupName: "readers",
        PolicyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
      }),
    );
  });
  afterAll(() => local.close());

  it("pages ListGroups with Marker and yields every group once, whole; no tag reads (groups have none)", async () => {
    const found = await collect();
    expect(found.map((o) => o.resource.id)).toEqual(["developers", "readers"]);
    const pages = local.calls("ListGroups");
    expect(pages).toHaveLength(2);
    expect(pages[0]).toEqual({ MaxItems: "1" });
    expect(pages[1]?.Marker).toBeTruthy();
    // AWS managed policies are judged by ARN: no version read.
    expect(local.calls("GetPolicy")).toEqual([]);
    for (const o of found) expect([o.complete, o.tagsKnown]).toEqual([true, true]);
  });

  it("parity: the same violations as the PutGroupPolicy (admin) event; the read-only group passes", async () => {
    const byName = new Map((await collect()).map((o) => [o.resource.id, o]));
    const [event] = fromSampleEvent("AWS::IAM::Group", "iam-grants/PutGroupPolicy-admin.json");
    const expected = violated(event!);
    expect(expected.length).toBeGreaterThan(0);
    expect(violated(byName.get("developers")!)).toEqual(expected);
    expect(verdicts(byName.get("readers")!).every((v) => !v.violations.length && !v.undecided)).toBe(true);
  });

  it("declares exactly the IAM actions it makes", () => {
    expect([...defaultCollector.iamActions].sort()).toEqual(
      [
        "iam:ListGroups",
        "iam:ListGroupPolicies",
        "iam:GetGroupPolicy",
        "iam:ListAttachedGroupPolicies",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
      ].sort(),
    );
  });
});
