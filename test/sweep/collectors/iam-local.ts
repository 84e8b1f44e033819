import { IAMClient } from "@aws-sdk/client-iam";
import type { CloudTrailDetail } from "../../../shared/events/cloudtrail";
import { adapterFor } from "../../../shared/resources/catalog";
import type { Observation } from "../../../shared/resources/adapter";
import { startLocalAws, type LocalAws } from "../../support/local-aws/server";
import type { IamGrantsDouble } from "../../support/local-aws/iam-grants";
import type { IamPoliciesDouble } from "../../support/local-aws/iam-policies";
import { loadEvent } from "../../support/events";
import { credentials } from "./data-context";

/** The local IAM endpoint (users, grants and policies doubles) and a real SDK client on it. */
export interface LocalIam {
  aws: LocalAws;
  iam: IAMClient;
  grants: IamGrantsDouble;
  policies: IamPoliciesDouble;
  /** The IAM requests of one action since the server started, with their logged parameters. */
  calls(action: string): Record<string, string>[];
  close(): Promise<void>;
}

export async function startLocalIam(): Promise<LocalIam> {
  const aws = await startLocalAws();
  const iam = new IAMClient({ endpoint: aws.endpoint, region: "us-east-1", credentials, maxAttempts: 1 });
  const [grants, policies] = aws.doublesOf("iam") as [IamGrantsDouble, IamPoliciesDouble];
  return {
    aws,
    iam,
    grants,
    policies,
    calls: (action) => aws.calls("iam", action).map((r) => r.params),
    close: async () => {
      iam.destroy();
      await aws.close();
    },
  };
}

/** The event path: a sample CloudTrail event through the type's adapter (no refresh). */
export function fromSampleEvent(resourceType: string, path: string): Observation[] {
  const event = loadEvent(path);
  const adapter = adapterFor(resourceType);
  if (!adapter) throw new Error(`no adapter for ${resourceType}`);
  return adapter.fromCloudTrail(event.detail as unknown as CloudTrailDetail, String(event.account));
}
