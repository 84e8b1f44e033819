import { describe, expect, it } from "vitest";
import { matchesEventPattern } from "../support/event-pattern";

const event = {
  source: "aws.ec2",
  "detail-type": "AWS API Call via CloudTrail",
  resources: [
    "arn:aws:ec2:us-east-1:111122223333:security-group/sg-1",
    "arn:aws:ec2:us-east-1:111122223333:vpc/vpc-1",
  ],
  detail: {
    eventName: "AuthorizeSecurityGroupIngress",
    readOnly: false,
    fromPort: 22,
    errorCode: null,
    userIdentity: { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/alice" },
    items: [{ groupId: "sg-1" }, { groupId: "sg-2" }],
    empty: [],
  },
};

describe("matchesEventPattern", () => {
  it("matches exact values, any of several, strings, numbers, booleans and null", () => {
    expect(matchesEventPattern({ source: ["aws.ec2"] }, event)).toBe(true);
    expect(matchesEventPattern({ source: ["aws.s3", "aws.ec2"] }, event)).toBe(true);
    expect(
      matchesEventPattern({ detail: { fromPort: [22], readOnly: [false], errorCode: [null] } }, event),
    ).toBe(true);
  });

  it("rejects other values, other types and differently cased strings", () => {
    expect(matchesEventPattern({ source: ["aws.s3"] }, event)).toBe(false);
    expect(matchesEventPattern({ detail: { fromPort: ["22"] } }, event)).toBe(false);
    expect(matchesEventPattern({ detail: { readOnly: ["false"] } }, event)).toBe(false);
    expect(matchesEventPattern({ source: ["AWS.EC2"] }, event)).toBe(false);
  });

  it("requires every field of the pattern (AND), including fields the event lacks", () => {
    expect(matchesEventPattern({ source: ["aws.ec2"], detail: { eventName: ["RunInstances"] } }, event)).toBe(
      false,
    );
    expect(matchesEventPattern({ detail: { eventSource: ["ec2.amazonaws.com"] } }, event)).toBe(false);
  });

  it("matches an event array when any element matches", () => {
    expect(matchesEventPattern({ resources: ["arn:aws:ec2:us-east-1:111122223333:vpc/vpc-1"] }, event)).toBe(
      true,
    );
    expect(matchesEventPattern({ resources: ["arn:aws:ec2:us-east-1:111122223333:vpc/vpc-2"] }, event)).toBe(
      false,
    );
    expect(matchesEventPattern({ detail: { items: { groupId: ["sg-2"] } } }, event)).toBe(true);
    expect(matchesEventPattern({ detail: { items: { groupId: ["sg-3"] } } }, event)).toBe(false);
  });

  it("exists: false matches missing fields, missing parents, objects and empty arrays, not leaves", () => {
    expect(matchesEventPattern({ detail: { errorMessage: [{ exists: false }] } }, event)).toBe(true);
    expect(
      matchesEventPattern(
        { detail: { userIdentity: { sessionContext: { sessionIssuer: { arn: [{ exists: false }] } } } } },
        event,
      ),
    ).toBe(true);
    expect(matchesEventPattern({ detail: { userIdentity: [{ exists: false }] } }, event)).toBe(true);
    expect(matchesEventPattern({ detail: { empty: [{ exists: false }] } }, event)).toBe(true);
    expect(matchesEventPattern({ detail: { eventName: [{ exists: false }] } }, event)).toBe(false);
    // null is a value: the field exists.
    expect(matchesEventPattern({ detail: { errorCode: [{ exists: false }] } }, event)).toBe(false);
  });

  it("exists: true matches leaves only", () => {
    expect(matchesEventPattern({ detail: { eventName: [{ exists: true }] } }, event)).toBe(true);
    expect(matchesEventPattern({ detail: { errorMessage: [{ exists: true }] } }, event)).toBe(false);
    expect(matchesEventPattern({ detail: { userIdentity: [{ exists: true }] } }, event)).toBe(false);
  });

  it("anything-but excludes its values and never matches a missing field", () => {
    const notAlice = (values: string[]) => ({
      detail: { userIdentity: { arn: [{ "anything-but": values }] } },
    });
    expect(matchesEventPattern(notAlice(["arn:aws:iam::111122223333:user/bob"]), event)).toBe(true);
    expect(matchesEventPattern(notAlice(["arn:aws:iam::111122223333:user/alice"]), event)).toBe(false);
    expect(matchesEventPattern({ detail: { eventName: [{ "anything-but": "RunInstances" }] } }, event)).toBe(
      true,
    );
    expect(matchesEventPattern({ detail: { missing: [{ "anything-but": ["x"] }] } }, event)).toBe(false);
    expect(
      matchesEventPattern(
        {
          detail: {
            userIdentity: { sessionContext: { sessionIssuer: { arn: [{ "anything-but": ["x"] }] } } },
          },
        },
        event,
      ),
    ).toBe(false);
  });

  it("prefix matches the start of strings only", () => {
    expect(matchesEventPattern({ detail: { eventName: [{ prefix: "Authorize" }] } }, event)).toBe(true);
    expect(matchesEventPattern({ detail: { eventName: [{ prefix: "Revoke" }] } }, event)).toBe(false);
    expect(matchesEventPattern({ detail: { fromPort: [{ prefix: "2" }] } }, event)).toBe(false);
  });

  it("$or matches when any alternative does, and combines with sibling fields (AND)", () => {
    const pattern = {
      source: ["aws.ec2"],
      detail: { $or: [{ eventName: ["RunInstances"] }, { userIdentity: { type: ["IAMUser"] } }] },
    };
    expect(matchesEventPattern(pattern, event)).toBe(true);
    expect(matchesEventPattern({ ...pattern, source: ["aws.s3"] }, event)).toBe(false);
    expect(
      matchesEventPattern(
        { detail: { $or: [{ eventName: ["RunInstances"] }, { userIdentity: { type: ["Root"] } }] } },
        event,
      ),
    ).toBe(false);
  });

  it("refuses operators and shapes it does not implement", () => {
    expect(() => matchesEventPattern({ detail: { fromPort: [{ numeric: [">", 0] }] } }, event)).toThrow(
      /numeric/,
    );
    expect(() => matchesEventPattern({ source: [{ prefix: "aws.", suffix: "ec2" }] }, event)).toThrow(
      /one operator/,
    );
    expect(() =>
      matchesEventPattern({ detail: { eventName: [{ "anything-but": { prefix: "Run" } }] } }, event),
    ).toThrow(/anything-but/);
    expect(() => matchesEventPattern({ detail: { $or: [{ eventName: ["x"] }] } }, event)).toThrow(/\$or/);
    expect(() => matchesEventPattern({ source: [] }, event)).toThrow(/at least one/);
    expect(() => matchesEventPattern({ source: "aws.ec2" }, event)).toThrow(/object/);
  });
});
