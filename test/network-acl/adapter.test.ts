import { DescribeNetworkAclsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { cloudTrailDetailSchema, type CloudTrailDetail } from "../../shared/events/cloudtrail";
import { configItemSchema, type ConfigItem } from "../../shared/events/config-item";
import { UnusableEventError, type ReadClients } from "../../shared/resources/adapter";
import adapter from "../../shared/resources/network-acl/adapter";
import {
  ACCOUNT,
  ACL_ID,
  STAR,
  VPC_ID,
  WORLD4,
  WORLD6,
  awsError,
  describeAnswer,
  entry,
  naclEvent,
} from "./support";

const ec2Client = new EC2Client({ region: "us-east-1" });
const ec2 = mockClient(ec2Client);
const clients = { ec2: () => ec2Client } as unknown as ReadClients;
afterEach(() => ec2.reset());

const detailOf = (name: string): CloudTrailDetail => cloudTrailDetailSchema.parse(naclEvent(name).detail);
const itemOf = (name: string): ConfigItem =>
  configItemSchema.parse((naclEvent(name).detail as { configurationItem: unknown }).configurationItem);
const ARN = `arn:aws:ec2:us-east-1:111122223333:network-acl/${ACL_ID}`;

describe("network ACL adapter: CloudTrail", () => {
  it("CreateNetworkAclEntry: the one entry, partial, to be read whole before judging", () => {
    expect(adapter.fromCloudTrail(detailOf("create-entry-ssh-world"), ACCOUNT)).toEqual([
      {
        resource: {
          type: "AWS::EC2::NetworkAcl",
          id: ACL_ID,
          arn: ARN,
          account: ACCOUNT,
          region: "us-east-1",
        },
        state: {
          networkAclId: ACL_ID,
          wholeAcl: false,
          entries: [entry(90, "allow", "6", WORLD4, [22, 22])],
        },
        complete: false,
        observedAt: "2025-03-14T17:21:30Z",
        tagsKnown: false,
        needsRefresh: true,
      },
    ]);
  });

  it("reads IPv6 entries, all-traffic entries (`portRange: {}`) and replacements", () => {
    const [v6] = adapter.fromCloudTrail(detailOf("create-entry-rdp-world-ipv6"), ACCOUNT);
    expect(v6?.state?.entries).toEqual([entry(95, "allow", "6", WORLD6, [3389, 3389])]);
    const [all] = adapter.fromCloudTrail(detailOf("replace-entry-all-traffic-world"), ACCOUNT);
    expect(all?.state?.entries).toEqual([entry(90, "allow", "-1", WORLD4)]);
    expect(all?.needsRefresh).toBe(true);
  });

  it("tolerates numbers logged as strings and protocol names; canonicalises the CIDR", () => {
    const detail = detailOf("create-entry-ssh-world");
    detail.requestParameters = {
      ...detail.requestParameters,
      ruleNumber: "90",
      aclProtocol: "tcp",
      portRange: { from: "22", to: "22" },
      cidrBlock: "10.1.2.3/0",
      ruleAction: "ALLOW",
    };
    expect(adapter.fromCloudTrail(detail, ACCOUNT)[0]?.state?.entries).toEqual([
      entry(90, "allow", "6", WORLD4, [22, 22]),
    ]);
  });

  it("an egress entry can't decide EC2.21: no read is asked for", () => {
    const [egress] = adapter.fromCloudTrail(detailOf("create-entry-egress-all-world"), ACCOUNT);
    expect(egress).toMatchObject({ needsRefresh: false, complete: false, state: { wholeAcl: false } });
  });

  it("DeleteNetworkAclEntry asks for the whole ACL; DeleteNetworkAcl says it is gone", () => {
    expect(adapter.fromCloudTrail(detailOf("delete-entry-ssh"), ACCOUNT)).toMatchObject([
      { state: { networkAclId: ACL_ID, wholeAcl: false, entries: [] }, complete: false, needsRefresh: true },
    ]);
    expect(adapter.fromCloudTrail(detailOf("delete-acl"), ACCOUNT)).toMatchObject([
      { resource: { id: ACL_ID }, state: undefined, complete: true },
    ]);
  });

  it.each([
    ["no networkAclId", { networkAclId: undefined }],
    ["no rule number", { ruleNumber: undefined }],
    ["a rule action that is neither allow nor deny", { ruleAction: "permit" }],
    ["both an IPv4 and an IPv6 block", { ipv6CidrBlock: "::/0" }],
    ["no CIDR block", { cidrBlock: undefined }],
    ["a CIDR block that is no CIDR", { cidrBlock: "0.0.0.0/33" }],
    ["egress that is not a boolean", { egress: "maybe" }],
  ])("a Create entry with %s is unusable", (_what, change) => {
    const detail = detailOf("create-entry-ssh-world");
    detail.requestParameters = { ...detail.requestParameters, ...change };
    expect(() => adapter.fromCloudTrail(detail, ACCOUNT)).toThrow(UnusableEventError);
  });

  it("requestParameters missing altogether, or another event name, is unusable", () => {
    const detail = detailOf("delete-entry-ssh");
    detail.requestParameters = null;
    expect(() => adapter.fromCloudTrail(detail, ACCOUNT)).toThrow(/DeleteNetworkAclEntry requestParameters/);
    expect(() => adapter.fromCloudTrail({ ...detail, eventName: "CreateNetworkAcl" }, ACCOUNT)).toThrow(
      /no network-ACL reader for CreateNetworkAcl/,
    );
  });
});

describe("network ACL adapter: Config items", () => {
  it("reads every entry (camelCase, protocol as text), the default flag and the tags", () => {
    expect(adapter.fromConfigItem(itemOf("config-item-ssh-world"))).toEqual({
      resource: { type: "AWS::EC2::NetworkAcl", id: ACL_ID, arn: ARN, account: ACCOUNT, region: "us-east-1" },
      state: {
        networkAclId: ACL_ID,
        vpcId: VPC_ID,
        isDefault: false,
        ownerId: ACCOUNT,
        wholeAcl: true,
        entries: [
          entry(90, "allow", "6", WORLD4, [22, 22]),
          entry(100, "allow", "6", WORLD4, [443, 443]),
          entry(101, "allow", "6", WORLD6, [443, 443]),
          entry(32767, "deny", "-1", WORLD4),
          entry(32768, "deny", "-1", WORLD6),
          entry(100, "allow", "-1", WORLD4, undefined, true),
          entry(32767, "deny", "-1", WORLD4, undefined, true),
        ],
        tags: { Name: "public-web" },
      },
      complete: true,
      observedAt: "2025-03-14T17:28:02.602Z",
      tagsKnown: true,
    });
  });

  it("a deleted ACL has no state; a history item's JSON-string configuration is read too", () => {
    expect(adapter.fromConfigItem(itemOf("config-item-deleted"))).toMatchObject({
      state: undefined,
      complete: true,
    });
    const item = itemOf("config-item-default-acl");
    const fromHistory = adapter.fromConfigItem({
      ...item,
      configuration: JSON.stringify(item.configuration),
    });
    expect(fromHistory.state).toMatchObject({ isDefault: true, wholeAcl: true });
  });

  it.each([
    ["no entries list", (c: Record<string, unknown>) => delete c.entries],
    [
      "an entry without a rule number",
      (c: Record<string, unknown>) => ((c.entries as object[])[0] = { egress: false }),
    ],
    ["unparseable JSON text", () => "not json"],
  ])("a configuration with %s is unusable", (_what, change) => {
    const item = itemOf("config-item-ssh-world");
    const configuration = structuredClone(item.configuration) as Record<string, unknown>;
    const changed = change(configuration);
    const bad = { ...item, configuration: typeof changed === "string" ? changed : configuration };
    expect(() => adapter.fromConfigItem(bad)).toThrow(UnusableEventError);
  });
});

describe("network ACL adapter: live reads", () => {
  it("refresh reads the whole ACL once: every entry, the default flag and tags, now complete", async () => {
    const [partial] = adapter.fromCloudTrail(detailOf("create-entry-ssh-world"), ACCOUNT);
    if (!partial) throw new Error("no observation");
    const entries = [
      entry(80, "deny", "6", WORLD4, [22, 22]),
      entry(90, "allow", "6", WORLD4, [22, 22]),
      ...STAR,
    ];
    ec2.on(DescribeNetworkAclsCommand).resolves(describeAnswer(entries, { tags: { team: "net" } }));
    const refreshed = await adapter.refresh?.(partial, clients);
    expect(ec2.commandCalls(DescribeNetworkAclsCommand).map((c) => c.args[0].input)).toEqual([
      { NetworkAclIds: [ACL_ID] },
    ]);
    expect(refreshed).toMatchObject({
      complete: true,
      tagsKnown: true,
      needsRefresh: false,
      state: { networkAclId: ACL_ID, isDefault: false, wholeAcl: true, entries, tags: { team: "net" } },
    });
  });

  it("an ACL that is gone refreshes to no state (its findings resolve) and has no tags", async () => {
    const [partial] = adapter.fromCloudTrail(detailOf("create-entry-ssh-world"), ACCOUNT);
    if (!partial) throw new Error("no observation");
    ec2.on(DescribeNetworkAclsCommand).rejects(awsError("InvalidNetworkAclID.NotFound"));
    expect(await adapter.refresh?.(partial, clients)).toMatchObject({ state: undefined, complete: true });
    expect(await adapter.readTags(partial, clients)).toEqual({});
  });

  it("readTags returns the ACL's tags; other errors are thrown (the pipeline holds remediation back)", async () => {
    const [partial] = adapter.fromCloudTrail(detailOf("create-entry-ssh-world"), ACCOUNT);
    if (!partial) throw new Error("no observation");
    ec2.on(DescribeNetworkAclsCommand).resolves(describeAnswer(STAR, { tags: { "vigil:exempt": "EC2.21" } }));
    expect(await adapter.readTags(partial, clients)).toEqual({ "vigil:exempt": "EC2.21" });
    ec2.reset();
    ec2.on(DescribeNetworkAclsCommand).rejects(awsError("RequestLimitExceeded"));
    await expect(adapter.readTags(partial, clients)).rejects.toThrow(/RequestLimitExceeded/);
  });
});
