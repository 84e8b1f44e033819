import { z } from "zod";
import { GUARDDUTY_ID } from "./ref";

/**
 * The "GuardDuty Finding" event's `detail` (GuardDuty's finding format, camelCase), as loose as
 * GuardDuty writes it: absent values are often `null`, and every action and resource kind is
 * optional. Only the fields Vigil keeps are named; the rest passes through unread.
 */

const text = z.string().nullish();
const flag = z.boolean().nullish();
const count = z.number().nullish();
/** GuardDuty writes ASNs as strings ("64512"), some producers as numbers. */
const asn = z.union([z.string(), z.number()]).nullish();

export const remoteIpSchema = z
  .looseObject({
    ipAddressV4: text,
    ipAddressV6: text,
    organization: z.looseObject({ asn, asnOrg: text, isp: text, org: text }).nullish(),
    country: z.looseObject({ countryName: text, countryCode: text }).nullish(),
    city: z.looseObject({ cityName: text }).nullish(),
  })
  .nullish();

const portSchema = z.looseObject({ port: count, portName: text }).nullish();

const tagsSchema = z.array(z.looseObject({ key: text, value: text })).nullish();

const containerSchema = z.looseObject({
  name: text,
  image: text,
  securityContext: z.looseObject({ privileged: flag }).nullish(),
});

export const actionSchema = z
  .looseObject({
    actionType: text,
    networkConnectionAction: z
      .looseObject({
        connectionDirection: text,
        remoteIpDetails: remoteIpSchema,
        remotePortDetails: portSchema,
        localPortDetails: portSchema,
        protocol: text,
        blocked: flag,
      })
      .nullish(),
    awsApiCallAction: z
      .looseObject({
        api: text,
        serviceName: text,
        callerType: text,
        userAgent: text,
        errorCode: text,
        remoteIpDetails: remoteIpSchema,
        remoteAccountDetails: z.looseObject({ accountId: text }).nullish(),
      })
      .nullish(),
    kubernetesApiCallAction: z
      .looseObject({
        requestUri: text,
        verb: text,
        sourceIPs: z.array(z.string()).nullish(),
        userAgent: text,
        remoteIpDetails: remoteIpSchema,
        statusCode: count,
      })
      .nullish(),
    portProbeAction: z
      .looseObject({
        blocked: flag,
        portProbeDetails: z
          .array(z.looseObject({ localPortDetails: portSchema, remoteIpDetails: remoteIpSchema }))
          .nullish(),
      })
      .nullish(),
    dnsRequestAction: z.looseObject({ domain: text, protocol: text, blocked: flag }).nullish(),
    rdsLoginAttemptAction: z.looseObject({ remoteIpDetails: remoteIpSchema }).nullish(),
  })
  .nullish();

export const resourceSchema = z.looseObject({
  resourceType: z.string().min(1),
  instanceDetails: z
    .looseObject({
      instanceId: text,
      instanceType: text,
      instanceState: text,
      networkInterfaces: z
        .array(
          z.looseObject({
            networkInterfaceId: text,
            vpcId: text,
            subnetId: text,
            privateIpAddress: text,
            publicIp: text,
            securityGroups: z.array(z.looseObject({ groupId: text, groupName: text })).nullish(),
          }),
        )
        .nullish(),
      tags: tagsSchema,
    })
    .nullish(),
  accessKeyDetails: z
    .looseObject({ accessKeyId: text, principalId: text, userName: text, userType: text })
    .nullish(),
  eksClusterDetails: z.looseObject({ name: text, arn: text }).nullish(),
  kubernetesDetails: z
    .looseObject({
      kubernetesUserDetails: z
        .looseObject({ username: text, groups: z.array(z.string()).nullish() })
        .nullish(),
      kubernetesWorkloadDetails: z
        .looseObject({
          name: text,
          type: text,
          namespace: text,
          containers: z.array(containerSchema).nullish(),
        })
        .nullish(),
    })
    .nullish(),
  ecsClusterDetails: z
    .looseObject({
      name: text,
      arn: text,
      taskDetails: z
        .looseObject({ arn: text, definitionArn: text, containers: z.array(containerSchema).nullish() })
        .nullish(),
    })
    .nullish(),
  containerDetails: containerSchema.nullish(),
  s3BucketDetails: z.array(z.looseObject({ name: text })).nullish(),
});

const instant = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "not a date-time");

export const findingDetailSchema = z.looseObject({
  id: z.string().regex(GUARDDUTY_ID, "not a GuardDuty finding id"),
  arn: text,
  accountId: z.string().regex(/^\d{12}$/, "not an AWS account id"),
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, "not an AWS Region"),
  type: z.string().min(1).max(500),
  severity: z.number().min(0).max(10),
  title: text,
  description: text,
  createdAt: instant.nullish(),
  updatedAt: instant,
  resource: resourceSchema,
  service: z.looseObject({
    detectorId: z.string().regex(GUARDDUTY_ID, "not a GuardDuty detector id").nullish(),
    action: actionSchema,
    resourceRole: text,
    featureName: text,
    additionalInfo: z
      .looseObject({ sample: z.union([z.boolean(), z.string()]).nullish(), value: text })
      .nullish(),
    eventFirstSeen: text,
    eventLastSeen: text,
    archived: flag,
    count: count,
  }),
});
export type FindingDetail = z.infer<typeof findingDetailSchema>;
export type RemoteIpDetail = z.infer<typeof remoteIpSchema>;
export type ActionDetail = z.infer<typeof actionSchema>;
export type ResourceDetail = z.infer<typeof resourceSchema>;
