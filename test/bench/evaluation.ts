import { checks } from "../../shared/checks/catalog";
import { parseConfig } from "../../shared/config/load";
import { runChecks } from "../../shared/pipeline/evaluate";
import type { Observation } from "../../shared/resources/adapter";
import { makeRule } from "../../shared/resources/security-group/rule-factory";
import { securityGroupRef } from "../../shared/resources/security-group/ref";

export interface EvaluationMeasure {
  resources: number;
  rulesPerResource: number;
  resourcesPerSecond: number;
  heapUsedMb: number;
}

/** Synthetic groups: mostly private sources, some world-open ports, like a real estate. */
function syntheticGroups(count: number, rulesPerGroup: number): Observation[] {
  return Array.from({ length: count }, (_, i) => {
    const groupId = `sg-${i.toString(16).padStart(17, "0")}`;
    const ingress = Array.from({ length: rulesPerGroup }, (_, r) =>
      makeRule({
        protocol: r % 7 === 0 ? "-1" : r % 3 === 0 ? "udp" : "tcp",
        fromPort: (r * 97) % 65000,
        toPort: ((r * 97) % 65000) + (r % 4),
        source:
          r % 11 === 0
            ? { kind: "cidr6", cidr: "::/0" }
            : r % 5 === 0
              ? { kind: "cidr4", cidr: "0.0.0.0/0" }
              : { kind: "cidr4", cidr: `10.${r % 255}.0.0/16` },
      }),
    );
    return {
      resource: securityGroupRef(groupId, "111122223333", "us-east-1"),
      state: { groupId, ingress },
      complete: true,
      observedAt: "2025-03-11T14:02:17Z",
      tagsKnown: true,
    };
  });
}

/** Checks only (no I/O): how many resources per second the catalog evaluates. */
export function measureEvaluation(resources: number, rulesPerResource = 20): EvaluationMeasure {
  const groups = syntheticGroups(resources, rulesPerResource);
  const context = { config: parseConfig({}) };
  const started = performance.now();
  let violations = 0;
  for (const group of groups) {
    for (const result of runChecks(group, checks, context)) violations += result.violations.length;
  }
  const seconds = (performance.now() - started) / 1000;
  if (!violations) throw new Error("synthetic groups produced no violations: the benchmark measures nothing");
  return {
    resources,
    rulesPerResource,
    resourcesPerSecond: resources / seconds,
    heapUsedMb: process.memoryUsage().heapUsed / 2 ** 20,
  };
}
