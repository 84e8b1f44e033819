import type { IAMClient } from "@aws-sdk/client-iam";
import { setTimeout as sleep } from "node:timers/promises";
import { errorName } from "../aws/errors";
import { loadIam } from "../aws/sdk";
import { parseCredentialReport, type CredentialReport } from "./report";

/** Read actions (plus one generation call) the sweep's role needs to read the report. */
export const credentialReportActions = ["iam:GenerateCredentialReport", "iam:GetCredentialReport"];

/** A report still being generated: ask again shortly. */
const NOT_READY = new Set(["CredentialReportNotReadyException", "ReportInProgress"]);

/**
 * Generates (IAM reuses a report younger than four hours) and reads the credential report,
 * waiting while IAM builds it. Throws when it is not ready after `attempts` tries.
 */
export async function readCredentialReport(
  iam: IAMClient,
  { attempts = 10, delayMs = 2_000 }: { attempts?: number; delayMs?: number } = {},
): Promise<CredentialReport> {
  const { GenerateCredentialReportCommand, GetCredentialReportCommand } = await loadIam();
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const generated = await iam.send(new GenerateCredentialReportCommand({}));
    if (generated.State === "COMPLETE") {
      try {
        const out = await iam.send(new GetCredentialReportCommand({}));
        return parseCredentialReport(out.Content ?? new Uint8Array(), out.GeneratedTime ?? "");
      } catch (error) {
        if (!NOT_READY.has(errorName(error))) throw error;
      }
    }
    if (attempt < attempts) await sleep(delayMs);
  }
  throw new Error(`the IAM credential report was not ready after ${attempts} attempts`);
}
