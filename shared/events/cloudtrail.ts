import { z } from "zod";
import type { Actor } from "../core/actor";

const sessionIssuerSchema = z.looseObject({
  type: z.string().optional(),
  arn: z.string().optional(),
  userName: z.string().optional(),
});

const userIdentitySchema = z.looseObject({
  type: z.string().default("Unknown"),
  principalId: z.string().optional(),
  arn: z.string().optional(),
  accountId: z.string().optional(),
  accessKeyId: z.string().optional(),
  userName: z.string().optional(),
  invokedBy: z.string().optional(),
  sessionContext: z
    .looseObject({
      sessionIssuer: sessionIssuerSchema.optional(),
      attributes: z
        .looseObject({ mfaAuthenticated: z.union([z.string(), z.boolean()]).optional() })
        .optional(),
    })
    .optional(),
});

/** `requestParameters`/`responseElements` are service-specific; adapters parse them with their own schemas. */
const payloadSchema = z.record(z.string(), z.unknown()).nullable().optional();

export const cloudTrailDetailSchema = z.looseObject({
  eventVersion: z.string().optional(),
  userIdentity: userIdentitySchema,
  eventTime: z.string().min(1),
  eventSource: z.string().min(1),
  eventName: z.string().min(1),
  awsRegion: z.string().min(1),
  sourceIPAddress: z.string().optional(),
  userAgent: z.string().optional(),
  requestParameters: payloadSchema,
  responseElements: payloadSchema,
  errorCode: z.string().nullable().optional(),
  errorMessage: z.string().nullable().optional(),
  readOnly: z.boolean().optional(),
  eventID: z.string().min(1),
  eventType: z.string().optional(),
  recipientAccountId: z.string().optional(),
  // A string ("true") in real events; tolerate a boolean too.
  sessionCredentialFromConsole: z.union([z.string(), z.boolean()]).optional(),
});
export type CloudTrailDetail = z.infer<typeof cloudTrailDetailSchema>;

function truthy(value: string | boolean | undefined): boolean | undefined {
  return value === undefined ? undefined : value === true || value === "true";
}

/** Who did it, from where and with what — what every finding has to say. */
export function actorFromCloudTrail(detail: CloudTrailDetail): Actor {
  const identity = detail.userIdentity;
  const actor: Actor = {
    type: identity.type,
    arn: identity.arn,
    principalId: identity.principalId,
    accountId: identity.accountId,
    userName: identity.userName ?? identity.sessionContext?.sessionIssuer?.userName,
    sessionIssuerArn: identity.sessionContext?.sessionIssuer?.arn,
    accessKeyId: identity.accessKeyId,
    sourceIp: detail.sourceIPAddress,
    userAgent: detail.userAgent,
    invokedBy: identity.invokedBy,
    mfaAuthenticated: truthy(identity.sessionContext?.attributes?.mfaAuthenticated),
    fromConsole: truthy(detail.sessionCredentialFromConsole),
  };
  return Object.fromEntries(Object.entries(actor).filter(([, v]) => v !== undefined)) as Actor;
}
