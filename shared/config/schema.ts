import { z } from "zod";
import { remediationModeSchema } from "../core/modes";
import { severitySchema } from "../core/severity";
import { iamSettingsSchema } from "./iam";
import { eksSettingsSchema } from "./eks";
import { eksClusterSettingsSchema } from "./eks-clusters";
import { guardDutySettingsSchema } from "./guardduty";
import { sweepSettingsSchema } from "./sweep";
import { securityHubSettingsSchema } from "./security-hub";
import { forwardingSettingsSchema, organizationSettingsSchema } from "./organization";
import { accountsSchema, organizationalUnitIdSchema } from "./accounts";
import { notificationSettingsSchema } from "./notifications";
import { approvalSettingsSchema } from "./approval";

/** A port (`443`) or an inclusive range (`"1020-1025"`), as AWS Config's rule parameters write them. */
const portSpecSchema = z.union([
  z.number().int().min(0).max(65535),
  z
    .string()
    .regex(/^\d{1,5}(-\d{1,5})?$/, 'a port like "443" or a range like "1020-1025"')
    .refine((spec) => {
      if (!/^\d/.test(spec)) return true; // the regex above already reports it
      const [from = 0, to = from] = spec.split("-").map(Number);
      return from <= to && to <= 65535;
    }, "ports must be 0-65535 and ranges ascending"),
]);
export type PortSpec = z.infer<typeof portSpecSchema>;

const exemptionSchema = z
  .object({
    /** Check ids, or `*` for all. */
    checks: z.union([z.literal("*"), z.array(z.string().min(1)).min(1)]),
    accounts: z.array(z.string().regex(/^\d{12}$/, "a 12-digit account id")).optional(),
    /** Organizational units: the exemption covers every account below them (at any depth). */
    organizationalUnits: z.array(organizationalUnitIdSchema).optional(),
    regions: z.array(z.string().min(1)).optional(),
    resourceIds: z.array(z.string().min(1)).optional(),
    /** Source CIDRs that are allowed (compared as normalised networks). */
    cidrs: z.array(z.string().min(1)).optional(),
    reason: z.string().min(1, "every exemption needs a reason"),
    /** ISO date; the exemption stops counting after it. */
    until: z.iso.date().or(z.iso.datetime()).optional(),
  })
  .strict();
export type ConfigExemption = z.infer<typeof exemptionSchema>;

/** A CVE the team has judged acceptable for now: it no longer opens image findings until `until`. */
const cveAllowanceSchema = z
  .object({
    cve: z
      .string()
      .regex(/^(CVE-\d{4}-\d{4,}|GHSA-[\w-]+|[A-Z]+-[\w.-]+)$/, "a CVE id such as CVE-2024-12345"),
    reason: z.string().min(1, "every allowed CVE needs a reason"),
    /** ISO date; after it the CVE counts again. */
    until: z.iso.date().or(z.iso.datetime()).optional(),
    /** Repository names it applies to; all when absent. */
    repositories: z.array(z.string().min(1)).optional(),
  })
  .strict();
export type CveAllowance = z.infer<typeof cveAllowanceSchema>;

