import type { CloudTrailClient } from "@aws-sdk/client-cloudtrail";
import { z } from "zod";
import { errorName } from "../../aws/errors";
import { standardClientConfig } from "../../aws/clients";
import { loadCloudTrail } from "../../aws/sdk";
import { policyFromRequest, policyRequestSchema } from "./policy";
import type { PasswordPolicy } from "./state";

/**
 * The policy in force before a change, from CloudTrail's event history (LookupEvents, the last 90
 * days of management events; IAM's are kept in us-east-1). AWS Config can't say: the password
 * policy is no Config resource type. Unknown when the history has no earlier change or can't be read.
 */
export type PreviousPolicy =
  { known: true; policy: PasswordPolicy | null; setAt: string } | { known: false; reason: string };

const CHANGES = ["UpdateAccountPasswordPolicy", "DeleteAccountPasswordPolicy"] as const;

const recordSchema = z.looseObject({
  eventSource: z.literal("iam.amazonaws.com"),
  eventName: z.enum(CHANGES),
  eventTime: z.string().min(1),
  errorCode: z.string().nullish(),
  requestParameters: z.record(z.string(), z.unknown()).nullish(),
});
type ChangeRecord = z.infer<typeof recordSchema>;

function record(json: string | undefined): ChangeRecord | undefined {
  try {
    const parsed = recordSchema.safeParse(JSON.parse(json ?? ""));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The history is kept per Region: when Vigil runs elsewhere (IAM's events forwarded from us-east-1
 * to its home Region) the same credentials ask the Region the change was logged in.
 */
async function historyClient(
  base: CloudTrailClient,
  region: string,
): Promise<{ client: CloudTrailClient; own: boolean }> {
  if ((await base.config.region()) === region) return { client: base, own: false };
  const { CloudTrailClient } = await loadCloudTrail();
  const client = new CloudTrailClient({
    ...standardClientConfig,
    region,
    credentials: base.config.credentials,
  });
  return { client, own: true };
}

/** The newest successful policy change logged in `region` strictly before `before`. */
export async function policyBefore(
  base: CloudTrailClient,
  before: string,
  region: string,
): Promise<PreviousPolicy> {
  const { LookupEventsCommand } = await loadCloudTrail();
  const { client: cloudTrail, own } = await historyClient(base, region);
  const end = Date.parse(before);
  let records: ChangeRecord[];
  try {
    const answers = await Promise.all(
      CHANGES.map((name) =>
        cloudTrail.send(
          new LookupEventsCommand({
            LookupAttributes: [{ AttributeKey: "EventName", AttributeValue: name }],
            EndTime: new Date(end),
            MaxResults: 10,
          }),
        ),
      ),
    );
    records = answers.flatMap((a) =>
      (a.Events ?? []).map((e) => record(e.CloudTrailEvent)).filter((r) => r !== undefined),
    );
  } catch (error) {
    return { known: false, reason: `CloudTrail event history unavailable (${errorName(error) || "error"})` };
  } finally {
    if (own) cloudTrail.destroy();
  }
  // Strictly earlier: the change itself (and anything logged in its second) can't tell what came before.
  const earlier = records
    .filter((r) => !r.errorCode && Date.parse(r.eventTime) < end)
    .sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));
  const latest = earlier[0];
  if (!latest)
    return {
      known: false,
      reason: `no earlier password-policy change in CloudTrail's 90-day event history (${region})`,
    };
  if (latest.eventName === "DeleteAccountPasswordPolicy")
    return { known: true, policy: null, setAt: latest.eventTime };
  const request = policyRequestSchema.safeParse(latest.requestParameters ?? {});
  if (!request.success)
    return { known: false, reason: "the earlier UpdateAccountPasswordPolicy record is unreadable" };
  return { known: true, policy: policyFromRequest(request.data), setAt: latest.eventTime };
}
