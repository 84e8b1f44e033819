import type { Observation } from "../resources/adapter";
import { accountRef } from "../resources/account/ref";
import { iamUserRef } from "../resources/iam-user/ref";
import { CredentialReportError, ROOT_ROW_USER, type CredentialFacts, type CredentialReport } from "./report";
import { rootHasActiveAccessKey } from "./rules";

const ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):/;

function arnParts(facts: CredentialFacts): { partition: string; account: string } {
  const match = ARN.exec(facts.arn);
  if (!match) throw new CredentialReportError(`credential report: ${facts.arn} is not an IAM ARN`);
  return { partition: match[1] ?? "aws", account: match[2] ?? "" };
}

function userObservation(
  facts: CredentialFacts,
  report: CredentialReport,
  now: Date,
): Observation<"AWS::IAM::User"> {
  const { partition, account } = arnParts(facts);
  return {
    resource: iamUserRef(facts.user, account, partition, facts.arn),
    state: {
      userName: facts.user,
      userArn: facts.arn,
      console: {
        passwordEnabled: facts.passwordEnabled === true,
        mfaActive: facts.mfaActive,
        source: "credential report",
      },
      credentials: { facts, reportGeneratedAt: report.generatedTime, asOf: now.toISOString() },
    },
    // The row is the user's whole credential picture: a clean result resolves its open findings.
    complete: true,
    observedAt: report.generatedTime,
    tagsKnown: false,
  };
}

/**
 * The root user's row says IAM.4 only when a root key is active: an inactive key shows no date in
 * the report, so "no active key" is not "no key" and is left to GetAccountSummary (no observation).
 */
function rootObservation(facts: CredentialFacts, report: CredentialReport): Observation<"AWS::::Account">[] {
  if (!rootHasActiveAccessKey(facts)) return [];
  const { partition, account } = arnParts(facts);
  return [
    {
      resource: accountRef(account, partition),
      state: { accountId: account, rootAccessKeys: { present: true, source: "credential report" } },
      complete: true,
      observedAt: report.generatedTime,
      tagsKnown: true,
    },
  ];
}

/**
 * One observation per IAM user in the report (and one for the account when the root user has an
 * active key), for the pipeline's per-observation path: the sweep (issue 8) reads the report and
 * runs each through checks, exemptions, remediation and findings like an event's observation.
 */
export function credentialReportObservations(report: CredentialReport, now: Date): Observation[] {
  return report.users.flatMap((facts): Observation[] =>
    facts.user === ROOT_ROW_USER ? rootObservation(facts, report) : [userObservation(facts, report, now)],
  );
}