/** Container images: scan-result thresholds and the image-configuration rules checked at push. */
const containersSchema = z
  .object({
    vulnerabilities: z
      .object({
        /** Any vulnerability at or above this opens a finding, fixed or not. */
        openAt: severitySchema.default("CRITICAL"),
        /** A vulnerability with a fix available at or above this opens a finding. */
        openWithFixAt: severitySchema.default("HIGH"),
        /** How many CVEs a finding lists (worst first). */
        topCves: z.number().int().min(1).max(50).default(10),
        allowList: z.array(cveAllowanceSchema).default([]),
      })
      .strict()
      .prefault({}),
    images: z
      .object({
        /**
         * Approved base images: patterns matched against the image's declared base
         * (`org.opencontainers.image.base.name`), normalised to `registry/repository:tag`
         * (`node:18-alpine` is `docker.io/library/node:18-alpine`). `*` matches any run of characters.
         */
        approvedBaseImages: z
          .array(z.string().min(1))
          .default([
            "gcr.io/distroless/*",
            "cgr.dev/chainguard/*",
            "docker.io/library/alpine:*",
            "docker.io/library/*:alpine*",
            "docker.io/library/*:*-alpine*",
            "scratch",
          ]),
        /** Largest acceptable compressed image size (sum of layer sizes in the manifest), in MiB. */
        maxCompressedSizeMiB: z.number().positive().default(250),
        /** Extra environment-variable names accepted as not secret (GPG_KEY, GPG_KEYS always are). */
        acceptedEnvNames: z.array(z.string().min(1)).default([]),
      })
      .strict()
      .prefault({}),
    taskDefinitions: z
      .object({
        /** The user the ECS.20 remediation sets on containers that run as root (`uid:gid`). */
        nonRootUser: z
          .string()
          .regex(/^[a-zA-Z0-9_.-]+(:[a-zA-Z0-9_.-]+)?$/, 'a user like "1000:1000" or "app"')
          .refine((user) => !/^(root|0)(:|$)/.test(user), "the replacement user must not be root")
          .default("1000:1000"),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

/** Secrets Manager age limits (SecretsManager.3 and .4, evaluated by the sweep). */
const secretsManagerSchema = z
  .object({
    unusedForDays: z.number().int().min(1).max(365).default(90),
    maxDaysSinceRotation: z.number().int().min(1).max(180).default(90),
  })
  .strict()
  .prefault({});

export const vigilConfigSchema = z
  .object({
    /** EC2.18: ports that may be open to the world. */
    authorizedPorts: z
      .object({
        tcp: z.array(portSpecSchema).max(32).default([80, 443]),
        udp: z.array(portSpecSchema).max(32).default([]),
      })
      .strict()
      .default({ tcp: [80, 443], udp: [] }),
    /** Tag key holding exempt check ids (`*` for all); `<key>-until` and `<key>-reason` go with it. */
    exemptionTagKey: z.string().min(1).max(128).default("vigil:exempt"),
    /** Remediation mode overrides by check id. */
    modes: z.record(z.string(), remediationModeSchema).default({}),
    /** Mode for every check (overrides `modes`), e.g. the CLI's `--mode`. */
    modeOverride: remediationModeSchema.optional(),
    /** Role whose own API calls Vigil ignores (loop guard). */
    remediationRoleArn: z.string().startsWith("arn:").optional(),
    /** Role-name prefix that marks Vigil's remediation role when the exact ARN is not known. */
    remediationRoleNamePrefix: z.string().min(1).default("vigil-remediation"),
    minNotifySeverity: severitySchema.default("LOW"),
    exemptions: z.array(exemptionSchema).default([]),
    /** Loop guard: stop auto-remediating a resource that keeps coming back. */
    flapping: z
      .object({
        maxRemediations: z.number().int().min(1).default(5),
        windowMinutes: z.number().int().min(1).default(60),
      })
      .strict()
      .default({ maxRemediations: 5, windowMinutes: 60 }),
    containers: containersSchema,
    secretsManager: secretsManagerSchema,
    /** IAM thresholds (password policy, key age, unused credentials). */
    iam: iamSettingsSchema,
    /** EKS workloads from the audit log: clusters, Pod Security Standards levels, exempt namespaces. */
    eks: eksSettingsSchema,
    /** EKS cluster posture: the oldest supported Kubernetes version (EKS.2). */
    eksClusters: eksClusterSettingsSchema,
    /** GuardDuty findings: the severity that opens a finding, the optional EC2 quarantine response. */
    guardDuty: guardDutySettingsSchema,
    /** The scheduled sweep: when, which Regions, how many units at once. */
    sweep: sweepSettingsSchema,
    securityHub: securityHubSettingsSchema,
    /** Organisation mode: member accounts forward their events here and let Vigil assume a role. */
    organization: organizationSettingsSchema,
    /** Other Regions whose events are forwarded to the home Region. */
    forwarding: forwardingSettingsSchema,
    /** Approval of dry-run remediations: the Slack button's endpoint and who may use it. */
    approval: approvalSettingsSchema,
    /** Modes per account and per organizational unit (shared/config/accounts.ts). */
    accounts: accountsSchema,
    /** Alert routing (Slack channels, SNS topics), digest window and per-channel rate limit. */
    notifications: notificationSettingsSchema,
  })
  .strict();

export type VigilConfig = z.infer<typeof vigilConfigSchema>;
export type VigilConfigInput = z.input<typeof vigilConfigSchema>;
