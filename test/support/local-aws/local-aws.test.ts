import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
} from "@aws-sdk/client-dynamodb";
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DescribeSecurityGroupRulesCommand,
  DescribeSecurityGroupsCommand,
  EC2Client,
  paginateDescribeSecurityGroupRules,
  RevokeSecurityGroupIngressCommand,
} from "@aws-sdk/client-ec2";
import { ConfigServiceClient, DescribeConfigRulesCommand } from "@aws-sdk/client-config-service";
import { CreateTopicCommand, PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAws, type LocalAws } from "./server";

const credentials = { accessKeyId: "test", secretAccessKey: "test" };

/** The SDK's error name, which is EC2's or SNS's error code. */
async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return { name: (error as Error).name, message: (error as Error).message };
  }
  throw new Error("expected the call to fail");
}

describe("local-aws: an AWS-compatible endpoint for the real SDK v3 clients", () => {
  let aws: LocalAws;
  let ec2: EC2Client;
  let sns: SNSClient;
  let dynamo: DynamoDBClient;

  beforeAll(async () => {
    aws = await startLocalAws();
    const config = { endpoint: aws.endpoint, region: "us-east-1", credentials, maxAttempts: 1 };
    ec2 = new EC2Client(config);
    sns = new SNSClient(config);
    dynamo = new DynamoDBClient(config);
  });
  afterAll(async () => {
    for (const client of [ec2, sns, dynamo]) client?.destroy();
    await aws?.close();
  });

  /** A group in the default VPC, or in `vpcId`. */
  async function newGroup(name: string, vpcId?: string): Promise<string> {
    const out = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: name, Description: `${name} group`, VpcId: vpcId }),
    );
    expect(out.GroupId).toMatch(/^sg-[0-9a-f]{17}$/);
    return out.GroupId ?? "";
  }

  async function authorizeSshAndHttps(groupId: string) {
    const out = await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpPermissions: [
          {
            IpProtocol: "tcp",
            FromPort: 22,
            ToPort: 22,
            IpRanges: [{ CidrIp: "0.0.0.0/0", Description: "anyone" }, { CidrIp: "10.20.0.0/16" }],
            Ipv6Ranges: [{ CidrIpv6: "::/0", Description: "anyone v6" }],
          },
          { IpProtocol: "tcp", FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
        ],
      }),
    );
    return out.SecurityGroupRules ?? [];
  }

  const ingressOf = (groupId: string) =>
    aws.ec2State
      .ingressRules(groupId)
      .map((r) => `${r.ipProtocol} ${r.fromPort}-${r.toPort} ${r.cidrIpv4 ?? r.cidrIpv6}`)
      .sort();

  it("creates a group with AWS's default egress rule, authorizes IPv4 and IPv6 rules and returns their ids", async () => {
    const groupId = await newGroup("web");
    const rules = await authorizeSshAndHttps(groupId);
    expect(rules).toHaveLength(4);
    expect(new Set(rules.map((r) => r.SecurityGroupRuleId)).size).toBe(4);
    expect(rules).toContainEqual(
      expect.objectContaining({
        SecurityGroupRuleId: expect.stringMatching(/^sgr-[0-9a-f]{17}$/),
        GroupId: groupId,
        IsEgress: false,
        IpProtocol: "tcp",
        FromPort: 22,
        ToPort: 22,
        CidrIpv4: "0.0.0.0/0",
        Description: "anyone",
      }),
    );
    expect(rules).toContainEqual(expect.objectContaining({ CidrIpv6: "::/0", Description: "anyone v6" }));

    const described = await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }));
    const group = described.SecurityGroups?.[0];
    expect(group?.GroupName).toBe("web");
    // Rules with the same protocol and ports come back as one permission, as in AWS.
    expect(group?.IpPermissions).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          IpProtocol: "tcp",
          FromPort: 22,
          ToPort: 22,
          IpRanges: [{ CidrIp: "0.0.0.0/0", Description: "anyone" }, { CidrIp: "10.20.0.0/16" }],
          Ipv6Ranges: [{ CidrIpv6: "::/0", Description: "anyone v6" }],
        }),
        expect.objectContaining({ IpProtocol: "tcp", FromPort: 443, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }),
      ]),
    );
    expect(group?.IpPermissionsEgress).toEqual([
      expect.objectContaining({ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }),
    ]);
  });

  it("rejects a duplicate rule (the whole call) and keeps CIDRs canonical", async () => {
    const groupId = await newGroup("dup");
    await authorizeSshAndHttps(groupId);
    const before = ingressOf(groupId);
    const duplicate = await errorOf(
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [
            { IpProtocol: "tcp", FromPort: 3306, ToPort: 3306, IpRanges: [{ CidrIp: "10.0.0.0/8" }] },
            { IpProtocol: "6", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] },
          ],
        }),
      ),
    );
    expect(duplicate.name).toBe("InvalidPermission.Duplicate");
    expect(ingressOf(groupId)).toEqual(before);

    // The legacy top-level form; the host bits of the CIDR are cleared.
    await ec2.send(
      new AuthorizeSecurityGroupIngressCommand({
        GroupId: groupId,
        IpProtocol: "6",
        FromPort: 3306,
        ToPort: 3306,
        CidrIp: "10.0.0.0/0",
      }),
    );
    expect(ingressOf(groupId)).toContain("tcp 3306-3306 0.0.0.0/0");
    const malformed = await errorOf(
      ec2.send(
        new AuthorizeSecurityGroupIngressCommand({
          GroupId: groupId,
          IpPermissions: [{ IpProtocol: "tcp", FromPort: 1, ToPort: 2, IpRanges: [{ CidrIp: "10.0.0/8" }] }],
        }),
      ),
    );
    expect(malformed.name).toBe("InvalidParameterValue");
  });

  it("describes rules by group (paginated) and by id; an unknown id is NotFound", async () => {
    const groupId = await newGroup("describe");
    const rules = await authorizeSshAndHttps(groupId);
    const byGroup = [];
    for await (const page of paginateDescribeSecurityGroupRules(
      { client: ec2 },
      { Filters: [{ Name: "group-id", Values: [groupId] }], MaxResults: 5 },
    )) {
      byGroup.push(...(page.SecurityGroupRules ?? []));
    }
    // Four ingress rules and the default egress rule.
    expect(byGroup).toHaveLength(5);
    expect(byGroup.filter((r) => r.IsEgress)).toEqual([
      expect.objectContaining({ IpProtocol: "-1", FromPort: -1, ToPort: -1, CidrIpv4: "0.0.0.0/0" }),
    ]);

    const [first] = rules;
    const byId = await ec2.send(
      new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: [first?.SecurityGroupRuleId ?? ""] }),
    );
    expect(byId.SecurityGroupRules).toEqual([first]);
    const unknown = await errorOf(
      ec2.send(new DescribeSecurityGroupRulesCommand({ SecurityGroupRuleIds: ["sgr-0123456789abcdef0"] })),
    );
    expect(unknown.name).toBe("InvalidSecurityGroupRuleId.NotFound");
  });

  it("revokes by rule ids; one unknown id fails the whole call and revokes nothing", async () => {
    const groupId = await newGroup("revoke-ids");
    const rules = await authorizeSshAndHttps(groupId);
    const worldSsh = rules.find((r) => r.FromPort === 22 && r.CidrIpv4 === "0.0.0.0/0");
    const worldSsh6 = rules.find((r) => r.CidrIpv6 === "::/0");
    const ids = [worldSsh?.SecurityGroupRuleId ?? "", worldSsh6?.SecurityGroupRuleId ?? ""];

    const failed = await errorOf(
      ec2.send(
        new RevokeSecurityGroupIngressCommand({
          GroupId: groupId,
          SecurityGroupRuleIds: [...ids, "sgr-0b1c2d3e4f5a69780"],
        }),
      ),
    );
    expect(failed).toEqual({
      name: "InvalidSecurityGroupRuleId.NotFound",
      message: expect.stringContaining("sgr-0b1c2d3e4f5a69780"),
    });
    expect(ingressOf(groupId)).toHaveLength(4);

    const out = await ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: groupId, SecurityGroupRuleIds: ids }),
    );
    expect(out.Return).toBe(true);
    expect(out.RevokedSecurityGroupRules?.map((r) => r.SecurityGroupRuleId).sort()).toEqual([...ids].sort());
    expect(ingressOf(groupId)).toEqual(["tcp 22-22 10.20.0.0/16", "tcp 443-443 0.0.0.0/0"]);
    const revoke = aws.calls("ec2", "RevokeSecurityGroupIngress").at(-1);
    expect(revoke?.params).toMatchObject({ GroupId: groupId, "SecurityGroupRuleId.1": ids[0] });

    const missingGroup = await errorOf(
      ec2.send(
        new RevokeSecurityGroupIngressCommand({ GroupId: "sg-0000000000000dead", SecurityGroupRuleIds: ids }),
      ),
    );
    expect(missingGroup.name).toBe("InvalidGroup.NotFound");
  });

  const sshWorld = { IpProtocol: "tcp", FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: "0.0.0.0/0" }] };
  const sshWorld6 = { IpProtocol: "tcp", FromPort: 22, ToPort: 22, Ipv6Ranges: [{ CidrIpv6: "::/0" }] };

  it("revokes by value (description ignored); outside the default VPC, any unmatched rule fails the call", async () => {
    const groupId = await newGroup("revoke-value", "vpc-0123456789abcdef0");
    await authorizeSshAndHttps(groupId);
    const out = await ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [sshWorld] }),
    );
    expect(out.Return).toBe(true);
    expect(out.RevokedSecurityGroupRules).toEqual([
      expect.objectContaining({ FromPort: 22, CidrIpv4: "0.0.0.0/0", Description: "anyone" }),
    ]);
    expect(ingressOf(groupId)).toEqual(["tcp 22-22 10.20.0.0/16", "tcp 22-22 ::/0", "tcp 443-443 0.0.0.0/0"]);

    const again = await errorOf(
      ec2.send(
        new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [sshWorld6, sshWorld] }),
      ),
    );
    expect(again.name).toBe("InvalidPermission.NotFound");
    expect(ingressOf(groupId)).toEqual(["tcp 22-22 10.20.0.0/16", "tcp 22-22 ::/0", "tcp 443-443 0.0.0.0/0"]);
  });

  it("in the default VPC, revokes what matches by value and reports the rest (AWS's documented leniency)", async () => {
    const groupId = await newGroup("revoke-value-default-vpc");
    await authorizeSshAndHttps(groupId);
    await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [sshWorld] }));
    const partly = await ec2.send(
      new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [sshWorld6, sshWorld] }),
    );
    expect(partly.Return).toBe(true);
    expect(partly.RevokedSecurityGroupRules).toEqual([expect.objectContaining({ CidrIpv6: "::/0" })]);
    expect(partly.UnknownIpPermissions).toEqual([
      expect.objectContaining({ IpRanges: [{ CidrIp: "0.0.0.0/0" }] }),
    ]);
    expect(ingressOf(groupId)).toEqual(["tcp 22-22 10.20.0.0/16", "tcp 443-443 0.0.0.0/0"]);
  });

  it("tags groups and describes the tags", async () => {
    const groupId = await newGroup("tags");
    await ec2.send(
      new CreateTagsCommand({
        Resources: [groupId],
        Tags: [
          { Key: "vigil:exempt", Value: "EC2.13,EC2.19" },
          { Key: "team", Value: "a&b <ops>" },
        ],
      }),
    );
    const group = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] })))
      .SecurityGroups?.[0];
    expect(group?.Tags).toEqual([
      { Key: "vigil:exempt", Value: "EC2.13,EC2.19" },
      { Key: "team", Value: "a&b <ops>" },
    ]);
    expect(aws.ec2State.group(groupId)?.tags).toEqual({ "vigil:exempt": "EC2.13,EC2.19", team: "a&b <ops>" });
    const unknown = await errorOf(
      ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: ["sg-0000000000000dead"] })),
    );
    expect(unknown.name).toBe("InvalidGroup.NotFound");
  });

  it("publishes to SNS topics with message attributes, and validates like SNS", async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: "vigil-alerts" }));
    expect(TopicArn).toBe("arn:aws:sns:us-east-1:000000000000:vigil-alerts");
    const out = await sns.send(
      new PublishCommand({
        TopicArn,
        Subject: "[CRITICAL] Vigil: sg-1 open to the world",
        Message: 'text\n\n{"json": true}',
        MessageAttributes: {
          severity: { DataType: "String", StringValue: "CRITICAL" },
          checkId: { DataType: "String.Array", StringValue: '["EC2.19","EC2.13"]' },
        },
      }),
    );
    expect(out.MessageId).toEqual(expect.any(String));
    expect(aws.snsMessages.at(-1)).toEqual({
      MessageId: out.MessageId,
      TopicArn,
      Subject: "[CRITICAL] Vigil: sg-1 open to the world",
      Message: 'text\n\n{"json": true}',
      MessageAttributes: {
        severity: { DataType: "String", StringValue: "CRITICAL" },
        checkId: { DataType: "String.Array", StringValue: '["EC2.19","EC2.13"]' },
      },
    });

    // The query encoding of the attribute map, as the SDK sends it.
    expect(aws.calls("sns", "Publish").at(-1)?.params).toMatchObject({
      "MessageAttributes.entry.1.Name": "severity",
      "MessageAttributes.entry.1.Value.DataType": "String",
      "MessageAttributes.entry.1.Value.StringValue": "CRITICAL",
    });

    const count = aws.snsMessages.length;
    const longSubject = await errorOf(
      sns.send(new PublishCommand({ TopicArn, Subject: "x".repeat(100), Message: "m" })),
    );
    expect(longSubject.name).toBe("InvalidParameterException");
    const noTopic = await errorOf(
      sns.send(new PublishCommand({ TopicArn: "arn:aws:sns:us-east-1:000000000000:nope", Message: "m" })),
    );
    expect(noTopic.name).toBe("NotFoundException");
    expect(aws.snsMessages).toHaveLength(count);
  });

  it("passes DynamoDB requests through to dynalite", async () => {
    await dynamo.send(
      new CreateTableCommand({
        TableName: "things",
        BillingMode: "PAY_PER_REQUEST",
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      }),
    );
    expect((await dynamo.send(new DescribeTableCommand({ TableName: "things" }))).Table?.TableStatus).toBe(
      "ACTIVE",
    );
    await dynamo.send(new PutItemCommand({ TableName: "things", Item: { pk: { S: "a" }, n: { N: "1" } } }));
    const got = await dynamo.send(new GetItemCommand({ TableName: "things", Key: { pk: { S: "a" } } }));
    expect(got.Item).toEqual({ pk: { S: "a" }, n: { N: "1" } });
    const missing = await errorOf(
      dynamo.send(new GetItemCommand({ TableName: "nope", Key: { pk: { S: "a" } } })),
    );
    expect(missing.name).toBe("ResourceNotFoundException");
    expect(aws.calls("dynamodb", "PutItem")).toEqual([
      { service: "dynamodb", action: "PutItem", params: { TableName: "things" } },
    ]);
  });

  it("routes by the SigV4 credential scope and adds the configured latency", async () => {
    const slow = await startLocalAws({ latencyMs: 50 });
    const client = new SNSClient({ endpoint: slow.endpoint, region: "eu-west-1", credentials });
    try {
      const started = Date.now();
      const { TopicArn } = await client.send(new CreateTopicCommand({ Name: "t" }));
      expect(Date.now() - started).toBeGreaterThanOrEqual(45);
      expect(TopicArn).toBe("arn:aws:sns:eu-west-1:000000000000:t");
      expect(slow.requests).toEqual([
        { service: "sns", action: "CreateTopic", params: expect.objectContaining({ Name: "t" }) },
      ]);
    } finally {
      client.destroy();
      await slow.close();
    }
  });

  it("plays an emulator lacking an action, and answers unmodelled JSON services in JSON", async () => {
    const partial = await startLocalAws({ unsupportedActions: ["DescribeSecurityGroupRules"] });
    const config = { endpoint: partial.endpoint, region: "us-east-1", credentials, maxAttempts: 1 };
    const client = new EC2Client(config);
    const configService = new ConfigServiceClient(config);
    try {
      const missing = await errorOf(client.send(new DescribeSecurityGroupRulesCommand({})));
      expect(missing.name).toBe("InvalidAction");
      const unmodelled = await errorOf(
        // The Config double models recorders and history, not rules.
        configService.send(new DescribeConfigRulesCommand({})),
      );
      expect(unmodelled.name).toBe("UnknownOperationException");
    } finally {
      client.destroy();
      configService.destroy();
      await partial.close();
    }
  });
});
