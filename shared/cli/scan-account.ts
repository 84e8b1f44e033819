import { loadSts } from "../aws/sdk";
import type { ReadClients } from "../resources/adapter";

const ACCOUNT_ID = /^\d{12}$/;

/**
 * The account the credentials belong to: the SDK's providers fill `accountId` from AWS_ACCOUNT_ID,
 * SSO, credential_process and assumed roles; otherwise STS GetCallerIdentity (which needs no
 * permission) asks, with the same Region, endpoint settings and credentials as the scan's clients.
 * Undefined when neither can tell: the caller then asks for `--account`.
 */
export async function accountFromCredentials(clients: ReadClients): Promise<string | undefined> {
  const ec2 = await clients.ec2();
  const identity = await ec2.config.credentials();
  if (identity.accountId && ACCOUNT_ID.test(identity.accountId)) return identity.accountId;
  const { STSClient, GetCallerIdentityCommand } = await loadSts();
  const sts = new STSClient({ region: await ec2.config.region(), credentials: ec2.config.credentials });
  try {
    const { Account } = await sts.send(new GetCallerIdentityCommand({}));
    return Account && ACCOUNT_ID.test(Account) ? Account : undefined;
  } catch {
    // No STS behind the endpoint (a local AWS-compatible one) or no network: `--account` settles it.
    return undefined;
  } finally {
    sts.destroy();
  }
}
