import type { ECSClient } from "@aws-sdk/client-ecs";
import { z } from "zod";
import { loadEcs } from "../aws/sdk";
import type { Violation } from "../checks/define";
import {
  describeHardening,
  hardenedContainers,
  hardeningRisks,
  isHardened,
  type Hardening,
} from "../resources/ecs-task-definition/hardening";
import { describeLatestActive, isNoSuchTaskDefinition } from "../resources/ecs-task-definition/live";
import { parseTaskDefinitionArn, revisionName } from "../resources/ecs-task-definition/ref";
import { registrableCopy } from "../resources/ecs-task-definition/registrable";
import type { EcsTaskDefinitionState } from "../resources/ecs-task-definition/state";
import { undoExemptionTags } from "../exemptions/undo-tags";
import { defineRemediation, type RemediationOutcome } from "./define";

export const REGISTER_HARDENED_ID = "register-hardened-task-definition";

const undoParamsSchema = z.object({
  /** The revision Vigil registered, deregistered by undo. */
  revisionArn: z.string().startsWith("arn:"),
  /** The revision it was hardened from, the latest ACTIVE again after undo (unless a newer one came since). */
  sourceRevisionArn: z.string().startsWith("arn:"),
  /** Checks to mark exempt on the source revision, so Vigil doesn't register a hardened copy again. */
  exemptChecks: z.array(z.string()).default([]),
  exemptionTagKey: z.string().default("vigil:exempt"),
});
export type RegisterHardenedUndoParams = z.input<typeof undoParamsSchema>;
type UndoParams = z.infer<typeof undoParamsSchema>;

/** ECS.5's evidence names a container whose root filesystem is writable; ECS.20's one that runs as root. */
const readonlyEvidence = z.looseObject({
  container: z.string(),
  readonlyRootFilesystem: z.boolean().nullable(),
});
const rootUserEvidence = z.looseObject({
  container: z.string(),
  user: z.string().nullable(),
  replacementUser: z.string().min(1),
});

/** What the violations ask for: which containers get a read-only root filesystem, which a non-root user. */
function hardeningFor(violations: Violation[]): Hardening {
  const readonly = new Set<string>();
  const nonRoot = new Set<string>();
  let user: string | undefined;
  for (const { evidence } of violations) {
    const ro = readonlyEvidence.safeParse(evidence);
    if (ro.success) readonly.add(ro.data.container);
    const root = rootUserEvidence.safeParse(evidence);
    if (root.success) {
      nonRoot.add(root.data.container);
      user = root.data.replacementUser;
    }
  }
  return { readonly: [...readonly], nonRoot: user ? { containers: [...nonRoot], user } : undefined };
}

/**
 * What registering means for the workloads, said up front because it is why this is disruptive: a
 * new revision is the family's latest at once, and Vigil can't know whether the app survives it.
 */
function consequences(h: Hardening, family: string, revision: string, planned: boolean): string {
  const command = `\`aws ecs update-service --cluster <cluster> --service <service> --task-definition ${family}:${revision}\``;
  return (
    `test it first: ${hardeningRisks(h).join("; ")}. ` +
    `As the family's latest revision, tasks started by family name alone (RunTask, EventBridge schedules) ` +
    `${planned ? "would run it at once" : "run it from now on"}; ` +
    `services keep theirs until moved with ${command}`
  );
}

