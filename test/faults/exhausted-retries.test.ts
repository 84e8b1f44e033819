import { afterEach, describe, expect, it } from "vitest";
import type { FaultKind, ProxiedRequest } from "../support/local-aws/fault-proxy";
import { SSH_CHECKS, startFaultHarness, type FaultHarness, type TestGroup } from "./harness";

/**
 * What happens when one AWS command runs out of SDK retries (5 attempts) at a bad moment, scripted
 * so each case is deterministic. The handler is invoked again, up to 3 more times, when it throws,
 * as Lambda's async retries would; an event still failing after that would go to the DLQ.
 */

const REVOKE = "RevokeSecurityGroupIngress";

describe("when a command exhausts its retries", () => {
  let h: FaultHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function oneGroup(script: (r: ProxiedRequest) => FaultKind | undefined) {
    h = await startFaultHarness({ proxy: { rates: {}, script } });
    const group = await h.newGroup();
    return { h, group, event: h.authorizeEvent(group) };
  }

  /** Fails every attempt of the first `invocations` SDK commands that match. */
  function firstCommands(matches: (r: ProxiedRequest) => boolean, invocations = 1) {
    const seen = new Set<string>();
    return (r: ProxiedRequest): FaultKind | undefined => {
      if (!matches(r) || !r.invocationId) return undefined;
      if (seen.size < invocations) seen.add(r.invocationId);
      return seen.has(r.invocationId) ? "serverError" : undefined;
    };
  }

  const alertedChecks = (h: FaultHarness, g: TestGroup) =>
    h.alertsFor(g.groupId).map((a) => a.findings.map((f) => `${f.checkId}=${f.status}`).sort());
  const all = (status: string) => SSH_CHECKS.map((c) => `${c}=${status}`).sort();

  it("one finding's write fails: the retry stores it with the revoke's record, and one alert tells all four", async () => {
    let target = "";
    const { h, group, event } = await oneGroup(
      firstCommands((r) => r.action === "PutItem" && target !== "" && r.body.includes(target)),
    );
    target = h.findingIdOf(group.groupId, "EC2.18");
    const [delivery] = await h.deliver([event]);
    expect(delivery?.attempts).toBe(2);
    expect(delivery?.errors[0]).toMatch(/IncompleteProcessingError: .*store vf-/);
    expect(h.revokedAtBackend.map((r) => r.ruleId)).toEqual([group.worldRuleId]);
    for (const f of await h.findingsOf(group.groupId)) {
      expect(f).toMatchObject({ status: "REMEDIATED", remediation: { result: "succeeded" } });
      expect(f.remediation?.undo?.params).toMatchObject({ rules: [{ ruleId: group.worldRuleId }] });
    }
    expect(alertedChecks(h, group)).toEqual([all("REMEDIATED")]);
  });

  it("limitation: no finding could be stored after the revoke; the retry records already-gone, the undo payload survives only in the log", async () => {
    let failPuts = true;
    const { h, group, event } = await oneGroup((r) =>
      failPuts && r.action === "PutItem" ? "serverError" : undefined,
    );
    const [first] = await h.deliver([event], { retries: 0 });
    expect(first?.errors[0]).toMatch(/IncompleteProcessingError/);
    expect(h.ingressIds(group.groupId)).toEqual([group.privateRuleId]);
    failPuts = false;
    const [retry] = await h.deliver([event], { retries: 0 });
    expect(retry?.report?.outcome).toBe("processed");

    const findings = await h.findingsOf(group.groupId);
    expect(findings.map((f) => f.checkId).sort()).toEqual([...SSH_CHECKS].sort());
    for (const f of findings) {
      expect(f).toMatchObject({ status: "REMEDIATED", remediation: { result: "already-gone" } });
      expect(f.remediation?.undo).toBeUndefined();
    }
    expect(alertedChecks(h, group)).toEqual([all("REMEDIATED")]);
    const logged = h.logger.entries.filter((e) => e.message === "could not store finding");
    expect(logged).toHaveLength(SSH_CHECKS.length);
    expect(JSON.stringify(logged[0]?.attributes)).toContain(group.worldRuleId);
  });

  it("the revoke fails on the first invocation: the event fails, and Lambda's retry remediates", async () => {
    const { h, group, event } = await oneGroup(firstCommands((r) => r.action === REVOKE));
    const [delivery] = await h.deliver([event]);
    expect(delivery?.attempts).toBe(2);
    expect(delivery?.errors[0]).toMatch(/IncompleteProcessingError: .*remediate sg-/);
    expect(h.ingressIds(group.groupId)).toEqual([group.privateRuleId]);
    for (const f of await h.findingsOf(group.groupId)) {
      expect(f).toMatchObject({ status: "REMEDIATED", remediation: { result: "succeeded" } });
      expect(f.history.map((c) => c.to)).toEqual(["OPEN", "REMEDIATED"]);
    }
    // Both are news: open (remediation failed), then fixed.
    expect(alertedChecks(h, group)).toEqual([all("OPEN"), all("REMEDIATED")]);
  });

  it("the revoke keeps failing: retried until Lambda gives up; the rule stays open, findings OPEN/failed, one alert", async () => {
    const { h, group, event } = await oneGroup((r) => (r.action === REVOKE ? "serverError" : undefined));
    const [delivery] = await h.deliver([event]);
    expect(delivery).toMatchObject({ attempts: 4, report: undefined });
    expect(h.proxy.log.filter((r) => r.action === REVOKE)).toHaveLength(4 * 5);
    expect(h.ingressIds(group.groupId).sort()).toEqual([group.worldRuleId, group.privateRuleId].sort());
    for (const f of await h.findingsOf(group.groupId))
      expect(f).toMatchObject({ status: "OPEN", remediation: { result: "failed" } });
    expect(alertedChecks(h, group)).toEqual([all("OPEN")]);
  });

  it("SNS down until the event is dead-lettered: a later event doesn't announce the pending findings, a redrive does", async () => {
    let snsDown = true;
    const { h, group, event } = await oneGroup((r) =>
      snsDown && r.action === "Publish" ? "serverError" : undefined,
    );
    // One invocation stands for all of Lambda's: each failed to alert, the event is in the DLQ.
    const [first] = await h.deliver([event], { retries: 0 });
    expect(first?.errors[0]).toMatch(/IncompleteProcessingError: .*notify sns/);
    snsDown = false;
    for (const f of await h.findingsOf(group.groupId))
      expect(f).toMatchObject({ status: "REMEDIATED", notificationPending: true });

    // The group's next event (Config, compliant now) changes no status, so it owns no news to tell.
    const [later] = await h.deliver([h.configEvent(group, new Date())]);
    expect(later?.report?.outcome).toBe("processed");
    expect(alertedChecks(h, group)).toEqual([]);

    // Redriving the dead-lettered event (same id) tells it.
    await h.deliver([event]);
    expect(alertedChecks(h, group)).toEqual([all("REMEDIATED")]);
    for (const f of await h.findingsOf(group.groupId)) expect(f.notificationPending).toBe(false);
  });

  it("the tag read fails after retries: remediation is held back, the event fails, and its retry revokes", async () => {
    let tagsDown = true;
    const { h, group, event } = await oneGroup((r) =>
      tagsDown && r.action === "DescribeSecurityGroups" ? "serverError" : undefined,
    );
    const [first] = await h.deliver([event], { retries: 0 });
    expect(first?.errors[0]).toMatch(/IncompleteProcessingError: .*could not be read/);
    expect(h.ingressIds(group.groupId)).toContain(group.worldRuleId);
    expect(h.aws.calls("ec2", REVOKE)).toHaveLength(0);
    for (const f of await h.findingsOf(group.groupId))
      expect(f).toMatchObject({
        status: "OPEN",
        remediation: {
          result: "failed",
          action: "held back: the resource's tags (exemptions) could not be read",
        },
      });

    tagsDown = false;
    const [retry] = await h.deliver([event]);
    expect(retry?.report?.outcome).toBe("processed");
    expect(h.ingressIds(group.groupId)).toEqual([group.privateRuleId]);
    expect(h.aws.calls("ec2", REVOKE)).toHaveLength(1);
    for (const f of await h.findingsOf(group.groupId))
      expect(f).toMatchObject({ status: "REMEDIATED", remediation: { result: "succeeded" } });
  });
});
