import type { DescribeSecretCommandOutput, SecretsManagerClient, Tag } from "@aws-sdk/client-secrets-manager";
import { errorName } from "../../aws/errors";
import { loadSecretsManager } from "../../aws/sdk";
import type { SecretState } from "./state";

/**
 * A rotation runs its four steps back to back, each a Lambda invocation of at most 15 minutes: an
 * AWSPENDING version older than this is a rotation that will not finish on its own.
 */
export const PENDING_ROTATION_GRACE_MS = 2 * 60 * 60_000;

const isSecretGone = (error: unknown) => errorName(error) === "ResourceNotFoundException";

export function tagsFromApi(tags: Tag[] | undefined): Record<string, string> {
  return Object.fromEntries(
    (tags ?? []).filter((t) => t.Key !== undefined).map((t) => [t.Key ?? "", t.Value ?? ""]),
  );
}

/** The secret's metadata (DescribeSecret never returns the value), or undefined when it no longer exists. */
export async function describeSecret(
  client: SecretsManagerClient,
  arn: string,
): Promise<DescribeSecretCommandOutput | undefined> {
  const { DescribeSecretCommand } = await loadSecretsManager();
  try {
    return await client.send(new DescribeSecretCommand({ SecretId: arn }));
  } catch (error) {
    if (isSecretGone(error)) return undefined;
    throw error;
  }
}

/** The version staged AWSPENDING but not AWSCURRENT, if any: a rotation that started and has not finished. */
function pendingVersionId(out: DescribeSecretCommandOutput): string | undefined {
  return Object.entries(out.VersionIdsToStages ?? {}).find(
    ([, stages]) => stages.includes("AWSPENDING") && !stages.includes("AWSCURRENT"),
  )?.[0];
}

/** When the pending version was created (ListSecretVersionIds lists versions and their dates, no values). */
async function pendingSince(
  client: SecretsManagerClient,
  arn: string,
  versionId: string,
): Promise<Date | undefined> {
  const { ListSecretVersionIdsCommand } = await loadSecretsManager();
  try {
    const out = await client.send(
      new ListSecretVersionIdsCommand({ SecretId: arn, IncludeDeprecated: false }),
    );
    return out.Versions?.find((v) => v.VersionId === versionId)?.CreatedDate;
  } catch (error) {
    if (isSecretGone(error)) return undefined;
    throw error;
  }
}

/**
 * The secret as it is now, on top of what the event said (`known`). A rotation failure the event
 * reported stands until a rotation succeeds after it. `complete` is false while a rotation is in
 * progress: the secret is changing under the read.
 */
export async function readSecret(
  client: SecretsManagerClient,
  known: SecretState,
  now: Date,
): Promise<{ state: SecretState | undefined; complete: boolean }> {
  const out = await describeSecret(client, known.arn);
  if (!out) return { state: undefined, complete: true };
  const region = known.arn.split(":")[3];
  const lastRotated = out.LastRotatedDate;
  const failure = known.rotationFailure;
  const failureStands = failure && !(lastRotated && lastRotated.getTime() > Date.parse(failure.at));
  const pendingId = pendingVersionId(out);
  const since = pendingId ? await pendingSince(client, known.arn, pendingId) : undefined;
  const stuck = since !== undefined && now.getTime() - since.getTime() > PENDING_ROTATION_GRACE_MS;
  const rules = out.RotationRules;
  const state: SecretState = {
    arn: out.ARN ?? known.arn,
    name: out.Name ?? known.name,
    asOf: known.asOf,
    tags: tagsFromApi(out.Tags),
    // Absent when the secret was never configured for rotation.
    rotationEnabled: out.RotationEnabled ?? false,
    ...(out.RotationLambdaARN ? { rotationLambdaArn: out.RotationLambdaARN } : {}),
    ...(rules
      ? {
          rotationRules: {
            ...(rules.AutomaticallyAfterDays !== undefined
              ? { automaticallyAfterDays: rules.AutomaticallyAfterDays }
              : {}),
            ...(rules.ScheduleExpression ? { scheduleExpression: rules.ScheduleExpression } : {}),
            ...(rules.Duration ? { duration: rules.Duration } : {}),
          },
        }
      : {}),
    ...(out.CreatedDate ? { createdDate: out.CreatedDate.toISOString() } : {}),
    ...(lastRotated ? { lastRotatedDate: lastRotated.toISOString() } : {}),
    ...(out.LastAccessedDate ? { lastAccessedDate: out.LastAccessedDate.toISOString() } : {}),
    ...(out.NextRotationDate ? { nextRotationDate: out.NextRotationDate.toISOString() } : {}),
    ...(out.DeletedDate ? { deletedDate: out.DeletedDate.toISOString() } : {}),
    ...(out.OwningService ? { owningService: out.OwningService } : {}),
    ...(out.PrimaryRegion && region && out.PrimaryRegion !== region ? { replica: true } : {}),
    ...(failure && failureStands ? { rotationFailure: failure } : {}),
    ...(pendingId ? { pendingRotation: { ...(since ? { since: since.toISOString() } : {}), stuck } } : {}),
  };
  return { state, complete: !pendingId || stuck };
}
