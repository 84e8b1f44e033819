import type { ContainerDefinition, ECSClient, TaskDefinition, Tag } from "@aws-sdk/client-ecs";
import { z } from "zod";
import { loadEcs } from "../aws/sdk";
import { runsAsRoot } from "../checks/ecs/container-user";
import type { Violation } from "../checks/define";
import { isNoSuchTaskDefinition } from "../resources/ecs-task-definition/live";
import { parseTaskDefinitionArn, revisionName } from "../resources/ecs-task-definition/ref";
import { registrableCopy } from "../resources/ecs-task-definition/registrable";
import type { EcsTaskDefinitionState } from "../resources/ecs-task-definition/state";
import { defineRemediation, type RemediationOutcome } from "./define";

export const REGISTER_HARDENED_ID = "register-hardened-task-definition";

const undoParamsSchema = z.object({
  /** The revision Vigil registered, deregistered by undo. */
  revisionArn: z.string().startsWith("arn:"),
  /** The revision it was hardened from, the latest ACTIVE again after undo. */
  sourceRevisionArn: z.string().startsWith("arn:"),
  /** Checks to mark exempt on the source revision, so Vigil doesn't register a hardened copy again. */
  exemptChecks: z.array(z.string()).default([]),
  exemptionTagKey: z.string().default("vigil:exempt"),
});
export type RegisterHardenedUndoParams = z.input<typeof undoParamsSchema>;

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

interface Hardening {
  readonly: string[];
  nonRoot: { containers: string[]; user: string } | undefined;
}

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

const quoted = (names: string[]) => names.map((n) => `"${n}"`).join(", ");

function describeHardening(h: Hardening): string {
  return [
    ...(h.readonly.length ? [`readonlyRootFilesystem=true on ${quoted(h.readonly)}`] : []),
    ...(h.nonRoot ? [`user=${h.nonRoot.user} on ${quoted(h.nonRoot.containers)}`] : []),
  ].join("; ");
}

/** How to put the new revision to use: Vigil never updates services itself. */
function rollout(family: string, revision: string, planned: boolean): string {
  const command = `\`aws ecs update-service --cluster <cluster> --service <service> --task-definition ${family}:${revision}\``;
  return planned
    ? `services would not be changed: once it is registered, roll it out with ${command} after testing` +
        " (a read-only root filesystem or a non-root user can break an app that writes to its image or needs root);" +
        " tasks started by family name alone (RunTask, scheduled tasks) would use it at once"
    : `services were not changed: roll it out with ${command} after testing` +
        " (a read-only root filesystem or a non-root user can break an app that writes to its image or needs root);" +
        " tasks started by family name alone (RunTask, scheduled tasks) use it from now on";
}

/** The containers with the hardening applied; the others exactly as they are. */
function hardenedContainers(containers: ContainerDefinition[], h: Hardening): ContainerDefinition[] {
  return containers.map((c) => {
    const name = c.name ?? "";
    const readonly = h.readonly.includes(name) && c.readonlyRootFilesystem !== true;
    const user =
      h.nonRoot && h.nonRoot.containers.includes(name) && runsAsRoot(c.user) ? h.nonRoot.user : undefined;
    return { ...c, ...(readonly ? { readonlyRootFilesystem: true } : {}), ...(user ? { user } : {}) };
  });
}

/** Whether ECS registered what was asked (it echoes the definition back). */
function confirmed(registered: TaskDefinition | undefined, h: Hardening): boolean {
  const byName = new Map((registered?.containerDefinitions ?? []).map((c) => [c.name, c]));
  return (
    registered?.taskDefinitionArn !== undefined &&
    h.readonly.every((name) => byName.get(name)?.readonlyRootFilesystem === true) &&
    (h.nonRoot?.containers ?? []).every((name) => !runsAsRoot(byName.get(name)?.user))
  );
}

/** The family's latest ACTIVE revision and its tags, or undefined when it has none. */
async function latestActive(
  ecs: ECSClient,
  family: string,
): Promise<{ definition: TaskDefinition; tags: Tag[] | undefined } | undefined> {
  const { DescribeTaskDefinitionCommand } = await loadEcs();
  try {
    const out = await ecs.send(
      new DescribeTaskDefinitionCommand({ taskDefinition: family, include: ["TAGS"] }),
    );
    return out.taskDefinition ? { definition: out.taskDefinition, tags: out.tags } : undefined;
  } catch (error) {
    if (isNoSuchTaskDefinition(error)) return undefined;
    throw error;
  }
}

