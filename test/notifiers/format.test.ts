import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SEVERITIES } from "../../shared/core/severity";
import { FINDING_STATUSES, type Finding, type RemediationResult } from "../../shared/findings/model";
import {
  SUBJECT_MAX_LENGTH,
  alertCheckIds,
  alertSubject,
  alertText,
  consoleLink,
  toAscii,
  undoCommand,
} from "../../shared/notifiers/format";
import { EVENT_ID, EVENT_TIME, USER_AGENT, securityGroup, sgAlert, sgFinding } from "./fixtures";

const RESULTS: RemediationResult[] = ["succeeded", "already-gone", "planned", "skipped", "failed", "undone"];
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

// Any code point, lone surrogates and control characters included: subjects must survive them all.
const anyText = (maxLength: number) => fc.string({ unit: "binary", maxLength });

const arbitraryFinding: fc.Arbitrary<Finding> = fc
  .record({
    checkId: fc.oneof(fc.constantFrom("EC2.19", "EC2.13", "EC2.18", "VIGIL.IAM.1"), anyText(80)),
    severity: fc.constantFrom(...SEVERITIES),
    status: fc.constantFrom(...FINDING_STATUSES),
    result: fc.option(fc.constantFrom(...RESULTS), { nil: undefined }),
  })
  .map(({ checkId, severity, status, result }) =>
    sgFinding("EC2.19", {
      checkId,
      severity,
      status,
      remediation: result && {
        remediationId: "revoke-security-group-ingress",
        mode: result === "planned" ? "dry-run" : "auto",
        action: "revoke sgr-0d27a9c4e81f35b60 (tcp 22 from 0.0.0.0/0)",
        result,
        time: EVENT_TIME,
      },
    }),
  );

describe("alertSubject", () => {
  it("names severity, resource, checks (most severe first) and outcome", () => {
    expect(alertSubject(sgAlert())).toBe(
      "[CRITICAL] Vigil: sg-07c1e5a9d3b2f4068 EC2.19, EC2.13 - remediated",
    );
  });

  it("puts failures and open findings before the rest", () => {
    const alert = sgAlert({
      findings: [
        sgFinding("EC2.13"),
        sgFinding("EC2.19", {
          status: "OPEN",
          remediation: {
            ...sgFinding("EC2.19").remediation!,
            result: "failed",
            detail: "UnauthorizedOperation",
          },
        }),
      ],
    });
    expect(alertSubject(alert)).toBe(
      "[CRITICAL] Vigil: sg-07c1e5a9d3b2f4068 EC2.19, EC2.13 - remediation FAILED, remediated",
    );
  });

  it("is always printable ASCII, one line and under 100 characters", () => {
    fc.assert(
      fc.property(
        fc.array(arbitraryFinding, { maxLength: 60 }),
        fc.oneof(fc.constant(securityGroup.id), anyText(300)),
        fc.constantFrom(...SEVERITIES),
        (findings, resourceId, severity) => {
          const subject = alertSubject(
            sgAlert({ findings, severity, resource: { ...securityGroup, id: resourceId } }),
          );
          expect(subject.length).toBeLessThan(100);
          expect(subject.length).toBeLessThanOrEqual(SUBJECT_MAX_LENGTH);
          expect(subject).toMatch(PRINTABLE_ASCII);
          // SNS: must begin with a letter, number or punctuation mark.
          expect(subject).toMatch(/^[A-Za-z0-9\p{P}]/u);
          expect(subject.startsWith(`[${severity}] Vigil: `)).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("keeps the outcome and counts the checks that do not fit", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 999 }), { minLength: 1, maxLength: 40 }),
        fc.stringMatching(/^sg-[0-9a-f]{17}$/),
        (numbers, groupId) => {
          const findings = numbers.map((n) => sgFinding("EC2.13", { checkId: `EC2.${n}` }));
          const subject = alertSubject(sgAlert({ findings, resource: { ...securityGroup, id: groupId } }));
          expect(subject.length).toBeLessThan(100);
          expect(subject.endsWith(" - remediated")).toBe(true);
          expect(subject).toContain(groupId);
          const named = subject.match(/EC2\.\d+/g) ?? [];
          const more = Number(subject.match(/ \+(\d+) - /)?.[1] ?? 0);
          expect(named.length + more).toBe(numbers.length);
        },
      ),
    );
  });

  it("spells out typographic characters instead of dropping them", () => {
    expect(toAscii("sg-07c1…\u2014café\nx")).toBe("sg-07c1...-cafe x");
    expect(alertSubject(sgAlert({ resource: { ...securityGroup, id: "sg-07c1…" } }))).toContain("sg-07c1...");
  });
});

