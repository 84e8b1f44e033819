import { findingId } from "../../shared/findings/id";
import { loadEvent } from "../support/events";

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";
export const CHECK_ID = "VIGIL.GUARDDUTY.FINDING";

/** GuardDuty finding ids in the samples under events/guardduty-findings/. */
export const SSH_FINDING = "e2c8a4f6b0d2e4a6c8e0f2b4d6a8c0e2";
export const BITCOIN_FINDING = "c4a8e2f6b0d2e4a6c8e0f2b4d6a8c0f1";
export const K8S_FINDING = "a6c0e2b4d8f0a2c4e6b8d0f2a4c6e8b0";
export const SAMPLE_FINDING = "d0c6e2b8f4a0c2e4a6b8c0d2e4f6a8b0";
export const KEY_FINDING = "f2a4c6e8b0d2f4a6c8e0b2d4f6a8c0e4";

export const INSTANCE_ID = "i-0c5e7a9b1d3f24680";
export const ENI_ID = "eni-0b7d9f1a3c5e24682";
export const WEB_GROUP = "sg-0a4f3c2e1b7d96855";
export const QUARANTINE_GROUP = "sg-0f1e2d3c4b5a69788";

/** A GuardDuty Finding event as the samples have it; `detail` typed loosely for edits. */
export interface FindingEvent {
  id: string;
  time: string;
  account: string;
  detail: {
    id: string;
    type: string;
    severity: number;
    accountId: string;
    updatedAt: string;
    resource: Record<string, unknown> & {
      instanceDetails?: { instanceId: string; networkInterfaces: Record<string, unknown>[] };
    };
    service: Record<string, unknown> & {
      count: number;
      archived: boolean;
      additionalInfo: Record<string, unknown>;
    };
  } & Record<string, unknown>;
}

export const findingEvent = (name: string) =>
  loadEvent(`guardduty-findings/${name}.json`) as unknown as FindingEvent;

export const idFor = (guardDutyFindingId: string) =>
  findingId({ account: ACCOUNT, region: REGION, checkId: CHECK_ID, resourceId: guardDutyFindingId });

/** Quarantine on, for the EC2 samples (the SSH sample is Low: 2.0). */
export const quarantineConfig = (extra: Record<string, unknown> = {}) => ({
  guardDuty: {
    quarantine: { enabled: true, securityGroupId: QUARANTINE_GROUP, minSeverity: 1, ...extra },
  },
});

/** An AWS SDK-style error (what the mocked clients reject with). */
export function awsError(name: string, message = name): Error {
  return Object.assign(new Error(message), { name, $metadata: {} });
}
