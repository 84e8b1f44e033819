import { z } from "zod";
import { valueFacts } from "../../leaks/secret-values";
import { UnusableEventError } from "../adapter";
import { parseTaskDefinitionArn } from "./ref";
import type { EcsContainer, EcsTaskDefinitionState, EnvironmentVariable } from "./state";

/** What CloudTrail writes instead of a value it won't log. */
export const HIDDEN = "HIDDEN_DUE_TO_SECURITY_REASONS";

const text = z.string().nullable().optional();
// Config writes some booleans as text; the API and CloudTrail as booleans.
const flag = z
  .preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean().nullable())
  .optional();
/** A list, or `[]` when absent, null, or hidden wholesale (CloudTrail may replace a field with a marker). */
const listOf = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => (Array.isArray(v) ? v : []), z.array(item));

const containerSchema = z.looseObject({
  name: z.string().min(1),
  image: text,
  privileged: flag,
  readonlyRootFilesystem: flag,
  user: text,
  environment: listOf(z.looseObject({ name: z.string(), value: text })),
  secrets: listOf(z.looseObject({ name: z.string(), valueFrom: text })),
  logConfiguration: z.looseObject({ logDriver: text }).nullable().optional(),
  linuxParameters: z
    .looseObject({
      capabilities: z
        .looseObject({ add: listOf(z.string()) })
        .nullable()
        .optional(),
    })
    .nullable()
    .optional(),
});

/** A task definition in the API's camelCase shape (DescribeTaskDefinition, CloudTrail's response, Config once camelized). */
const taskDefinitionSchema = z.looseObject({
  taskDefinitionArn: z.string(),
  family: z.string().min(1).optional(),
  revision: z.union([z.number(), z.string()]).optional(),
  status: text,
  networkMode: text,
  pidMode: text,
  runtimePlatform: z.looseObject({ operatingSystemFamily: text }).nullable().optional(),
  containerDefinitions: z.array(containerSchema),
});

/** `value` read with `schema`, or an UnusableEventError that says what was unreadable and why. */
export function parseOrUnusable<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new UnusableEventError(`${what}: ${z.prettifyError(result.error)}`);
  return result.data;
}

function environment(entries: { name: string; value?: string | null }[]): EnvironmentVariable[] {
  return entries.map(({ name, value }) =>
    // A hidden value is unknown, not empty: the checks must not judge it.
    value === HIDDEN ? { name } : { name, facts: valueFacts(value ?? "") },
  );
}

function container(c: z.infer<typeof containerSchema>): EcsContainer {
  const logDriver = c.logConfiguration?.logDriver;
  return {
    name: c.name,
    ...(c.image ? { image: c.image } : {}),
    ...(typeof c.privileged === "boolean" ? { privileged: c.privileged } : {}),
    ...(typeof c.readonlyRootFilesystem === "boolean"
      ? { readonlyRootFilesystem: c.readonlyRootFilesystem }
      : {}),
    ...(typeof c.user === "string" ? { user: c.user } : {}),
    environment: environment(c.environment),
    secretNames: c.secrets.map((s) => s.name),
    ...(logDriver ? { logDriver } : {}),
    addedCapabilities: c.linuxParameters?.capabilities?.add ?? [],
  };
}

/**
 * The state for one revision. Family and revision come from the definition, else from its ARN; a
 * definition without a readable ARN is not usable (the finding must say which revision it saw).
 */
export function stateFromDefinition(
  raw: unknown,
  what: string,
  tags?: Record<string, string>,
): EcsTaskDefinitionState {
  const d = parseOrUnusable(taskDefinitionSchema, raw, what);
  const fromArn = parseTaskDefinitionArn(d.taskDefinitionArn);
  const family = d.family ?? fromArn?.family;
  const revision = d.revision !== undefined ? Number(d.revision) : fromArn?.revision;
  if (!fromArn || !family || revision === undefined || !Number.isInteger(revision)) {
    throw new UnusableEventError(`${what}: no family and revision in "${d.taskDefinitionArn}"`);
  }
  const os = d.runtimePlatform?.operatingSystemFamily;
  return {
    family,
    arn: d.taskDefinitionArn,
    revision,
    // A registration's answer and a live read without a status are of a usable, i.e. ACTIVE, revision.
    status: d.status ?? "ACTIVE",
    ...(d.networkMode ? { networkMode: d.networkMode } : {}),
    ...(d.pidMode ? { pidMode: d.pidMode } : {}),
    ...(os ? { operatingSystemFamily: os } : {}),
    containers: d.containerDefinitions.map(container),
    ...(tags ? { tags } : {}),
  };
}