describe("alertText", () => {
  const text = alertText(sgAlert());

  it("says what, where, who, when and what Vigil did", () => {
    const expected = [
      "[CRITICAL] Vigil: 2 findings on security group sg-07c1e5a9d3b2f4068 (web-prod): remediated",
      "- EC2.19 [CRITICAL] Security groups should not allow unrestricted access to ports with high risk",
      "    Controls: FSBP EC2.19",
      "- EC2.13 [HIGH] Security groups should not allow ingress from 0.0.0.0/0 or ::/0 to port 22",
      "    Controls: SecurityHub EC2.13, CIS 1.2.0 4.1",
      "    Status: REMEDIATED",
      "    Problem: sg-07c1e5a9d3b2f4068 allows tcp 22 from 0.0.0.0/0 (high-risk ports 22)",
      "    Vigil did: remediated (mode auto) at 2025-03-11T14:02:19.412Z: revoke sgr-0d27a9c4e81f35b60 (tcp 22 from 0.0.0.0/0)",
      `    Undo: npm run vigil -- undo ${sgFinding("EC2.19").id}`,
      `    Undo: npm run vigil -- undo ${sgFinding("EC2.13").id}`,
      "    Account: 111122223333",
      "    Region: us-east-1",
      "    Console: https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1#SecurityGroup:groupId=sg-07c1e5a9d3b2f4068",
      "    Principal: arn:aws:iam::111122223333:user/alice.ops (IAMUser)",
      "    Source IP: 198.51.100.23",
      `    User agent: ${USER_AGENT}`,
      "    Console: no (API, CLI or SDK)",
      `    Event time: ${EVENT_TIME}`,
      `    Event id: ${EVENT_ID}`,
    ];
    const lines = text.split("\n");
    for (const line of expected) expect(lines).toContain(line);
    // Most severe first.
    expect(text.indexOf("- EC2.19")).toBeLessThan(text.indexOf("- EC2.13"));
  });

  it("says what a dry-run would do, with no undo command", () => {
    const finding = sgFinding("EC2.19", {
      status: "OPEN",
      remediation: {
        ...sgFinding("EC2.19").remediation!,
        mode: "dry-run",
        result: "planned",
        undo: undefined,
      },
    });
    const dryRun = alertText(sgAlert({ findings: [finding] }));
    expect(dryRun).toContain(
      "Vigil did: dry-run, nothing changed; would revoke sgr-0d27a9c4e81f35b60 (tcp 22 from 0.0.0.0/0)",
    );
    expect(dryRun).not.toContain("undo");
    expect(dryRun).toContain(": dry-run");
  });

  it("shows the exemption of suppressed findings", () => {
    const finding = sgFinding("EC2.13", {
      status: "SUPPRESSED",
      remediation: undefined,
      suppression: { source: "tag", reason: "bastion host, reviewed by secops", until: "2025-06-30" },
    });
    const suppressed = alertText(sgAlert({ findings: [finding], severity: "HIGH" }));
    expect(suppressed).toContain(
      "Exempt: tag exemption, reason: bastion host, reviewed by secops, until 2025-06-30",
    );
    expect(suppressed).toContain("Vigil did: nothing: the finding is exempt");
  });

  it("shows assumed-role sessions, the invoking service and console use", () => {
    const withRole = alertText(
      sgAlert({
        actor: {
          type: "AssumedRole",
          arn: "arn:aws:sts::111122223333:assumed-role/deployer/cfn-session",
          sessionIssuerArn: "arn:aws:iam::111122223333:role/deployer",
          invokedBy: "cloudformation.amazonaws.com",
          sourceIp: "cloudformation.amazonaws.com",
          fromConsole: true,
          mfaAuthenticated: true,
        },
      }),
    );
    expect(withRole).toContain(
      "Principal: arn:aws:sts::111122223333:assumed-role/deployer/cfn-session " +
        "(AssumedRole, role arn:aws:iam::111122223333:role/deployer, invoked by cloudformation.amazonaws.com, MFA)",
    );
    expect(withRole).toContain("Invoked by: cloudformation.amazonaws.com");
    expect(withRole).toContain("Console: yes");
  });

  it("says when the actor is unknown", () => {
    const noActor = alertText(sgAlert({ actor: undefined, eventTime: undefined }));
    expect(noActor).toContain("Principal: unknown");
    expect(noActor).toContain("Event time: unknown");
  });

  it("cannot be given extra lines through user-controlled text", () => {
    const forged = alertText(
      sgAlert({
        resource: { ...securityGroup, name: "web\n    Vigil did: nothing, all good" },
        actor: { type: "IAMUser", userAgent: "curl\r\nWho: nobody\u202e" },
      }),
    );
    expect(forged.split("\n").filter((line) => line.includes("all good"))).toHaveLength(2);
    expect(forged).not.toMatch(/^\s*Vigil did: nothing, all good/m);
    expect(forged).not.toMatch(/^Who: nobody/m);
    expect(forged).not.toContain("\u202e");
  });
});

