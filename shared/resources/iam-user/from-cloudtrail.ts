import type { CloudTrailDetail } from "../../events/cloudtrail";
import { partitionOf } from "../account/ref";
import { UnusableEventError, type Observation } from "../adapter";
import { grantsChangeOf } from "../iam-identity/from-cloudtrail";
import { grantsComplete } from "../iam-identity/observe";
import { iamUserRef } from "./ref";
import type { ConsoleAccess } from "./state";

type UserObservation = Observation<"AWS::IAM::User">;

/**
 * The user a call acts on: `requestParameters.userName`, else (IAM's rule) the calling IAM user.
 * Undefined when the root user acts on itself (e.g. a root password created through AssumeRoot):
 * that is no IAM user.
 */
function targetUser(detail: CloudTrailDetail): string | undefined {
  const named = detail.requestParameters?.userName;
  if (typeof named === "string" && named !== "") return named;
  const identity = detail.userIdentity;
  if (identity.type === "Root") return undefined;
  if (identity.type === "IAMUser" && identity.userName) return identity.userName;
  throw new UnusableEventError(`${detail.eventName} names no user and was called by a ${identity.type}`);
}

/** What each call says about the user's console access; `refresh` when the rest must be read live. */
const CONSOLE_CALLS: Record<string, { console: Omit<ConsoleAccess, "source">; refresh: boolean }> = {
  // The event proves the password; whether an MFA device exists is read live (ListMFADevices).
  CreateLoginProfile: { console: { passwordEnabled: true }, refresh: true },
  // Another device may remain, and the password may be gone: both are read live.
  DeactivateMFADevice: { console: {}, refresh: true },
  // A user with an MFA device passes IAM.5 whether or not it has a password.
  EnableMFADevice: { console: { mfaActive: true }, refresh: false },
  // No password, no console: IAM.5 passes whatever the MFA devices.
  DeleteLoginProfile: { console: { passwordEnabled: false }, refresh: false },
};

/**
 * `Put/Delete/Attach/DetachUserPolicy`: the policy the call names (see grantsChangeOf). Complete only
 * once the refresh has read the rest; the user's other parts (console, credentials) stay unknown.
 */
function fromPolicyCall(detail: CloudTrailDetail, account: string): UserObservation[] | undefined {
  if (detail.eventName === "DeleteUser") return undefined;
  const change = grantsChangeOf("user", detail, account);
  if (!change) return undefined;
  const resource = iamUserRef(change.name, account, partitionOf(detail.awsRegion));
  return [
    {
      resource,
      state: { userName: change.name, userArn: resource.arn, grants: change.grants },
      complete: grantsComplete(change.grants),
      observedAt: detail.eventTime,
      tagsKnown: false,
      ...(change.needsRefresh ? { needsRefresh: true } : {}),
    },
  ];
}

export function fromUserEvent(detail: CloudTrailDetail, account: string): UserObservation[] {
  const policyCall = fromPolicyCall(detail, account);
  if (policyCall) return policyCall;
  const userName = targetUser(detail);
  if (userName === undefined) return [];
  const resource = iamUserRef(userName, account, partitionOf(detail.awsRegion));
  const base = { resource, complete: true, observedAt: detail.eventTime, tagsKnown: false };
  // A deleted user's findings all resolve: the user, its password and its keys are gone.
  if (detail.eventName === "DeleteUser") return [{ ...base, state: undefined }];
  const call = CONSOLE_CALLS[detail.eventName];
  if (!call) throw new UnusableEventError(`no IAM user reader for ${detail.eventName}`);
  return [
    {
      ...base,
      state: {
        userName,
        userArn: resource.arn,
        console: { ...call.console, source: detail.eventName },
      },
      ...(call.refresh ? { needsRefresh: true } : {}),
    },
  ];
}