async function register(
  state: EcsTaskDefinitionState,
  h: Hardening,
  ecs: ECSClient,
): Promise<RemediationOutcome> {
  const source = revisionName(state);
  const latest = await describeLatestActive(ecs, state.family);
  // A copy of anything but the latest ACTIVE revision would put an outdated definition on top of the family.
  if (latest?.definition.revision !== state.revision) {
    const now = latest
      ? `the latest ACTIVE revision is ${state.family}:${latest.definition.revision}`
      : "the family has no ACTIVE revision";
    return {
      result: "skipped",
      action: `nothing registered: ${source} is no longer the latest ACTIVE revision (${now})`,
      awsCalls: 1,
    };
  }
  const containers = hardenedContainers(latest.definition.containerDefinitions ?? [], h);
  const { RegisterTaskDefinitionCommand } = await loadEcs();
  const out = await ecs.send(
    new RegisterTaskDefinitionCommand(registrableCopy(latest.definition, containers, latest.tags)),
  );
  const registered = out.taskDefinition;
  if (!registered?.taskDefinitionArn || !isHardened(registered, h)) {
    return {
      result: "failed",
      action: `hardened copy of ${source} not confirmed`,
      detail: `RegisterTaskDefinition answered ${registered?.taskDefinitionArn ?? "no task definition"} without ${describeHardening(h)}`,
      awsCalls: 2,
    };
  }
  const revision = String(
    registered.revision ?? parseTaskDefinitionArn(registered.taskDefinitionArn)?.revision ?? "?",
  );
  return {
    result: "succeeded",
    action: `registered ${state.family}:${revision}, a hardened copy of ${source} (${describeHardening(h)})`,
    detail: consequences(h, state.family, revision, false),
    undo: {
      remediationId: REGISTER_HARDENED_ID,
      params: {
        revisionArn: registered.taskDefinitionArn,
        sourceRevisionArn: state.arn,
      } satisfies RegisterHardenedUndoParams,
    },
    awsCalls: 2,
  };
}

const revisionOf = (arn: string) => {
  const p = parseTaskDefinitionArn(arn);
  return p ? `${p.family}:${p.revision ?? "?"}` : arn;
};

/** Tags the source revision exempt (see `undoExemptionTags`). Returns what was done, for undo's message. */
async function exemptSource(ecs: ECSClient, params: UndoParams): Promise<string> {
  const { ListTagsForResourceCommand, TagResourceCommand } = await loadEcs();
  const source = revisionOf(params.sourceRevisionArn);
  try {
    const out = await ecs.send(new ListTagsForResourceCommand({ resourceArn: params.sourceRevisionArn }));
    const current = Object.fromEntries((out.tags ?? []).map((t) => [t.key ?? "", t.value ?? ""]));
    const { tags, summary } = undoExemptionTags(current, params.exemptChecks, params.exemptionTagKey);
    await ecs.send(
      new TagResourceCommand({
        resourceArn: params.sourceRevisionArn,
        tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      }),
    );
    return `${source} ${summary}`;
  } catch (error) {
    if (!isNoSuchTaskDefinition(error)) throw error;
    return `${source} no longer exists, so nothing was tagged exempt`;
  }
}

/**
 * ECS.5 and ECS.20: registers a new revision of the family that is the latest ACTIVE one, field for
 * field, with `readonlyRootFilesystem: true` and/or a non-root `user` on the flagged containers.
 * Services are never touched. Disruptive all the same: tasks started by family name alone run the
 * new revision at once, and a read-only root filesystem or a non-root user can break the app.
 */
export default defineRemediation({
  id: REGISTER_HARDENED_ID,
  title: "Register a hardened task-definition revision (read-only root filesystem, non-root user)",
  resourceType: "AWS::ECS::TaskDefinition",
  iamActions: ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition", "ecs:TagResource", "iam:PassRole"],
  undoIamActions: ["ecs:ListTagsForResource", "ecs:TagResource", "ecs:DeregisterTaskDefinition"],
  disruptive: true,
  async apply({ state, violations, dryRun }, clients): Promise<RemediationOutcome> {
    const h = hardeningFor(violations);
    if (!h.readonly.length && !h.nonRoot)
      return { result: "skipped", action: "nothing to harden", awsCalls: 0 };
    if (dryRun) {
      return {
        result: "planned",
        action: `register a hardened copy of ${revisionName(state)} (${describeHardening(h)})`,
        detail: consequences(h, state.family, "<new revision>", true),
        awsCalls: 0,
      };
    }
    return register(state, h, await clients.ecs());
  },
  async undo(payload, clients) {
    const params = undoParamsSchema.parse(payload.params);
    const [ecs, { DeregisterTaskDefinitionCommand }] = await Promise.all([clients.ecs(), loadEcs()]);
    // Tag first: the deregistration's own event must find the source revision exempt, or Vigil would harden it again.
    const exempted = params.exemptChecks.length ? `; ${await exemptSource(ecs, params)}` : "";
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: params.revisionArn }));
    return (
      `deregistered ${revisionOf(params.revisionArn)} (the hardened revision)${exempted}; ` +
      `services already moved to it keep running it: move them back with \`aws ecs update-service --task-definition ${revisionOf(params.sourceRevisionArn)}\``
    );
  },
});