describe("undoCommand", () => {
  it("is offered only for succeeded remediations with an undo payload", () => {
    const base = sgFinding("EC2.19");
    expect(undoCommand(base)).toBe(`npm run vigil -- undo ${base.id}`);
    expect(
      undoCommand({ ...base, remediation: { ...base.remediation!, result: "already-gone" } }),
    ).toBeUndefined();
    expect(undoCommand({ ...base, remediation: { ...base.remediation!, result: "undone" } })).toBeUndefined();
    expect(undoCommand({ ...base, remediation: { ...base.remediation!, undo: undefined } })).toBeUndefined();
    expect(undoCommand({ ...base, remediation: undefined })).toBeUndefined();
  });

  it("quotes ids that are not plain", () => {
    expect(undoCommand(sgFinding("EC2.19", { id: "x; rm -rf ~" }))).toBe(
      "npm run vigil -- undo 'x; rm -rf ~'",
    );
  });
});

describe("consoleLink", () => {
  it("opens security groups on the EC2 page of their region", () => {
    expect(consoleLink(securityGroup)).toBe(
      "https://us-east-1.console.aws.amazon.com/ec2/home?region=us-east-1#SecurityGroup:groupId=sg-07c1e5a9d3b2f4068",
    );
  });

  it("falls back to the AWS Config resource page for other types", () => {
    const bucket = {
      type: "AWS::S3::Bucket",
      id: "logs-111122223333",
      arn: "arn:aws:s3:::logs-111122223333",
      account: "111122223333",
      region: "eu-west-1",
    };
    expect(consoleLink(bucket)).toBe(
      "https://eu-west-1.console.aws.amazon.com/config/home?region=eu-west-1#/resources/details" +
        "?resourceId=logs-111122223333&resourceType=AWS%3A%3AS3%3A%3ABucket",
    );
  });

  it("uses the partition's console and never puts a malformed region in the host", () => {
    const gov = {
      ...securityGroup,
      region: "us-gov-west-1",
      arn: "arn:aws-us-gov:ec2:us-gov-west-1:111122223333:x",
    };
    expect(consoleLink(gov)).toMatch(/^https:\/\/us-gov-west-1\.console\.amazonaws-us-gov\.com\/ec2\//);
    const hostile = consoleLink({ ...securityGroup, region: "evil.example#" });
    expect(new URL(hostile).host).toBe("console.aws.amazon.com");
  });
});

describe("alertCheckIds", () => {
  it("lists each check once, most severe first", () => {
    const findings = [sgFinding("EC2.13"), sgFinding("EC2.19"), sgFinding("EC2.13", { id: "other" })];
    expect(alertCheckIds({ findings })).toEqual(["EC2.19", "EC2.13"]);
  });
});