async function register(
  state: EcsTaskDefinitionState,
  h: Hardening,
  ecs: ECSClient,
): Promise<RemediationOutcome> {
  const source = revisionName(state);
  const latest = await latestActive(ecs, state.family);
  // Hardening anything but the latest ACTIVE revision would put an outdated definition on top of the family.
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
  if (!confirmed(registered, h)) {
    return {
      result: "failed",
      action: `hardened revision of ${source} not confirmed`,
      detail: `RegisterTaskDefinition answered ${registered?.taskDefinitionArn ?? "no task definition"} without ${describeHardening(h)}`,
      awsCalls: 2,
    };
  }
  const revision = String(
    registered?.revision ?? parseTaskDefinitionArn(registered?.taskDefinitionArn)?.revision ?? "?",
  );
  return {
    result: "succeeded",
    action: `registered ${state.family}:${revision} from ${source} with ${describeHardening(h)}`,
    detail: rollout(state.family, revision, false),
    undo: {
      remediationId: REGISTER_HARDENED_ID,
      params: {
        revisionArn: registered?.taskDefinitionArn ?? "",
        sourceRevisionArn: state.arn,
      } satisfies RegisterHardenedUndoParams,
    },
    awsCalls: 2,
  };
}

/**
 * ECS.5 and ECS.20: registers a new revision of the family that is the latest ACTIVE one, field for
 * field, with `readonlyRootFilesystem: true` and/or a non-root `user` on the flagged containers.
 * Services are never touched: the new revision runs only once someone rolls it out.
 */
export default defineRemediation({
  id: REGISTER_HARDENED_ID,
  title: "Register a hardened task-definition revision (read-only root filesystem, non-root user)",
  resourceType: "AWS::ECS::TaskDefinition",
  iamActions: ["ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition", "ecs:TagResource", "iam:PassRole"],
  undoIamActions: ["ecs:TagResource", "ecs:DeregisterTaskDefinition"],
  disruptive: false,
  async apply({ state, violations, dryRun }, clients): Promise<RemediationOutcome> {
    const h = hardeningFor(violations);
    if (!h.readonly.length && !h.nonRoot)
      return { result: "skipped", action: "nothing to harden", awsCalls: 0 };
    if (dryRun) {
      return {
        result: "planned",
        action: `would register a new revision of ${state.family} from ${revisionName(state)} with ${describeHardening(h)}`,
        detail: rollout(state.family, "<new revision>", true),
        awsCalls: 0,
      };
    }
    return register(state, h, await clients.ecs());
  },
  async undo(payload, clients) {
    const params = undoParamsSchema.parse(payload.params);
    const [ecs, { DeregisterTaskDefinitionCommand, TagResourceCommand }] = await Promise.all([
      clients.ecs(),
      loadEcs(),
    ]);
    const hardened = parseTaskDefinitionArn(params.revisionArn);
    const source = parseTaskDefinitionArn(params.sourceRevisionArn);
    const name = (p: typeof source) => (p ? `${p.family}:${p.revision ?? "?"}` : "?");
    let exempted = "";
    if (params.exemptChecks.length) {
      // Tag first: the deregistration's own event must find the source revision exempt, or Vigil would harden it again.
      // Space-separated ids: ECS tag values don't allow commas.
      const value = params.exemptChecks.join(" ");
      try {
        await ecs.send(
          new TagResourceCommand({
            resourceArn: params.sourceRevisionArn,
            tags: [
              { key: params.exemptionTagKey, value },
              { key: `${params.exemptionTagKey}-reason`, value: "restored with vigil undo" },
            ],
          }),
        );
        exempted = `; ${name(source)} tagged ${params.exemptionTagKey}=${value}`;
      } catch (error) {
        if (!isNoSuchTaskDefinition(error)) throw error;
        exempted = `; ${name(source)} no longer exists, so nothing was tagged exempt`;
      }
    }
    await ecs.send(new DeregisterTaskDefinitionCommand({ taskDefinition: params.revisionArn }));
    return (
      `deregistered ${name(hardened)} (the hardened revision)${exempted}; ` +
      `services already moved to it keep running it: move them back with \`aws ecs update-service --task-definition ${name(source)}\``
    );
  },
});
