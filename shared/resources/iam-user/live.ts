import type { IAMClient } from "@aws-sdk/client-iam";
import { errorName } from "../../aws/errors";
import { loadIam } from "../../aws/sdk";

/** IAM's "not found" (the SDK names it NoSuchEntityException; the wire code is NoSuchEntity). */
export function isNoSuchEntity(error: unknown): boolean {
  const name = errorName(error);
  return name === "NoSuchEntityException" || name === "NoSuchEntity";
}

/** Whether the user has an MFA device; undefined when the user no longer exists. */
export async function hasMfaDevice(iam: IAMClient, userName: string): Promise<boolean | undefined> {
  const { ListMFADevicesCommand } = await loadIam();
  try {
    const out = await iam.send(new ListMFADevicesCommand({ UserName: userName }));
    return (out.MFADevices ?? []).length > 0;
  } catch (error) {
    if (isNoSuchEntity(error)) return undefined;
    throw error;
  }
}

/** Whether the user has a console password (GetLoginProfile answers NoSuchEntity when not). */
export async function hasLoginProfile(iam: IAMClient, userName: string): Promise<boolean> {
  const { GetLoginProfileCommand } = await loadIam();
  try {
    await iam.send(new GetLoginProfileCommand({ UserName: userName }));
    return true;
  } catch (error) {
    if (isNoSuchEntity(error)) return false;
    throw error;
  }
}

/** The user's tags (exemptions); {} when the user is gone. One page: a user has at most 50 tags. */
export async function userTags(iam: IAMClient, userName: string): Promise<Record<string, string>> {
  const { ListUserTagsCommand } = await loadIam();
  try {
    const out = await iam.send(new ListUserTagsCommand({ UserName: userName }));
    return Object.fromEntries((out.Tags ?? []).map((t) => [t.Key ?? "", t.Value ?? ""]));
  } catch (error) {
    if (isNoSuchEntity(error)) return {};
    throw error;
  }
}
