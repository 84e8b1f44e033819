import type { IAMClient } from "@aws-sdk/client-iam";
import { loadIam } from "../../aws/sdk";
import { credentialReportActions, readCredentialReport } from "../../iam-credentials/read";
import { ROOT_ROW_USER, type CredentialFacts } from "../../iam-credentials/report";
import type { Observation } from "../../resources/adapter";
import { partitionOfArn } from "../../resources/iam-identity/ref";
import { iamUserReadActions } from "../../resources/iam-user/adapter";
import { hasLoginProfile, hasMfaDevice } from "../../resources/iam-user/live";
import { IAM_USER_TYPE, iamUserRef } from "../../resources/iam-user/ref";
import type { ConsoleAccess, IamUserState } from "../../resources/iam-user/state";
import { defineCollector, type CollectContext, type Collector } from "../collector";
import { DefaultVersions, grantsReadActions, identityTags, readGrants } from "./iam-grants";

/** ListUsers takes up to 1000 per page: the most, for the fewest calls. */
const PAGE_SIZE = 1000;

export interface IamUsersOptions {
  pageSize?: number;
  /** How long to wait for IAM to build the credential report (see `readCredentialReport`). */
  report?: { attempts?: number; delayMs?: number };
}

type UserObservation = Observation<"AWS::IAM::User">;

/** A user the report does not list (created since it was generated): console access read live. */
async function liveConsole(iam: IAMClient, userName: string): Promise<ConsoleAccess | undefined> {
  const mfaActive = await hasMfaDevice(iam, userName);
  if (mfaActive === undefined) return undefined;
  const passwordEnabled = await hasLoginProfile(iam, userName);
  return { passwordEnabled, mfaActive, source: "GetLoginProfile + ListMFADevices" };
}

/**
 * Every IAM user, one observation each, merging the two views the event path has separately:
 * the credential report's row (IAM.3 key age, IAM.8/IAM.22 unused credentials, IAM.5 console MFA,
 * as `credentialReportObservations` states them) and the live policies (IAM.2, admin grants,
 * escalation) with tags.
 *
 * The merge: one observation per user, `complete` only when both parts are whole, i.e. the user
 * has a row in the report and every policy was read, so a clean result resolves only what was
 * really judged. Its `observedAt` is the report's generation time (the older part, up to four
 * hours old as IAM reuses reports): a finding an event updated since then is newer and is left to
 * that event. A user created since the report has no row: its console access is read live and the
 * observation is partial (the credential checks stay undecided, a violation still opens). The
 * report is read before the listing, so a row whose user the listing lacks is a deleted user (not
 * yielded: the sweep resolves its findings as deleted).
 */
export function iamUsersCollector(options: IamUsersOptions = {}): Collector<"AWS::IAM::User"> {
  return defineCollector({
    resourceType: IAM_USER_TYPE,
    scope: "global",
    iamActions: [
      ...credentialReportActions,
      "iam:ListUsers",
      ...grantsReadActions("user"),
      // ListUserTags, and GetLoginProfile + ListMFADevices for users the report does not list yet.
      ...iamUserReadActions,
    ],
    async *collect(ctx: CollectContext): AsyncIterable<UserObservation> {
      const [iam, { paginateListUsers }] = await Promise.all([ctx.clients.iam(), loadIam()]);
      const report = await readCredentialReport(iam, options.report);
      const rows = new Map<string, CredentialFacts>(
        report.users.filter((row) => row.user !== ROOT_ROW_USER).map((row) => [row.user, row]),
      );
      const versions = new DefaultVersions(iam);
      const now = ctx.now.toISOString();
      const pages = paginateListUsers({ client: iam }, { MaxItems: options.pageSize ?? PAGE_SIZE });
      for await (const page of pages) {
        for (const user of page.Users ?? []) {
          const userName = user.UserName;
          if (!userName) continue;
          const grants = await readGrants("user", iam, userName, versions, ctx.config);
          const tags = grants && (await identityTags("user", iam, userName));
          const row = rows.get(userName);
          const console: ConsoleAccess | undefined = row
            ? {
                passwordEnabled: row.passwordEnabled === true,
                mfaActive: row.mfaActive,
                source: "credential report",
              }
            : grants && (await liveConsole(iam, userName));
          // Deleted while being read: skipped (a later sweep, or DeleteUser's event, resolves it).
          if (!grants || !tags || !console) continue;
          const resource = iamUserRef(userName, ctx.account, partitionOfArn(user.Arn), user.Arn);
          const state: IamUserState = {
            userName,
            userArn: resource.arn,
            console,
            ...(row
              ? { credentials: { facts: row, reportGeneratedAt: report.generatedTime, asOf: now } }
              : {}),
            grants,
            tags,
          };
          yield {
            resource,
            state,
            complete: row !== undefined,
            observedAt: row ? report.generatedTime : now,
            tagsKnown: true,
          };
        }
      }
    },
  });
}

export default iamUsersCollector();
