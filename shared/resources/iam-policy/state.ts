import type { PolicyDocument } from "../../policy";

/** The calls (or the Config item) that can change which document a policy grants. */
export type PolicyChangeSource =
  "CreatePolicy" | "CreatePolicyVersion" | "SetDefaultPolicyVersion" | "ConfigItem";

/** What made the default version what it is: the remediation needs it to know what to revert. */
export interface PolicyChange {
  source: PolicyChangeSource;
  /** The version the call made default; for a Config item, the default it records. Undefined when the event doesn't say. */
  versionId?: string;
  /** When: the call's eventTime, or the item's capture time. */
  at: string;
}

/**
 * One customer managed policy: its default (effective) version's document and how it is used. Only the
 * default version counts: the others grant nothing until someone makes them default.
 */
export interface IamPolicyState {
  policyArn: string;
  policyName: string;
  /** IAM's `ANPA…` id (Config's resource id), when the source says it. */
  policyId?: string;
  /** The version in effect, when known. */
  defaultVersionId?: string;
  /** The default version's document, normalised by shared/policy. */
  document?: PolicyDocument;
  /** Where `document` comes from, for evidence: `CreatePolicyVersion request`, `GetPolicyVersion v3`, `AWS Config item`. */
  documentSource: string;
  /** Why the default version's document can't be judged (unreadable text, not read yet); checks stay undecided. */
  documentProblem?: string;
  /** Users, groups and roles the policy is attached to (as a permissions policy). */
  attachmentCount?: number;
  /** Users and roles using it as their permissions boundary. */
  permissionsBoundaryUsageCount?: number;
  change: PolicyChange;
  /** `arn:aws:iam::aws:policy/…`: not the customer's, not judged. */
  awsManaged?: boolean;
  tags?: Record<string, string>;
}
