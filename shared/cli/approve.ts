import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { approve, type Approver } from "../approvals/approve";
import { standardClientConfig } from "../aws/clients";
import { loadSts } from "../aws/sdk";
import type { VigilConfig } from "../config/schema";
import { awsConfigured, runtimeFromEnv } from "../pipeline/environment";

export const APPROVE_USAGE = `Usage: npm run vigil -- approve <finding-id> [--as <name>]

Runs the remediation a dry-run finding planned, after re-reading the resource (nothing is changed
if it no longer violates the check), and records who approved it. The approver is the AWS caller
identity (STS) when AWS is configured; --as adds a name to show, and names the approver without AWS.`;

type Out = (line: string) => void;

/** The caller's ARN and account, or why they could not be read (a local endpoint without STS). */
async function callerIdentity(): Promise<{ arn: string; account: string } | { error: string }> {
  try {
    const { STSClient, GetCallerIdentityCommand } = await loadSts();
    const sts = new STSClient(standardClientConfig);
    const out = await sts.send(new GetCallerIdentityCommand({}));
    sts.destroy();
    if (!out.Arn || !out.Account) return { error: "GetCallerIdentity returned no ARN" };
    return { arn: out.Arn, account: out.Account };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/**
 * `vigil approve <finding-id> [--as <name>]`: 0 when the planned remediation ran, 1 when the
 * approval was refused or did not remediate, 2 for a usage error.
 */
export async function approveCommand(
  argv: string[],
  config: VigilConfig,
  io: { out: Out; err: Out } = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
  },
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { as: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${APPROVE_USAGE}`);
    return 2;
  }
  const { positionals, values } = parsed;
  if (values.help) {
    io.out(APPROVE_USAGE);
    return 0;
  }
  const [findingId, ...extra] = positionals;
  if (!findingId || extra.length || values.as === "") {
    io.err(APPROVE_USAGE);
    return 2;
  }

  let approver: Approver = { by: values.as ?? userInfo().username, via: "cli" };
  let account: string | undefined;
  if (awsConfigured(env)) {
    const identity = await callerIdentity();
    if ("arn" in identity) {
      approver = { by: values.as ?? identity.arn, principal: identity.arn, via: "cli" };
      account = identity.account;
    } else {
      io.err(
        `could not read the AWS caller identity (${identity.error}); recording the approver as ${approver.by}`,
      );
    }
  }

  const owned = await runtimeFromEnv(config, {});
  try {
    const result = await approve(findingId, approver, owned.runtime, {
      ...(env.AWS_REGION ? { region: env.AWS_REGION } : {}),
      ...(account ? { account } : {}),
    });
    io.out(result.message);
    return result.approved ? 0 : 1;
  } finally {
    await owned.close();
  }
}
