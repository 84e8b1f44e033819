import type { AccessKeyMetadata, IAMClient } from "@aws-sdk/client-iam";
import { z } from "zod";
import { loadIam } from "../aws/sdk";
import type { Violation } from "../checks/define";
import { undoExemptionTags } from "../exemptions/undo-tags";
import { wholeDaysBetween } from "../iam-credentials/rules";
import { isNoSuchEntity, userTags } from "../resources/iam-user/live";
import {
  defineRemediation,
  type RemediationClients,
  type RemediationInput,
  type RemediationOutcome,
} from "./define";

export const DEACTIVATE_ACCESS_KEY_ID = "deactivate-access-key";

/** A key violation's evidence (IAM.3: age; IAM.8/22: unused). The report names slots, not key ids. */
const keyEvidenceSchema = z.looseObject({
  userName: z.string().min(1),
  credential: z.literal("accessKey"),
  keySlot: z.union([z.literal(1), z.literal(2)]),
  lastRotated: z.iso.datetime(),
  maxAccessKeyAge: z.number().int().positive().optional(),
  maxCredentialUsageAge: z.number().int().positive().optional(),
});

/** One key to deactivate, found by its creation time, with the limits it broke. */
interface Target {
  slot: 1 | 2;
  lastRotated: string;
  maxAge?: number;
  maxUnused?: number;
}

const minDefined = (a?: number, b?: number) => (a === undefined ? b : b === undefined ? a : Math.min(a, b));

function targetsOf(violations: Violation[]): { userName?: string; targets: Target[]; passwords: number } {
  const bySlot = new Map<number, Target>();
  let userName: string | undefined;
  let passwords = 0;
  for (const v of violations) {
    if (v.evidence.credential === "password") passwords++;
    const parsed = keyEvidenceSchema.safeParse(v.evidence);
    if (!parsed.success) continue;
    const e = parsed.data;
    userName = e.userName;
    const t = bySlot.get(e.keySlot) ?? { slot: e.keySlot, lastRotated: e.lastRotated };
    bySlot.set(e.keySlot, {
      ...t,
      maxAge: minDefined(t.maxAge, e.maxAccessKeyAge),
      maxUnused: minDefined(t.maxUnused, e.maxCredentialUsageAge),
    });
  }
  return { userName, targets: [...bySlot.values()].sort((a, b) => a.slot - b.slot), passwords };
}

const sameSecond = (a: Date | undefined, iso: string) =>
  a !== undefined && Math.floor(a.getTime() / 1000) === Math.floor(Date.parse(iso) / 1000);

type KeyOutcome =
  | { kind: "deactivated"; keyId: string }
  | { kind: "already-inactive" | "gone" | "no-longer" | "ambiguous"; note: string };

/** Is the key still older, or still unused longer, than its violation said? The report may be hours old. */
async function stillViolating(
  iam: IAMClient,
  key: AccessKeyMetadata,
  t: Target,
  now: Date,
): Promise<boolean> {
  const created = key.CreateDate?.getTime() ?? Date.parse(t.lastRotated);
  if (t.maxAge !== undefined && wholeDaysBetween(created, now) > t.maxAge) return true;
  if (t.maxUnused === undefined) return false;
  const { GetAccessKeyLastUsedCommand } = await loadIam();
  const out = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.AccessKeyId }));
  const lastUsed = out.AccessKeyLastUsed?.LastUsedDate?.getTime() ?? created;
  return wholeDaysBetween(lastUsed, now) >= t.maxUnused;
}

async function deactivate(
  iam: IAMClient,
  userName: string,
  keys: AccessKeyMetadata[],
  t: Target,
): Promise<KeyOutcome> {
  const label = `access key ${t.slot} (created or rotated ${t.lastRotated})`;
  const matches = keys.filter((k) => sameSecond(k.CreateDate, t.lastRotated));
  if (!matches.length) return { kind: "gone", note: `${label}: no longer exists` };
  if (matches.length > 1) return { kind: "ambiguous", note: `${label}: two keys share its creation time` };
  const key = matches[0] as AccessKeyMetadata;
  if (key.Status !== "Active")
    return { kind: "already-inactive", note: `${label} ${key.AccessKeyId}: already inactive` };
  if (!(await stillViolating(iam, key, t, new Date())))
    return {
      kind: "no-longer",
      note: `${label} ${key.AccessKeyId}: used or rotated since the report, left active`,
    };
  const { UpdateAccessKeyCommand } = await loadIam();
  await iam.send(
    new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: key.AccessKeyId, Status: "Inactive" }),
  );
  return { kind: "deactivated", keyId: key.AccessKeyId ?? "" };
}

const PASSWORDS_LEFT = "console passwords are left as they are: delete an unused login profile yourself";

