import { restricts } from "../../resources/ecr-repository/policy-exposure";
import { grantsWrite, publicStatements } from "../../resources/s3-bucket/policy-analysis";
import { defineCheck } from "../define";
import { bucketReadActions, policyTriggers } from "./triggers";

/** Enough actions and resources to say what is exposed, few enough for an alert. */
const MAX_LISTED = 10;

/**
 * Security Hub's S3.2/S3.3 (public read/write) judge the policy, the ACL and Block Public Access
 * together; this check judges the bucket policy only, so it has its own id and no control mapping.
 */
export default defineCheck({
  id: "VIGIL.S3.PUBLIC_POLICY",
  title: "S3 bucket policies should not grant access to everyone",
  severity: "CRITICAL",
  resourceType: "AWS::S3::Bucket",
  controls: [],
  description:
    'The bucket policy allows Principal "*" with no condition limiting callers to your accounts, organization or networks (aws:PrincipalOrgID, aws:SourceVpce, aws:SourceIp...), so anyone on the internet can use the granted actions. Critical when they can write or delete, high when read-only. Remove the statement or add such a condition.',
  triggers: policyTriggers,
  iamActions: bucketReadActions,
  undecided: (state) =>
    state.policy === undefined ? "this source does not say what the bucket policy is" : undefined,
  evaluate(state) {
    // With RestrictPublicBuckets on, S3 ignores what a public policy grants outside the account.
    if ((state.restrictPublicBuckets ?? state.publicAccessBlock?.restrictPublicBuckets) === true) return [];
    return publicStatements(state.policy).map((statement, i) => {
      const name = statement.sid ? `statement ${statement.sid}` : `statement ${i + 1}`;
      const principal = statement.notPrincipal ? "everyone outside NotPrincipal" : "everyone (*)";
      const actions = statement.actions.slice(0, MAX_LISTED);
      const granted = actions.join(", ") || "(no action listed)";
      const write = grantsWrite(statement);
      return {
        summary: `bucket ${state.bucketName} policy ${name} allows ${principal}: ${statement.notAction ? `every action except ${granted}` : granted}`,
        evidence: {
          bucketName: state.bucketName,
          ...(statement.sid ? { sid: statement.sid } : {}),
          principal: statement.notPrincipal ? "NotPrincipal" : "*",
          [statement.notAction ? "notActions" : "actions"]: actions,
          ...(statement.actions.length > MAX_LISTED
            ? { moreActions: statement.actions.length - MAX_LISTED }
            : {}),
          [statement.notResource ? "notResources" : "resources"]: statement.resources.slice(0, MAX_LISTED),
          access: write ? "write" : "read",
          // Conditions that are there but do not limit who may call (e.g. aws:SecureTransport).
          nonRestrictingConditions: statement.conditions
            .filter((c) => !restricts(c))
            .map((c) => `${c.operator} ${c.key}`),
        },
        severity: write ? "CRITICAL" : "HIGH",
      };
    });
  },
});
