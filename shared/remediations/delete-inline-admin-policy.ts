import { z } from "zod";
import type { Violation } from "../checks/define";
import { GROUPS, ROLES, USERS, type IdentitySpec, type IdentityType } from "../checks/iam-grants/identities";
import { IDENTITY, type IdentityKind } from "../resources/iam-identity/kinds";
import { identityIam } from "../resources/iam-identity/live";
import { compactDocument, sameDocument } from "../resources/iam-identity/policy-text";
import { defineRemediation, type RemediationDefinition, type RemediationOutcome } from "./define";
import { exemptBeforeRestore } from "./iam-identity/exempt-on-undo";

const evidenceSchema = z.looseObject({ policyName: z.string().min(1) });

const undoParamsSchema = z.looseObject({
  identityType: z.enum(["user", "role", "group"]),
  identityName: z.string().min(1),
  /** Each deleted policy with its document as compact JSON (policies hold no secrets). */
  policies: z.array(z.object({ name: z.string().min(1), document: z.string().min(2) })).min(1),
  exemptChecks: z.array(z.string()).default([]),
  exemptionTagKey: z.string().default("vigil:exempt"),
});

function policyNames(violations: Violation[]): string[] {
  return [
    ...new Set(
      violations.flatMap((v) => {
        const parsed = evidenceSchema.safeParse(v.evidence);
        return parsed.success ? [parsed.data.policyName] : [];
      }),
    ),
  ];
}

type Outcome =
  | { kind: "deleted"; name: string; document: string }
  | { kind: "gone" | "changed" | "unknown"; name: string; note: string };

function deleteRemediation<T extends IdentityType>(spec: IdentitySpec<T>): RemediationDefinition<T> {
  const kind: IdentityKind = spec.kind;
  const { noun, nameField } = IDENTITY[kind];
  const id = `delete-inline-admin-policy-${kind}`;
  const call = (name: string, policy: string) =>
    `Delete${noun}Policy ${nameField}=${name} PolicyName=${policy}`;
  return defineRemediation<T>({
    id,
    title: `Delete exactly the inline admin policy of the ${kind}, if it is still the document judged`,
    resourceType: spec.resourceType,
    iamActions: [`iam:Get${noun}Policy`, `iam:Delete${noun}Policy`],
    undoIamActions: [
      `iam:Put${noun}Policy`,
      ...(IDENTITY[kind].taggable ? [`iam:List${noun}Tags`, `iam:Tag${noun}`] : []),
    ],
    // Whatever the identity does with those permissions stops working at once.
    disruptive: true,
    ...(IDENTITY[kind].taggable ? {} : { undoExemptsByTag: false }),
    async apply({ state, violations, dryRun }, clients): Promise<RemediationOutcome> {
      const view = spec.view(state);
      const names = policyNames(violations);
      if (!names.length) return { result: "skipped", action: "no inline policy to delete", awsCalls: 0 };
      if (dryRun)
        return {
          result: "planned",
          action: `${names.map((p) => call(view.name, p)).join("; ")} (after checking each is still the document judged)`,
          awsCalls: 0,
        };

      const iam = await identityIam(kind, await clients.iam());
      const judged = new Map((view.grants?.inline?.policies ?? []).map((p) => [p.name, p.document]));
      const outcomes: Outcome[] = [];
      let awsCalls = 0;
      for (const policyName of names) {
        const seen = judged.get(policyName);
        if (seen === undefined) {
          outcomes.push({
            kind: "unknown",
            name: policyName,
            note: `"${policyName}": no document to compare: left alone`,
          });
          continue;
        }
        awsCalls++;
        const live = await iam.getInline(view.name, policyName);
        const document = live === undefined ? undefined : compactDocument(live);
        if (live === undefined || document === undefined) {
          outcomes.push({ kind: "gone", name: policyName, note: `"${policyName}": already deleted` });
          continue;
        }
        // Someone may have fixed (or changed) the policy since the event: only the document judged goes.
        if (!sameDocument(live, seen)) {
          outcomes.push({
            kind: "changed",
            name: policyName,
            note: `"${policyName}": changed since it was judged: left alone`,
          });
          continue;
        }
        awsCalls++;
        const deleted = await iam.deleteInline(view.name, policyName);
        outcomes.push(
          deleted
            ? { kind: "deleted", name: policyName, document }
            : { kind: "gone", name: policyName, note: `"${policyName}": already deleted` },
        );
      }
      const done = outcomes.flatMap((o) =>
        o.kind === "deleted" ? [{ name: o.name, document: o.document }] : [],
      );
      const detail = outcomes.flatMap((o) => (o.kind === "deleted" ? [] : [o.note])).join("; ");
      const extra = detail ? { detail } : {};
      if (!done.length) {
        const allGone = outcomes.every((o) => o.kind === "gone");
        return {
          result: allGone ? "already-gone" : "skipped",
          action: `${kind} ${view.name}: no inline policy deleted`,
          ...extra,
          awsCalls,
        };
      }
      return {
        result: "succeeded",
        action: done.map((p) => call(view.name, p.name)).join("; "),
        ...extra,
        undo: { remediationId: id, params: { identityType: kind, identityName: view.name, policies: done } },
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
      for (const policy of params.policies)
        await iam.putInline(params.identityName, policy.name, policy.document);
      const names = params.policies.map((p) => `"${p.name}"`).join(", ");
      return `${kind} ${params.identityName}: put back inline policy ${names}${exempted}`;
    },
  });
}

/**
 * VIGIL.IAM.INLINE_ADMIN_*: deletes exactly the inline policy the violation names (one definition per kind),
 * after reading it live (Get*Policy) and checking it is still the document Vigil judged. The undo payload
 * keeps that document as compact JSON; `vigil undo` tags the user or role exempt, then puts it back
 * (Put*Policy, same name and content). Groups can't be tagged (the finding reopens; see the undo message).
 */
export const deleteInlineAdminPolicy = [
  deleteRemediation(USERS),
  deleteRemediation(ROLES),
  deleteRemediation(GROUPS),
];
