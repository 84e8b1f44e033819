import { z } from "zod";
import type { ProtectionChange } from "./state";

const toggle = z.looseObject({ enable: z.boolean().optional() }).optional();

const statusSchema = z.enum(["ENABLED", "DISABLED"]);

/**
 * `UpdateDetector`'s protection settings as CloudTrail records them (the wire's camelCase): the
 * current `features` list and the legacy `dataSources` object. Agent-management `additionalConfiguration`
 * is not judged on its own (turning it off may just mean the agent is managed another way); when a
 * call turns a plan off together with its agent management, both are recorded so the restore puts
 * back the plan as it ran, agents included.
 */
export const protectionRequestSchema = z.looseObject({
  features: z
    .array(
      z.looseObject({
        name: z.string().min(1),
        status: statusSchema.optional(),
        additionalConfiguration: z
          .array(z.looseObject({ name: z.string().min(1), status: statusSchema.optional() }))
          .optional(),
      }),
    )
    .optional(),
  dataSources: z
    .looseObject({
      s3Logs: toggle,
      kubernetes: z.looseObject({ auditLogs: toggle }).optional(),
      malwareProtection: z
        .looseObject({
          scanEc2InstanceWithFindings: z.looseObject({ ebsVolumes: z.boolean().optional() }).optional(),
        })
        .optional(),
    })
    .optional(),
});

/** The plans a request turned on or off, by feature name; undefined when it named none. */
export function protectionChanges(
  request: z.infer<typeof protectionRequestSchema>,
): ProtectionChange[] | undefined {
  const changes = new Map<string, ProtectionChange>();
  const set = (feature: string, enabled: boolean | undefined, agentsOff: string[] = []) => {
    if (enabled === undefined) return;
    changes.set(feature, { feature, enabled, ...(!enabled && agentsOff.length ? { agentsOff } : {}) });
  };
  const sources = request.dataSources;
  // The legacy names first: a feature named in the same request wins.
  set("S3_DATA_EVENTS", sources?.s3Logs?.enable);
  set("EKS_AUDIT_LOGS", sources?.kubernetes?.auditLogs?.enable);
  set("EBS_MALWARE_PROTECTION", sources?.malwareProtection?.scanEc2InstanceWithFindings?.ebsVolumes);
  for (const f of request.features ?? []) {
    const agentsOff = (f.additionalConfiguration ?? [])
      .filter((a) => a.status === "DISABLED")
      .map((a) => a.name);
    set(f.name, f.status === undefined ? undefined : f.status === "ENABLED", agentsOff);
  }
  if (!changes.size) return undefined;
  return [...changes.values()];
}
