import { z } from "zod";
import type { Violation } from "../checks/define";
import { GROUPS, ROLES, USERS, type IdentitySpec, type IdentityType } from "../checks/iam-grants/identities";
import { IDENTITY, type IdentityKind } from "../resources/iam-identity/kinds";
import { defaultVersionIdOf, identityIam } from "../resources/iam-identity/live";
import { defineRemediation, type RemediationDefinition, type RemediationOutcome } from "./define";
import { exemptBeforeRestore } from "./iam-identity/exempt-on-undo";

/** An ADMIN_POLICY_ATTACHED violation: the policy, and for a customer managed one the version judged admin. */
const evidenceSchema = z.looseObject({
  policyArn: z.string().regex(/^arn:[^:]+:iam::[^:]+:policy\/.+/),
  judgedBy: z.string(),
  versionId: z.string().min(1).optional(),
});
type Target = z.infer<typeof evidenceSchema>;

function targetsOf(violations: Violation[]): Target[] {
  const byArn = new Map<string, Target>();
  for (const v of violations) {
    const parsed = evidenceSchema.safeParse(v.evidence);
    if (parsed.success) byArn.set(parsed.data.policyArn, parsed.data);
  }
  return [...byArn.values()];
}

const undoParamsSchema = z.looseObject({
  identityType: z.enum(["user", "role", "group"]),
  identityName: z.string().min(1),
  policyArns: z.array(z.string().min(1)).min(1),
  exemptChecks: z.array(z.string()).default([]),
  exemptionTagKey: z.string().default("vigil:exempt"),
});

type Outcome = { arn: string; kind: "detached" | "gone" | "changed"; note?: string };

function detachRemediation<T extends IdentityType>(spec: IdentitySpec<T>): RemediationDefinition<T> {
  const kind: IdentityKind = spec.kind;
  const { noun, nameField } = IDENTITY[kind];
  const id = `detach-admin-policy-${kind}`;
  const call = (name: string, arn: string) => `Detach${noun}Policy ${nameField}=${name} PolicyArn=${arn}`;
  return defineRemediation<T>({
    id,
    title: `Detach exactly the administrator managed policy from the ${kind}`,
    resourceType: spec.resourceType,
    // GetPolicy: a customer managed policy is detached only while its judged version is still the default.
    iamActions: [`iam:Detach${noun}Policy`, "iam:GetPolicy"],
    undoIamActions: [
      `iam:Attach${noun}Policy`,
      ...(IDENTITY[kind].taggable ? [`iam:List${noun}Tags`, `iam:Tag${noun}`] : []),
    ],
    // Whatever the identity does with those permissions stops working at once.
    disruptive: true,
    ...(IDENTITY[kind].taggable ? {} : { undoExemptsByTag: false }),
    async apply({ state, violations, dryRun }, clients): Promise<RemediationOutcome> {
      const name = spec.view(state).name;
      const targets = targetsOf(violations);
      if (!targets.length) return { result: "skipped", action: "no attached policy to detach", awsCalls: 0 };
      if (dryRun)
        return {
          result: "planned",
          action: targets.map((t) => call(name, t.policyArn)).join("; "),
          awsCalls: 0,
        };

      const client = await clients.iam();
      const iam = await identityIam(kind, client);
      const outcomes: Outcome[] = [];
      let awsCalls = 0;
      for (const target of targets) {
        if (target.judgedBy === "document" && target.versionId) {
          awsCalls++;
          const current = await defaultVersionIdOf(client, target.policyArn);
          if (current && current !== target.versionId) {
            outcomes.push({
              arn: target.policyArn,
              kind: "changed",
              note: `${target.policyArn}: default version is now ${current}, not the admin ${target.versionId}: left attached`,
            });
            continue;
          }
        }
        awsCalls++;
        const detached = await iam.detach(name, target.policyArn);
        outcomes.push({ arn: target.policyArn, kind: detached ? "detached" : "gone" });
      }
      const done = outcomes.filter((o) => o.kind === "detached").map((o) => o.arn);
      const notes = outcomes.flatMap((o) => (o.note ? [o.note] : []));
      const gone = outcomes.filter((o) => o.kind === "gone").map((o) => `${o.arn}: already detached`);
      const detail = [...notes, ...gone].join("; ");
      const extra = detail ? { detail } : {};
      if (!done.length) {
        const allGone = outcomes.every((o) => o.kind === "gone");
        return {
          result: allGone ? "already-gone" : "skipped",
          action: `${kind} ${name}: nothing detached`,
          ...extra,
          awsCalls,
        };
      }
      return {
        result: "succeeded",
        action: done.map((arn) => call(name, arn)).join("; "),
        ...extra,
        undo: { remediationId: id, params: { identityType: kind, identityName: name, policyArns: done } },
        awsCalls,
      };
    },
    async undo(payload, clients) {
      const params = undoParamsSchema.parse(payload.params);
      const iam = await identityIam(kind, await clients.iam());
      const exempted = await exemptBeforeRestore(
        kind,
        iam,
        params.identityName,
        params.exemptChecks,
        params.exemptionTagKey,
      );
      for (const arn of params.policyArns) await iam.attach(params.identityName, arn);
      return `${kind} ${params.identityName}: re-attached ${params.policyArns.join(", ")}${exempted}`;
    },
  });
}

/**
 * VIGIL.IAM.ADMIN_POLICY_ATTACHED_*: detaches exactly the policy the violation names (one definition per
 * kind: a remediation has one resource type). A customer managed policy judged by its document is detached
 * only while the judged version is still its default (an edit since may have made it harmless). `vigil undo`
 * tags the user or role exempt, then re-attaches the same ARNs; groups can't be tagged (the finding reopens).
 */
export const detachAdminPolicy = [
  detachRemediation(USERS),
  detachRemediation(ROLES),
  detachRemediation(GROUPS),
];
