import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { accountRef, partitionOf } from "./ref";
import type { AccountState, RootActivity } from "./state";

type AccountObservation = Observation<"AWS::::Account">;

const IAM_SOURCE = "iam.amazonaws.com";

/** A console sign-in: `responseElements.ConsoleLogin` says whether it worked, `MFAUsed` how. */
const consoleLoginSchema = z.looseObject({
  responseElements: z.looseObject({ ConsoleLogin: z.string().min(1) }),
  additionalEventData: z.looseObject({ MFAUsed: z.string().optional() }).nullish(),
});

/** `CreateAccessKey`'s answer names the new key's id (the secret is never logged). */
const createKeyResponseSchema = z.looseObject({
  accessKey: z.looseObject({ accessKeyId: z.string().min(1) }),
});

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new UnusableEventError(`${what}: ${z.prettifyError(result.error)}`);
  return result.data;
}

/** IAM acts on the caller itself when the request names no user: for the root user, on root. */
function forTheCallerItself(detail: CloudTrailDetail): boolean {
  const userName = detail.requestParameters?.userName;
  return typeof userName !== "string" || userName === "";
}

const yesNo = (value: string | undefined): boolean | undefined =>
  value === "Yes" ? true : value === "No" ? false : undefined;

function sessionMfa(detail: CloudTrailDetail): boolean | undefined {
  const flag = detail.userIdentity.sessionContext?.attributes?.mfaAuthenticated;
  return flag === undefined ? undefined : flag === true || flag === "true";
}

function activity(detail: CloudTrailDetail, mfaUsed: boolean | undefined): RootActivity {
  return {
    eventSource: detail.eventSource,
    eventName: detail.eventName,
    eventTime: detail.eventTime,
    region: detail.awsRegion,
    ...(detail.sourceIPAddress ? { sourceIp: detail.sourceIPAddress } : {}),
    ...(detail.userAgent ? { userAgent: detail.userAgent } : {}),
    ...(mfaUsed !== undefined ? { mfaUsed } : {}),
  };
}

/** The root user's activity, or undefined when the event is not the root user at work. */
function rootActivityOf(detail: CloudTrailDetail): RootActivity | undefined | "failed-sign-in" {
  // CIS' root-usage filter: a call an AWS service made on the root user's behalf is not root at work.
  if (detail.userIdentity.invokedBy) return undefined;
  if (detail.eventName !== "ConsoleLogin") return activity(detail, sessionMfa(detail));
  const login = parse(consoleLoginSchema, detail, "ConsoleLogin");
  // A failed sign-in changed nothing and let nobody in (failures carry no errorCode to filter on).
  if (login.responseElements.ConsoleLogin !== "Success") return "failed-sign-in";
  return activity(detail, yesNo(login.additionalEventData?.MFAUsed));
}

/**
 * Root-user events: any watched call or sign-in by the root user is activity; `CreateAccessKey`
 * for the root user itself says it has a key; `DeleteAccessKey` for itself is confirmed live
 * (GetAccountSummary), since the root user may have a second key. Other principals' events say
 * nothing about the account: no observation.
 */
export function fromRootEvent(detail: CloudTrailDetail, account: string): AccountObservation[] {
  if (detail.userIdentity.type !== "Root") return [];
  const rootActivity = rootActivityOf(detail);
  if (rootActivity === "failed-sign-in") return [];
  const state: AccountState = { accountId: account, ...(rootActivity ? { rootActivity } : {}) };
  const ownKey = detail.eventSource === IAM_SOURCE && forTheCallerItself(detail);
  if (ownKey && detail.eventName === "CreateAccessKey") {
    const { accessKey } = parse(
      createKeyResponseSchema,
      detail.responseElements,
      "CreateAccessKey responseElements",
    );
    state.rootAccessKeys = { present: true, source: "CreateAccessKey", accessKeyId: accessKey.accessKeyId };
  }
  const needsRefresh = ownKey && detail.eventName === "DeleteAccessKey";
  if (!state.rootActivity && !state.rootAccessKeys && !needsRefresh) return [];
  return [
    {
      resource: accountRef(account, partitionOf(detail.awsRegion)),
      state,
      // Complete for the parts the event states; a check whose part is missing stays undecided.
      complete: true,
      observedAt: detail.eventTime,
      tagsKnown: true,
      ...(needsRefresh ? { needsRefresh } : {}),
    },
  ];
}
