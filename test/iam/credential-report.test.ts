import { IAMClient } from "@aws-sdk/client-iam";
import { GenerateCredentialReportCommand, GetCredentialReportCommand } from "@aws-sdk/client-iam";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../shared/config/load";
import { evaluateCredentialReport } from "../../shared/iam-credentials/evaluate";
import { credentialReportObservations } from "../../shared/iam-credentials/observations";
import { readCredentialReport } from "../../shared/iam-credentials/read";
import { parseCredentialReport } from "../../shared/iam-credentials/report";
import type { IamDouble } from "../support/local-aws/iam";
import { startLocalAws, type LocalAws } from "../support/local-aws/server";
import { awsError, base64, csv, row, ROOT_ROW } from "./support";

const NOW = new Date("2025-06-01T12:00:00Z");
const ago = (days: number) => new Date(NOW.getTime() - days * 86_400_000).toISOString();
const config = parseConfig({});

const REPORT = parseCredentialReport(
  base64(
    csv(
      row({ user: "ci-deploy", key1: ["true", ago(120), ago(1)] }),
      row({
        user: "alice",
        password: { enabled: "true", lastUsed: ago(2), changed: ago(30) },
        mfa: "false",
        key1: ["true", ago(20), ago(60)],
      }),
      row({ user: "bob", password: { enabled: "true", lastUsed: ago(1), changed: ago(10) }, mfa: "true" }),
    ),
  ),
  "2025-06-01T08:00:00Z",
);

describe("evaluateCredentialReport: the evaluation, runnable now", () => {
  it("judges every user row with IAM.3/5/8/22 as of `now`, passing verdicts included", () => {
    const verdicts = evaluateCredentialReport(REPORT, NOW, config);
    const summary = verdicts.map((v) => [v.resource.id, v.checkId, v.violations.length]);
    expect(summary).toEqual([
      ["ci-deploy", "IAM.5", 0],
      ["ci-deploy", "IAM.3", 1],
      ["ci-deploy", "IAM.8", 0],
      ["ci-deploy", "IAM.22", 0],
      ["alice", "IAM.5", 1],
      ["alice", "IAM.3", 0],
      ["alice", "IAM.8", 0],
      ["alice", "IAM.22", 1],
      ["bob", "IAM.5", 0],
      ["bob", "IAM.3", 0],
      ["bob", "IAM.8", 0],
      ["bob", "IAM.22", 0],
    ]);
    const ci = verdicts.find((v) => v.checkId === "IAM.3" && v.resource.id === "ci-deploy");
    expect(ci).toMatchObject({
      resource: {
        type: "AWS::IAM::User",
        arn: "arn:aws:iam::111122223333:user/ci-deploy",
        account: "111122223333",
        region: "global",
      },
      title: "IAM users' access keys should be rotated every 90 days or less",
      severity: "MEDIUM",
      violations: [{ evidence: { keySlot: 1, ageDays: 120 } }],
    });
  });

  it("the root user's row reports IAM.4 only when a root key is active", () => {
    const withKey = parseCredentialReport(
      base64(
        csv().replace(
          ROOT_ROW,
          ROOT_ROW.replace(
            ",true,false,N/A,N/A,N/A,N/A,",
            ",true,true,2024-01-01T00:00:00+00:00,N/A,N/A,N/A,",
          ),
        ),
      ),
      NOW,
    );
    expect(
      evaluateCredentialReport(withKey, NOW, config).map((v) => [
        v.resource.type,
        v.checkId,
        v.violations.length,
      ]),
    ).toEqual([["AWS::::Account", "IAM.4", 1]]);
    expect(evaluateCredentialReport(parseCredentialReport(base64(csv()), NOW), NOW, config)).toEqual([]);
  });

  it("gives the pipeline one complete observation per user (the sweep's entry point)", () => {
    const observations = credentialReportObservations(REPORT, NOW);
    expect(
      observations.map((o) => [o.resource.type, o.resource.id, o.complete, o.tagsKnown, o.observedAt]),
    ).toEqual([
      ["AWS::IAM::User", "ci-deploy", true, false, "2025-06-01T08:00:00.000Z"],
      ["AWS::IAM::User", "alice", true, false, "2025-06-01T08:00:00.000Z"],
      ["AWS::IAM::User", "bob", true, false, "2025-06-01T08:00:00.000Z"],
    ]);
    expect(observations[1]?.state).toMatchObject({
      console: { passwordEnabled: true, mfaActive: false, source: "credential report" },
      credentials: { reportGeneratedAt: "2025-06-01T08:00:00.000Z", asOf: NOW.toISOString() },
    });
  });
});

describe("readCredentialReport", () => {
  let aws: LocalAws;
  let iam: IAMClient;
  beforeAll(async () => {
    aws = await startLocalAws();
    iam = new IAMClient({
      endpoint: aws.endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "t", secretAccessKey: "t" },
    });
  });
  afterAll(async () => {
    iam.destroy();
    await aws.close();
  });

  it("generates, waits while IAM builds it, then reads and parses it over the real wire protocol", async () => {
    const double = aws.double<IamDouble>("iam");
    double.addUser({
      name: "ops,night",
      created: "2024-01-01T00:00:00Z",
      accessKeys: [{ id: "AKIAXMPLOPSKEY000001", status: "Active", created: "2024-02-01T00:00:00Z" }],
    });
    const report = await readCredentialReport(iam, { delayMs: 1 });
    expect(aws.requests.filter((r) => r.service === "iam").map((r) => r.action)).toEqual([
      "GenerateCredentialReport",
      "GenerateCredentialReport",
      "GetCredentialReport",
    ]);
    expect(report.users.map((u) => u.user)).toEqual(["<root_account>", "ops,night"]);
    expect(report.users[1]?.accessKeys[0]).toEqual({
      slot: 1,
      active: true,
      lastRotated: "2024-02-01T00:00:00.000Z",
      lastUsedDate: "N/A",
    });
  });

  it("gives up after the attempts it was given, and passes other errors on", async () => {
    const client = new IAMClient({ region: "us-east-1" });
    const mock = mockClient(client);
    mock.on(GenerateCredentialReportCommand).resolves({ State: "INPROGRESS" });
    await expect(readCredentialReport(client, { attempts: 2, delayMs: 1 })).rejects.toThrow(
      /not ready after 2 attempts/,
    );
    mock.on(GenerateCredentialReportCommand).resolves({ State: "COMPLETE" });
    mock.on(GetCredentialReportCommand).rejects(awsError("AccessDenied"));
    await expect(readCredentialReport(client, { attempts: 2, delayMs: 1 })).rejects.toThrow("AccessDenied");
  });
});
