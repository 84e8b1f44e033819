import { CreateUserCommand, PutUserPolicyCommand } from "@aws-sdk/client-iam";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialReportObservations } from "../../../shared/iam-credentials/observations";
import { parseCredentialReport } from "../../../shared/iam-credentials/report";
import { iamUsersCollector } from "../../../shared/sweep/collectors/iam-users";
import defaultCollector from "../../../shared/sweep/collectors/iam-users";
import { loadEvent } from "../../support/events";
import { collectAll, collectContext, NOW, verdicts, violated } from "./data-context";
import { fromSampleEvent, startLocalIam, type LocalIam } from "./iam-local";

const ADMIN_DOCUMENT = (
  loadEvent("iam-grants/PutUserPolicy-admin.json").detail.requestParameters as { policyDocument: string }
).policyDocument;

describe("IAM users collector (local IAM endpoint)", () => {
  let local: LocalIam;
  const collector = iamUsersCollector({ pageSize: 1, report: { delayMs: 0 } });
  const collect = () => collectAll(collector, collectContext({ iam: local.iam }));

  beforeAll(async () => {
    local = await startLocalIam();
    // In the credential report: an active key rotated 200 days before the sweep (IAM.3), a console
    // password without MFA (IAM.5).
    local.grants.addUser({
      name: "old-keys",
      created: "2024-01-02T00:00:00Z",
      password: { set: "2024-01-02T00:00:00Z", lastUsed: "2025-03-10T00:00:00Z" },
      accessKeys: [
        {
          id: "AKIAOLDKEYEXAMPLE001",
          status: "Active",
          created: "2024-08-26T00:00:00Z",
          lastUsed: "2025-03-12T00:00:00Z",
        },
      ],
    });
    // Created through the API: an inline admin policy (the event path's PutUserPolicy-admin).
    await local.iam.send(new CreateUserCommand({ UserName: "svc-reporting" }));
    await local.iam.send(
      new PutUserPolicyCommand({
        UserName: "svc-reporting",
        PolicyName: "break-glass-inline",
        PolicyDocument: ADMIN_DOCUMENT,
      }),
    );
    local.grants.addUser({
      name: "tidy",
      created: "2025-03-01T00:00:00Z",
      mfaSerials: ["arn:aws:iam::111122223333:mfa/tidy"],
      password: { set: "2025-03-01T00:00:00Z", lastUsed: "2025-03-13T00:00:00Z" },
    });
  });
  afterAll(() => local.close());

  it("reads the credential report, pages ListUsers with Marker, and yields every user once", async () => {
    const found = await collect();
    expect(found.map((o) => o.resource.id)).toEqual(["old-keys", "svc-reporting", "tidy"]);
    const pages = local.calls("ListUsers");
    expect(pages).toHaveLength(3);
    expect(pages[0]).toEqual({ MaxItems: "1" });
    expect(pages[1]?.Marker).toBeTruthy();
    expect(local.calls("GetCredentialReport")).toHaveLength(1);
    // Every user's policies and tags are read; ListUsers gives neither.
    expect(local.calls("ListUserPolicies").map((p) => p.UserName)).toEqual([
      "old-keys",
      "svc-reporting",
      "tidy",
    ]);
    expect(local.calls("GetUserPolicy")).toEqual([
      { UserName: "svc-reporting", PolicyName: "break-glass-inline" },
    ]);
    expect(local.calls("ListUserTags")).toHaveLength(3);
    for (const o of found) {
      expect(o.complete).toBe(true);
      expect(o.tagsKnown).toBe(true);
      expect(o.state?.credentials?.asOf).toBe(NOW.toISOString());
      expect(o.state?.grants?.inline?.complete && o.state.grants.attached?.complete).toBe(true);
    }
  });

  it("parity: the merged observation gives the credential report path's and the CloudTrail path's verdicts", async () => {
    const found = await collect();
    const byName = new Map(found.map((o) => [o.resource.id, o]));
    const content = await reportContent(local);
    const report = parseCredentialReport(content.csv, content.generated);
    const reportPath = new Map(credentialReportObservations(report, NOW).map((o) => [o.resource.id, o]));
    const credentialChecks = ["IAM.22", "IAM.3", "IAM.5", "IAM.8"];
    for (const name of ["old-keys", "svc-reporting", "tidy"]) {
      const swept = verdicts(byName.get(name)!).filter((v) => credentialChecks.includes(v.checkId));
      const event = verdicts(reportPath.get(name)!).filter((v) => credentialChecks.includes(v.checkId));
      expect(swept).toEqual(event);
    }
    expect(violated(byName.get("old-keys")!)).toEqual(expect.arrayContaining(["IAM.3", "IAM.5"]));
    expect(violated(byName.get("tidy")!)).toEqual([]);

    // The inline admin policy: what PutUserPolicy's event opens, the sweep finds too.
    const [event] = fromSampleEvent("AWS::IAM::User", "iam-grants/PutUserPolicy-admin.json");
    const eventViolated = violated(event!);
    expect(eventViolated.length).toBeGreaterThan(0);
    expect(violated(byName.get("svc-reporting")!)).toEqual(expect.arrayContaining(eventViolated));
  });

  it("a user the report does not list yet: console read live, partial (credential checks undecided)", async () => {
    await local.iam.send(new CreateUserCommand({ UserName: "zz-newcomer" }));
    const found = await collect();
    const newcomer = found.find((o) => o.resource.id === "zz-newcomer");
    // The double's report is reused (as IAM reuses one younger than four hours): the newcomer has no row.
    expect(newcomer?.state?.credentials).toBeUndefined();
    expect(newcomer?.state?.console).toEqual({
      passwordEnabled: false,
      mfaActive: false,
      source: "GetLoginProfile + ListMFADevices",
    });
    expect(newcomer?.complete).toBe(false);
    expect(verdicts(newcomer!).find((v) => v.checkId === "IAM.3")?.undecided).toBeTruthy();
  });

  it("declares exactly the IAM actions it makes", () => {
    expect([...defaultCollector.iamActions].sort()).toEqual(
      [
        "iam:GenerateCredentialReport",
        "iam:GetCredentialReport",
        "iam:ListUsers",
        "iam:ListUserPolicies",
        "iam:GetUserPolicy",
        "iam:ListAttachedUserPolicies",
        "iam:GetPolicy",
        "iam:GetPolicyVersion",
        "iam:ListMFADevices",
        "iam:GetLoginProfile",
        "iam:ListUserTags",
      ].sort(),
    );
    expect(defaultCollector.scope).toBe("global");
  });
});

/** The report the double serves, read as the event path's reader does. */
async function reportContent(local: LocalIam): Promise<{ csv: Uint8Array; generated: string }> {
  const { GetCredentialReportCommand } = await import("@aws-sdk/client-iam");
  const out = await local.iam.send(new GetCredentialReportCommand({}));
  return { csv: out.Content ?? new Uint8Array(), generated: String(out.GeneratedTime?.toISOString()) };
}