async function apply(
  input: RemediationInput<"AWS::IAM::User">,
  clients: RemediationClients,
): Promise<RemediationOutcome> {
  const { state, violations, dryRun } = input;
  const { targets, passwords } = targetsOf(violations);
  const userName = state.userName;
  const passwordNote = passwords ? { detail: PASSWORDS_LEFT } : {};
  if (!targets.length)
    return { result: "skipped", action: "no access key to deactivate", ...passwordNote, awsCalls: 0 };
  const keys = targets.map((t) => `access key ${t.slot} (created or rotated ${t.lastRotated})`).join(", ");
  if (dryRun)
    return {
      result: "planned",
      action: `UpdateAccessKey Status=Inactive for user ${userName}: ${keys}`,
      ...passwordNote,
      awsCalls: 0,
    };

  const iam = await clients.iam();
  const { ListAccessKeysCommand } = await loadIam();
  let listed: AccessKeyMetadata[];
  try {
    listed = (await iam.send(new ListAccessKeysCommand({ UserName: userName }))).AccessKeyMetadata ?? [];
  } catch (error) {
    if (!isNoSuchEntity(error)) throw error;
    return { result: "already-gone", action: `user ${userName} no longer exists`, awsCalls: 1 };
  }
  const outcomes: KeyOutcome[] = [];
  for (const t of targets) outcomes.push(await deactivate(iam, userName, listed, t));
  const done = outcomes.flatMap((o) => (o.kind === "deactivated" ? [o.keyId] : []));
  const notes = outcomes.flatMap((o) => (o.kind === "deactivated" ? [] : [o.note]));
  const detail = [...notes, ...(passwords ? [PASSWORDS_LEFT] : [])].join("; ");
  const awsCalls = 1 + targets.length * 2;
  const extra = detail ? { detail } : {};
  if (outcomes.some((o) => o.kind === "ambiguous"))
    return {
      result: "failed",
      action: `user ${userName}: could not tell which key to deactivate`,
      ...extra,
      awsCalls,
    };
  if (!done.length) {
    const gone = outcomes.every((o) => o.kind === "gone" || o.kind === "already-inactive");
    return {
      result: gone ? "already-gone" : "skipped",
      action: `user ${userName}: no key deactivated`,
      ...extra,
      awsCalls,
    };
  }
  return {
    result: "succeeded",
    action: `user ${userName}: deactivated access key ${done.join(", ")}`,
    ...extra,
    undo: { remediationId: DEACTIVATE_ACCESS_KEY_ID, params: { userName, accessKeyIds: done } },
    awsCalls,
  };
}

const undoParamsSchema = z.looseObject({
  userName: z.string().min(1),
  accessKeyIds: z.array(z.string().min(1)).min(1),
  exemptChecks: z.array(z.string()).default([]),
  exemptionTagKey: z.string().default("vigil:exempt"),
});

export default defineRemediation<"AWS::IAM::User">({
  id: DEACTIVATE_ACCESS_KEY_ID,
  title: "Deactivate an IAM user's old or unused access key",
  resourceType: "AWS::IAM::User",
  // ListAccessKeys finds the key by creation time; GetAccessKeyLastUsed confirms it is still unused.
  iamActions: ["iam:ListAccessKeys", "iam:GetAccessKeyLastUsed", "iam:UpdateAccessKey"],
  undoIamActions: ["iam:ListUserTags", "iam:TagUser", "iam:UpdateAccessKey"],
  // Whatever still uses the key stops working at once.
  disruptive: true,
  apply,
  async undo(payload, clients) {
    const params = undoParamsSchema.parse(payload.params);
    const [iam, { TagUserCommand, UpdateAccessKeyCommand }] = await Promise.all([clients.iam(), loadIam()]);
    let exempted = "";
    if (params.exemptChecks.length) {
      // Tag first: the next sweep must find the user exempt, or Vigil would deactivate the key again.
      const current = await userTags(iam, params.userName);
      const { tags, summary } = undoExemptionTags(current, params.exemptChecks, params.exemptionTagKey);
      await iam.send(
        new TagUserCommand({
          UserName: params.userName,
          Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      );
      exempted = `; user ${params.userName} ${summary}`;
    }
    const restored: string[] = [];
    for (const keyId of params.accessKeyIds) {
      try {
        await iam.send(
          new UpdateAccessKeyCommand({ UserName: params.userName, AccessKeyId: keyId, Status: "Active" }),
        );
        restored.push(keyId);
      } catch (error) {
        if (!isNoSuchEntity(error)) throw error;
        restored.push(`${keyId} (deleted since: nothing to reactivate)`);
      }
    }
    return `user ${params.userName}: reactivated access key ${restored.join(", ")}${exempted}`;
  },
});
