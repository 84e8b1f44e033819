import type { AwsSecurityFinding, ImportFindingsError, SecurityHubClient } from "@aws-sdk/client-securityhub";
import { loadSecurityHub } from "../aws/sdk";
import { logger as defaultLogger, type VigilLogger } from "../log";
import { TokenBucket } from "./token-bucket";

/**
 * Security Hub's BatchImportFindings limits (partner guide, "Guidelines for using the
 * BatchImportFindings API"): 100 findings and 6 MB per call, 240 KB per finding, 10 calls per
 * second per account and Region with bursts of 30.
 */
export const BATCH_IMPORT_LIMITS = {
  findingsPerCall: 100,
  bytesPerCall: 6 * 1024 * 1024,
  bytesPerFinding: 240 * 1024,
  ratePerSecond: 10,
  burst: 30,
} as const;

export interface SecurityHubExportOptions {
  /** Findings per call (1-100, default 100). */
  batchSize?: number;
  /** Pacing (default 10 calls per second, bursts of 30). */
  ratePerSecond?: number;
  burst?: number;
  /** Extra attempts for a call still throttled after the SDK's own retries (default 2). */
  throttleRetries?: number;
  /** Injectable for tests: clock (ms) and sleep. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  logger?: VigilLogger;
}

export interface SecurityHubExportResult {
  /** Findings given. */
  attempted: number;
  /** Findings Security Hub accepted. */
  imported: number;
  /** Every finding not imported, with why: Security Hub's FailedFindings, calls that failed, and findings too large to send. */
  failed: ImportFindingsError[];
  /** BatchImportFindings calls made (retries excluded). */
  calls: number;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Throttling, as the SDK classifies it (LimitExceededException is Security Hub's throttle). */
function isThrottling(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return (
    status === 429 ||
    ["LimitExceededException", "TooManyRequestsException", "ThrottlingException"].includes(error.name)
  );
}

const sizeOf = (finding: AwsSecurityFinding) => Buffer.byteLength(JSON.stringify(finding), "utf8");

/** Batches of at most `size` findings and 6 MB, in order; findings over 240 KB are set aside as failed. */
function batches(
  findings: readonly AwsSecurityFinding[],
  size: number,
): { batches: AwsSecurityFinding[][]; tooLarge: ImportFindingsError[] } {
  const out: AwsSecurityFinding[][] = [];
  const tooLarge: ImportFindingsError[] = [];
  let current: AwsSecurityFinding[] = [];
  let bytes = 0;
  for (const finding of findings) {
    const findingBytes = sizeOf(finding);
    if (findingBytes > BATCH_IMPORT_LIMITS.bytesPerFinding) {
      tooLarge.push({
        Id: finding.Id,
        ErrorCode: "FindingTooLarge",
        ErrorMessage: `${findingBytes} bytes; Security Hub accepts at most ${BATCH_IMPORT_LIMITS.bytesPerFinding} per finding`,
      });
      continue;
    }
    // A little room per finding for the request's own JSON (commas, the wrapper).
    if (current.length >= size || bytes + findingBytes + 16 > BATCH_IMPORT_LIMITS.bytesPerCall) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(finding);
    bytes += findingBytes + 16;
  }
  if (current.length) out.push(current);
  return { batches: out.filter((b) => b.length), tooLarge };
}

/**
 * Sends ASFF findings to Security Hub with BatchImportFindings: at most 100 per call, paced under
 * the documented rate limit by a token bucket, throttled calls retried (by the SDK, then here).
 * Nothing is dropped silently: every finding Security Hub rejects, every finding of a call that
 * failed outright, and every finding too large to send is returned in `failed` and logged.
 *
 * The client must be in the Region of the findings' ProductArn, with the credentials of their
 * AwsAccountId (the default product accepts only the caller's own account's findings).
 */
export async function exportToSecurityHub(
  findings: readonly AwsSecurityFinding[],
  client: SecurityHubClient,
  options: SecurityHubExportOptions = {},
): Promise<SecurityHubExportResult> {
  const log = options.logger ?? defaultLogger;
  const sleep = options.sleep ?? sleepFor;
  const size = Math.min(BATCH_IMPORT_LIMITS.findingsPerCall, Math.max(1, options.batchSize ?? 100));
  const bucket = new TokenBucket(
    options.ratePerSecond ?? BATCH_IMPORT_LIMITS.ratePerSecond,
    options.burst ?? BATCH_IMPORT_LIMITS.burst,
    options.now ?? Date.now,
    sleep,
  );
  const throttleRetries = options.throttleRetries ?? 2;
  const { BatchImportFindingsCommand } = await loadSecurityHub();
  const plan = batches(findings, size);
  const failed: ImportFindingsError[] = [...plan.tooLarge];
  let imported = 0;
  let calls = 0;

  for (const batch of plan.batches) {
    calls++;
    for (let attempt = 0; ; attempt++) {
      await bucket.take();
      try {
        const answer = await client.send(new BatchImportFindingsCommand({ Findings: batch }));
        const rejected = answer.FailedFindings ?? [];
        failed.push(...rejected);
        imported += answer.SuccessCount ?? batch.length - rejected.length;
        break;
      } catch (error) {
        if (isThrottling(error) && attempt < throttleRetries) {
          // Past the SDK's own backoff: wait a whole second per attempt before the next try.
          await sleep(1000 * 2 ** attempt);
          continue;
        }
        const name = error instanceof Error ? error.name : "Error";
        const message = error instanceof Error ? error.message : String(error);
        failed.push(...batch.map((f) => ({ Id: f.Id, ErrorCode: name, ErrorMessage: message })));
        break;
      }
    }
  }

  if (failed.length) {
    log.warn("Security Hub did not import some findings", {
      failed: failed.length,
      imported,
      findings: failed
        .slice(0, 100)
        .map((f) => ({ id: f.Id, errorCode: f.ErrorCode, errorMessage: f.ErrorMessage })),
    });
  } else {
    log.info("Security Hub imported all findings", { imported, calls });
  }
  return { attempted: findings.length, imported, failed, calls };
}

/**
 * A Security Hub client with the SDK's standard retry (throttling included). Loaded on first use,
 * like every client; a longer request timeout than the Lambda readers' because a call carries up to 6 MB.
 */
export async function createSecurityHubClient(region?: string): Promise<SecurityHubClient> {
  const { SecurityHubClient: Client } = await loadSecurityHub();
  return new Client({
    ...(region ? { region } : {}),
    retryMode: "standard",
    maxAttempts: 5,
    requestHandler: { requestTimeout: 30_000, connectionTimeout: 3_000 },
  });
}
