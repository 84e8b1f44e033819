import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { CheckContext, CheckDefinition } from "../../shared/checks/define";
import { parseConfig } from "../../shared/config/load";
import type { VigilConfigInput } from "../../shared/config/schema";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { configChangeDetailSchema } from "../../shared/events/config-item";
import { DETAIL_TYPES, envelopeSchema } from "../../shared/events/envelope";
import type { Observation } from "../../shared/resources/adapter";
import adapter from "../../shared/resources/security-group/adapter";
import { makeRule } from "../../shared/resources/security-group/rule-factory";
import type {
  IngressRule,
  RuleSource,
  SecurityGroupState,
} from "../../shared/resources/security-group/state";

export const ACCOUNT = "111122223333";
export const GROUP_ID = "sg-0123456789abcdef0";

export type SgCheck = CheckDefinition<"AWS::EC2::SecurityGroup">;
export type SgObservation = Observation<"AWS::EC2::SecurityGroup">;

/** The default configuration (authorized TCP 80/443, no UDP). */
export const defaultContext: CheckContext = { config: parseConfig({}) };

export function contextWith(input: VigilConfigInput): CheckContext {
  return { config: parseConfig(input) };
}

export const world4: RuleSource = { kind: "cidr4", cidr: "0.0.0.0/0" };
export const world6: RuleSource = { kind: "cidr6", cidr: "::/0" };
export const office4: RuleSource = { kind: "cidr4", cidr: "203.0.113.0/24" };
export const host4: RuleSource = { kind: "cidr4", cidr: "198.51.100.23/32" };
export const vpn4: RuleSource = { kind: "cidr4", cidr: "10.20.0.0/16" };
export const office6: RuleSource = { kind: "cidr6", cidr: "2001:db8:1234::/48" };
export const albGroup: RuleSource = { kind: "group", groupId: "sg-0b93d7e2a5c14f806", userId: ACCOUNT };
export const prefixList: RuleSource = { kind: "prefix-list", prefixListId: "pl-0a1b2c3d4e5f60718" };

let ruleCounter = 0;

/** A rule as the adapters build it (normalised protocol, canonical CIDR), with a unique rule id. */
export function rule(
  protocol: string | number,
  fromPort: number | string | undefined,
  toPort: number | string | undefined,
  source: RuleSource,
  ruleId = `sgr-${(++ruleCounter).toString(16).padStart(17, "0")}`,
): IngressRule {
  return makeRule({ protocol, fromPort, toPort, source, ruleId });
}

export function group(...ingress: IngressRule[]): SecurityGroupState {
  return {
    groupId: GROUP_ID,
    groupName: "web-tier",
    vpcId: "vpc-0d4e7a1c9b3f5e268",
    ownerId: ACCOUNT,
    ingress,
  };
}

/** The rules a check's violations point at, in order. */
export function flaggedRules(check: SgCheck, state: SecurityGroupState, context = defaultContext): unknown[] {
  return check.evaluate(state, context).map((v) => v.evidence.rule);
}

const EVENTS_DIR = fileURLToPath(new URL("../../events/security-group/", import.meta.url));

/** A real-shape sample from `events/security-group/`, as raw JSON. */
export function rawEvent(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(`${EVENTS_DIR}${file}`, "utf8")) as Record<string, unknown>;
}

/** Reads a real-shape sample (optionally edited) and turns it into observations via the adapter. */
export function observationsFrom(
  file: string,
  edit?: (event: Record<string, unknown>) => void,
): SgObservation[] {
  const raw = rawEvent(file);
  edit?.(raw);
  const envelope = envelopeSchema.parse(raw);
  if (envelope["detail-type"] === DETAIL_TYPES.cloudTrail) {
    return adapter.fromCloudTrail(cloudTrailDetailSchema.parse(envelope.detail), envelope.account);
  }
  const detail = configChangeDetailSchema.parse(envelope.detail);
  if (detail.messageType !== "ConfigurationItemChangeNotification") {
    throw new Error(`${file} carries no configuration item`);
  }
  return [adapter.fromConfigItem(detail.configurationItem)];
}

/** The single security-group state an event sample describes. */
export function stateFrom(file: string, edit?: (event: Record<string, unknown>) => void): SecurityGroupState {
  const observations = observationsFrom(file, edit);
  const state = observations[0]?.state;
  if (observations.length !== 1 || !state) throw new Error(`${file}: expected one observation with a state`);
  return state;
}

/** Drops the response so the adapter falls back to the request (legacy form, `"6"`, non-canonical CIDR). */
export function dropResponse(event: Record<string, unknown>): void {
  delete (event.detail as Record<string, unknown>).responseElements;
}
