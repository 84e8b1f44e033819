import type { Environment } from "aws-cdk-lib";
import type { Node } from "constructs";
import { ConfigError } from "../shared/config/load";

const ACCOUNT_ID = /^\d{12}$/;

/**
 * Where the stacks go: the CLI's account and region (CDK_DEFAULT_*, from the credentials and
 * profile), the account overridable with `-c account=<id>` (e.g. to synth without credentials).
 * Without either the stack is environment-agnostic, which is enough to synth in us-east-1 or with
 * no region; elsewhere the us-east-1 forwarder of global services' events needs the account.
 */
export function deploymentEnvironment(node: Node, processEnv: NodeJS.ProcessEnv): Environment {
  const raw: unknown = node.tryGetContext("account");
  if (raw !== undefined && (typeof raw !== "string" || !ACCOUNT_ID.test(raw))) {
    throw new ConfigError(
      `Invalid CDK context "account": expected a 12-digit AWS account id as a string, got ${JSON.stringify(raw)}`,
    );
  }
  return { account: raw ?? processEnv.CDK_DEFAULT_ACCOUNT, region: processEnv.CDK_DEFAULT_REGION };
}
