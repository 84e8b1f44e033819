/**
 * Realistic EventBridge events for rule-matching tests, trimmed from the real-shape reference
 * samples (account 111122223333, documentation IP ranges). Only the fields a rule could look at
 * are kept, plus enough around them to keep the shapes honest.
 */

const ACCOUNT = "111122223333";
const REGION = "us-east-1";

const iamUser = {
  type: "IAMUser",
  principalId: "AIDAXMPLQ7RZ4T2HN3KJW",
  arn: `arn:aws:iam::${ACCOUNT}:user/alice.ops`,
  accountId: ACCOUNT,
  accessKeyId: "AKIAXMPLQ7RZ5BDF2GHJ",
  userName: "alice.ops",
};

/** An assumed-role identity: the role is in `sessionContext.sessionIssuer.arn`. */
export function assumedRole(roleArn: string, session = "dana.lee@example.com") {
  const roleName = roleArn.split("/").pop() ?? "role";
  return {
    type: "AssumedRole",
    principalId: `AROAXMPL4KQ2W7N6ZB3YT:${session}`,
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/${session}`,
    accountId: ACCOUNT,
    accessKeyId: "ASIAXMPL2QW8E4R6T9YU",
    sessionContext: {
      sessionIssuer: {
        type: "Role",
        principalId: "AROAXMPL4KQ2W7N6ZB3YT",
        arn: roleArn,
        accountId: ACCOUNT,
        userName: roleName,
      },
      webIdFederationData: {},
      attributes: { creationDate: "2025-03-14T12:51:10Z", mfaAuthenticated: "false" },
    },
  };
}

export const SSO_ADMIN_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_PlatformAdmin_5c2e9a7b1d3f4e60`;

interface CloudTrailOptions {
  eventName: string;
  eventSource?: string;
  userIdentity?: Record<string, unknown>;
  requestParameters?: Record<string, unknown> | null;
  responseElements?: Record<string, unknown> | null;
  errorCode?: string;
  errorMessage?: string;
  readOnly?: boolean;
}

export function cloudTrailEvent(options: CloudTrailOptions) {
  const eventSource = options.eventSource ?? "ec2.amazonaws.com";
  return {
    version: "0",
    id: "cf0ee0c0-04ee-42c9-aaa0-8c6309a37813",
    "detail-type": "AWS API Call via CloudTrail",
    source: `aws.${eventSource.split(".")[0]}`,
    account: ACCOUNT,
    time: "2025-03-11T14:02:17Z",
    region: REGION,
    resources: [],
    detail: {
      eventVersion: "1.10",
      userIdentity: options.userIdentity ?? iamUser,
      eventTime: "2025-03-11T14:02:17Z",
      eventSource,
      eventName: options.eventName,
      awsRegion: REGION,
      sourceIPAddress: "198.51.100.23",
      userAgent: "aws-cli/2.22.35 md/command#ec2",
      ...(options.errorCode
        ? { errorCode: options.errorCode, errorMessage: options.errorMessage ?? "" }
        : {}),
      requestParameters: options.requestParameters ?? null,
      responseElements: options.responseElements ?? null,
      requestID: "e38e9b46-3a55-452c-952a-7c4dad2d7374",
      eventID: "35427710-9a0e-4154-b387-375ca9a6d800",
      readOnly: options.readOnly ?? false,
      eventType: "AwsApiCall",
      managementEvent: true,
      recipientAccountId: ACCOUNT,
      eventCategory: "Management",
    },
  };
}

const sshWorldRequest = {
  groupId: "sg-07c1e5a9d3b2f4068",
  ipPermissions: {
    items: [
      {
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        groups: {},
        ipRanges: { items: [{ cidrIp: "0.0.0.0/0", description: "temp ssh for debugging" }] },
        ipv6Ranges: {},
        prefixListIds: {},
      },
    ],
  },
};

const sshWorldResponse = {
  requestId: "e38e9b46-3a55-452c-952a-7c4dad2d7374",
  _return: true,
  securityGroupRuleSet: {
    items: [
      {
        groupOwnerId: ACCOUNT,
        groupId: "sg-07c1e5a9d3b2f4068",
        securityGroupRuleId: "sgr-0d27a9c4e81f35b60",
        isEgress: false,
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrIpv4: "0.0.0.0/0",
        description: "temp ssh for debugging",
      },
    ],
  },
};

/** SSH opened to the world by an IAM user: no `sessionContext` at all. */
export const authorizeByIamUser = () =>
  cloudTrailEvent({
    eventName: "AuthorizeSecurityGroupIngress",
    requestParameters: sshWorldRequest,
    responseElements: sshWorldResponse,
  });

export const authorizeByRole = (roleArn: string) =>
  cloudTrailEvent({
    eventName: "AuthorizeSecurityGroupIngress",
    userIdentity: assumedRole(roleArn),
    requestParameters: sshWorldRequest,
    responseElements: sshWorldResponse,
  });

/** The console's "Edit inbound rules": an existing rule widened in place. */
export const modifySecurityGroupRules = (roleArn = SSO_ADMIN_ROLE_ARN) =>
  cloudTrailEvent({
    eventName: "ModifySecurityGroupRules",
    userIdentity: assumedRole(roleArn),
    requestParameters: {
      ModifySecurityGroupRulesRequest: {
        GroupId: "sg-05d8a1f7e3c92b4a7",
        SecurityGroupRule: {
          SecurityGroupRuleId: "sgr-0f2d4b6a8c1e35797",
          tag: 1,
          SecurityGroupRule: {
            Description: "",
            IpProtocol: "tcp",
            FromPort: 22,
            ToPort: 22,
            CidrIpv4: "0.0.0.0/0",
          },
        },
      },
    },
    responseElements: {
      ModifySecurityGroupRulesResponse: {
        xmlns: "http://ec2.amazonaws.com/doc/2016-11-15/",
        requestId: "6f8b7585-1a2e-4a60-b758-99de308621c8",
        return: true,
      },
    },
  });

/** The same call failing because the rule already exists: nothing changed. */
export const failedAuthorize = () =>
  cloudTrailEvent({
    eventName: "AuthorizeSecurityGroupIngress",
    errorCode: "Client.InvalidPermission.Duplicate",
    errorMessage:
      'the specified rule "peer: 0.0.0.0/0, TCP, from port: 22, to port: 22, ALLOW" already exists',
    requestParameters: sshWorldRequest,
    responseElements: null,
  });

/** Vigil's own revoke, as the remediation role. */
export const revokeByRole = (roleArn: string) =>
  cloudTrailEvent({
    eventName: "RevokeSecurityGroupIngress",
    userIdentity: assumedRole(roleArn, "vigil-remediation"),
    requestParameters: {
      groupId: "sg-07c1e5a9d3b2f4068",
      securityGroupRuleIds: { items: [{ securityGroupRuleId: "sgr-0d27a9c4e81f35b60" }] },
    },
    responseElements: { requestId: "0b3c2d1e-5f6a-4b7c-8d9e-0f1a2b3c4d5e", _return: true },
  });

export const describeSecurityGroups = () =>
  cloudTrailEvent({
    eventName: "DescribeSecurityGroups",
    readOnly: true,
    requestParameters: { groupIdSet: {} },
  });

/** A call no check watches (RunInstances is watched since EC2.8/EC2.9). */
export const rebootInstances = () =>
  cloudTrailEvent({
    eventName: "RebootInstances",
    requestParameters: { instancesSet: { items: [{ instanceId: "i-0a1b2c3d4e5f60718" }] } },
  });

/** An IAM call that happens to use an EC2-like name must not slip through on eventName alone. */
/**
 * A watched name from a service no check watches. (A watched name from another WATCHED service does
 * match: the rule lists sources and names independently; intake then ignores the pair.)
 */
export const otherServiceSameName = () =>
  cloudTrailEvent({ eventName: "AuthorizeSecurityGroupIngress", eventSource: "sts.amazonaws.com" });

function configEnvelope(detail: Record<string, unknown>, resourceArn: string) {
  return {
    version: "0",
    id: "0c2849ed-386b-4cd6-91e8-917c23f94b6c",
    "detail-type": "Config Configuration Item Change",
    source: "aws.config",
    account: ACCOUNT,
    time: "2025-03-11T14:02:32Z",
    region: REGION,
    resources: [resourceArn],
    detail: { recordVersion: "1.3", notificationCreationTime: "2025-03-11T14:02:32.118Z", ...detail },
  };
}

const resourceArn = (resourceType: string, resourceId: string) =>
  resourceType === "AWS::EC2::SecurityGroup"
    ? `arn:aws:ec2:${REGION}:${ACCOUNT}:security-group/${resourceId}`
    : `arn:aws:ec2:${REGION}:${ACCOUNT}:volume/${resourceId}`;

export function configItemChange(
  resourceType = "AWS::EC2::SecurityGroup",
  resourceId = "sg-07c1e5a9d3b2f4068",
) {
  return configEnvelope(
    {
      messageType: "ConfigurationItemChangeNotification",
      configurationItemDiff: { changedProperties: {}, changeType: "UPDATE" },
      configurationItem: {
        relatedEvents: ["35427710-9a0e-4154-b387-375ca9a6d800"],
        relationships: [],
        configuration: {
          groupId: resourceId,
          groupName: "ops-bastion",
          ipPermissions: [],
          ipPermissionsEgress: [],
        },
        supplementaryConfiguration: {},
        tags: { team: "platform" },
        configurationItemVersion: "1.3",
        configurationItemCaptureTime: "2025-03-11T14:02:31.602Z",
        configurationStateId: 1741701751602,
        awsAccountId: ACCOUNT,
        configurationItemStatus: "OK",
        resourceType,
        resourceId,
        resourceName: "ops-bastion",
        ARN: resourceArn(resourceType, resourceId),
        awsRegion: REGION,
        availabilityZone: "Not Applicable",
        configurationStateMd5Hash: "",
        resourceCreationTime: null,
      },
    },
    resourceArn(resourceType, resourceId),
  );
}

/** Too big for the bus: a summary and an S3 location instead of the item. */
export function oversizedConfigItemChange(
  resourceType = "AWS::EC2::SecurityGroup",
  resourceId = "sg-07c1e5a9d3b2f4068",
) {
  return configEnvelope(
    {
      messageType: "OversizedConfigurationItemChangeNotification",
      configurationItemSummary: {
        changeType: "UPDATE",
        configurationItemVersion: "1.3",
        configurationItemCaptureTime: "2025-03-11T14:02:31.602Z",
        configurationStateId: 1741701751602,
        awsAccountId: ACCOUNT,
        configurationItemStatus: "OK",
        resourceType,
        resourceId,
        resourceName: null,
        ARN: resourceArn(resourceType, resourceId),
        awsRegion: REGION,
        availabilityZone: "Not Applicable",
        configurationStateMd5Hash: "8f1ee69b287895a0f8bc5753eca68e96",
        resourceCreationTime: "2024-11-02T09:15:44.000Z",
      },
      s3DeliverySummary: {
        s3BucketLocation: `config-bucket-${ACCOUNT}/AWSLogs/${ACCOUNT}/Config/${REGION}/2025/3/11/OversizedChangeNotification/${resourceType}/${resourceId}/1741701751602.json.gz`,
        errorCode: null,
        errorMessage: null,
      },
    },
    resourceArn(resourceType, resourceId),
  );
}

export function configComplianceChange() {
  return {
    ...configItemChange(),
    "detail-type": "Config Rules Compliance Change",
    detail: {
      resourceId: "sg-07c1e5a9d3b2f4068",
      awsRegion: REGION,
      awsAccountId: ACCOUNT,
      configRuleName: "restricted-ssh",
      messageType: "ComplianceChangeNotification",
      newEvaluationResult: { complianceType: "NON_COMPLIANT" },
      resourceType: "AWS::EC2::SecurityGroup",
    },
  };
}
