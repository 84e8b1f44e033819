import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import type { Rule } from "@aws-sdk/client-elastic-load-balancing-v2";
import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { testRuntime, type TestRuntime } from "../support/runtime";
import {
  ALB,
  HTTP_LISTENER,
  HTTPS_LISTENER,
  NLB,
  NLB_TLS_LISTENER,
  RULE,
  apiListener,
  awsError,
  elbEvent,
  forwardAction,
  listenerFindingId,
  redirectAction,
} from "./support";

const statuses = async (t: TestRuntime) =>
  (await t.runtime.store.list()).map((f) => [f.checkId, f.resource.id, f.status] as const).sort();
const noTags = (t: TestRuntime) => t.elbv2.on(DescribeTagsCommand).resolves({ TagDescriptions: [] });
const liveHttpListener = (t: TestRuntime, rules: Rule[]) => {
  t.elbv2
    .on(DescribeListenersCommand)
    .resolves({ Listeners: [apiListener(HTTP_LISTENER, "HTTP", 80, [redirectAction])] });
  t.elbv2.on(DescribeRulesCommand).resolves({
    Rules: [
      { RuleArn: `${RULE}0`, Priority: "default", IsDefault: true, Actions: [redirectAction] },
      ...rules,
    ],
  });
};

describe("ELB.1 through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("non-compliant: CreateListener HTTP forward opens ELB.1 (MEDIUM) with who did it; nothing is changed", async () => {
    t = await testRuntime();
    noTags(t);
    const report = await processEvent(elbEvent("CreateListener-http-forward"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await statuses(t)).toEqual([["ELB.1", HTTP_LISTENER, "OPEN"]]);
    expect(await t.runtime.store.get(listenerFindingId("ELB.1", HTTP_LISTENER))).toMatchObject({
      severity: "MEDIUM",
      controls: ["FSBP ELB.1"],
      resource: { type: "AWS::ElasticLoadBalancingV2::Listener", name: "web-prod:80", region: "us-east-1" },
      evidence: [
        { listenerArn: HTTP_LISTENER, loadBalancerArn: ALB, port: 80, rule: "default", actions: ["forward"] },
      ],
      actor: { userName: "PlatformEngineer", sourceIp: "198.51.100.23" },
    });
    expect(t.elbv2.commandCalls(DescribeTagsCommand).map((c) => c.args[0].input)).toEqual([
      { ResourceArns: [ALB, HTTP_LISTENER] },
    ]);
    expect(t.elbv2.commandCalls(DescribeListenersCommand)).toHaveLength(0);
    expect(t.notifier.alerts).toHaveLength(1);
  });

  it("compliant: CreateListener HTTP redirect to HTTPS opens nothing and reads nothing", async () => {
    t = await testRuntime();
    const report = await processEvent(elbEvent("CreateListener-http-redirect-https"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await statuses(t)).toEqual([]);
    expect(t.elbv2.calls()).toHaveLength(0);
  });

  it("ModifyListener to a redirect resolves ELB.1 once the live rules all redirect too", async () => {
    t = await testRuntime();
    noTags(t);
    await processEvent(elbEvent("CreateListener-http-forward"), t.runtime);
    liveHttpListener(t, []);
    const report = await processEvent(elbEvent("ModifyListener-http-redirect-https"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(t.elbv2.commandCalls(DescribeRulesCommand).map((c) => c.args[0].input)).toEqual([
      { ListenerArn: HTTP_LISTENER, Marker: undefined },
    ]);
    expect(await statuses(t)).toEqual([["ELB.1", HTTP_LISTENER, "RESOLVED"]]);
  });

  it("ModifyListener to a redirect keeps ELB.1 open while a rule still forwards over HTTP", async () => {
    t = await testRuntime();
    noTags(t);
    await processEvent(elbEvent("CreateListener-http-forward"), t.runtime);
    liveHttpListener(t, [{ RuleArn: RULE, Priority: "10", IsDefault: false, Actions: [forwardAction] }]);
    await processEvent(elbEvent("ModifyListener-http-redirect-https"), t.runtime);
    const finding = await t.runtime.store.get(listenerFindingId("ELB.1", HTTP_LISTENER));
    expect(finding).toMatchObject({
      status: "OPEN",
      evidence: [{ rule: RULE, priority: "10", actions: ["forward"] }],
    });
  });

  it("CreateRule that forwards on a redirecting HTTP listener opens ELB.1 (the listener is read)", async () => {
    t = await testRuntime();
    noTags(t);
    liveHttpListener(t, [{ RuleArn: RULE, Priority: "10", IsDefault: false, Actions: [forwardAction] }]);
    const report = await processEvent(elbEvent("CreateRule-http-forward-api"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await statuses(t)).toEqual([["ELB.1", HTTP_LISTENER, "OPEN"]]);
    // DeleteRule: the rule is gone, the listener is read again and passes.
    liveHttpListener(t, []);
    await processEvent(elbEvent("DeleteRule"), t.runtime);
    expect(await statuses(t)).toEqual([["ELB.1", HTTP_LISTENER, "RESOLVED"]]);
  });

  it("a rule change with no AWS access is ignored (not invalid), and nothing is recorded", async () => {
    t = await testRuntime();
    const report = await processEvent(elbEvent("CreateRule-http-forward-api"), {
      ...t.runtime,
      readClients: undefined,
    });
    expect(report.outcome).toBe("ignored");
    expect(await statuses(t)).toEqual([]);
  });

  it("DeleteListener resolves the listener's open findings", async () => {
    t = await testRuntime();
    noTags(t);
    await processEvent(elbEvent("CreateListener-http-forward"), t.runtime);
    await processEvent(elbEvent("DeleteListener"), t.runtime);
    expect(await statuses(t)).toEqual([["ELB.1", HTTP_LISTENER, "RESOLVED"]]);
  });

  it("exempt by a vigil:exempt tag on the load balancer: SUPPRESSED, no alert", async () => {
    t = await testRuntime();
    t.elbv2.on(DescribeTagsCommand).resolves({
      TagDescriptions: [{ ResourceArn: ALB, Tags: [{ Key: "vigil:exempt", Value: "ELB.1" }] }],
    });
    await processEvent(elbEvent("CreateListener-http-forward"), t.runtime);
    expect(await statuses(t)).toEqual([["ELB.1", HTTP_LISTENER, "SUPPRESSED"]]);
    expect(t.notifier.alerts).toHaveLength(0);
  });

  it("not applicable: NLB TCP and Gateway listeners open nothing and read nothing", async () => {
    t = await testRuntime();
    for (const name of ["CreateListener-nlb-tcp", "CreateListener-gwlb"]) {
      expect((await processEvent(elbEvent(name), t.runtime)).outcome, name).toBe("processed");
    }
    expect(await statuses(t)).toEqual([]);
    expect(t.elbv2.calls()).toHaveLength(0);
  });
});

describe("ELB.17 through the pipeline", () => {
  let t: TestRuntime;
  afterEach(async () => t.close());

  it("non-compliant: an HTTPS listener created with no policy gets ELBSecurityPolicy-2016-08: ELB.17 OPEN", async () => {
    t = await testRuntime();
    noTags(t);
    await processEvent(elbEvent("CreateListener-https-default-policy"), t.runtime);
    expect(await statuses(t)).toEqual([["ELB.17", HTTPS_LISTENER, "OPEN"]]);
    expect(await t.runtime.store.get(listenerFindingId("ELB.17", HTTPS_LISTENER))).toMatchObject({
      severity: "MEDIUM",
      controls: ["FSBP ELB.17"],
      evidence: [{ protocol: "HTTPS", port: 443, sslPolicy: "ELBSecurityPolicy-2016-08" }],
    });
  });

  it("compliant: ModifyListener to a TLS 1.3 policy resolves it (no rules read for HTTPS)", async () => {
    t = await testRuntime();
    noTags(t);
    await processEvent(elbEvent("CreateListener-https-default-policy"), t.runtime);
    await processEvent(elbEvent("ModifyListener-https-to-tls13"), t.runtime);
    expect(await statuses(t)).toEqual([["ELB.17", HTTPS_LISTENER, "RESOLVED"]]);
    expect(t.elbv2.commandCalls(DescribeRulesCommand)).toHaveLength(0);
  });

  it("compliant: the post-quantum console default opens nothing", async () => {
    t = await testRuntime();
    await processEvent(elbEvent("CreateListener-https-tls13"), t.runtime);
    expect(await statuses(t)).toEqual([]);
  });

  it("non-compliant: an NLB TLS listener on TLS 1.2-only ELBSecurityPolicy-TLS-1-2-2017-01", async () => {
    t = await testRuntime();
    noTags(t);
    await processEvent(elbEvent("CreateListener-nlb-tls-tls12"), t.runtime);
    expect(await statuses(t)).toEqual([["ELB.17", NLB_TLS_LISTENER, "OPEN"]]);
    expect(t.elbv2.commandCalls(DescribeTagsCommand)[0]?.args[0].input).toEqual({
      ResourceArns: [NLB, NLB_TLS_LISTENER],
    });
  });

  it("Config items: an old policy opens ELB.17, the deletion item resolves it", async () => {
    t = await testRuntime();
    noTags(t);
    await processEvent(elbEvent("config-item-listener-https-default-policy"), t.runtime);
    expect(await statuses(t)).toEqual([["ELB.17", HTTPS_LISTENER, "OPEN"]]);
    await processEvent(elbEvent("config-item-listener-deleted"), t.runtime);
    expect(await statuses(t)).toEqual([["ELB.17", HTTPS_LISTENER, "RESOLVED"]]);
  });

  it("Config item of a redirecting HTTP listener: its rules are read; all redirect, nothing opens", async () => {
    t = await testRuntime();
    liveHttpListener(t, [{ RuleArn: RULE, Priority: "5", IsDefault: false, Actions: [redirectAction] }]);
    const report = await processEvent(elbEvent("config-item-listener-http-redirect-https"), t.runtime);
    expect(report.outcome).toBe("processed");
    expect(await statuses(t)).toEqual([]);
    expect(t.elbv2.commandCalls(DescribeRulesCommand)).toHaveLength(1);
  });

  it("tags that can't be read: the finding still opens (detect only), and the error is logged", async () => {
    t = await testRuntime();
    t.elbv2.on(DescribeTagsCommand).rejects(awsError("AccessDenied"));
    await processEvent(elbEvent("CreateListener-https-default-policy"), t.runtime);
    expect(await statuses(t)).toEqual([["ELB.17", HTTPS_LISTENER, "OPEN"]]);
    expect(t.logger.entries.filter((e) => e.level === "error").map((e) => e.message)).toEqual([
      "could not read tags; auto-remediation held back",
    ]);
  });

  it("bad input: a malformed listener event is invalid and changes nothing", async () => {
    t = await testRuntime();
    const event = elbEvent("CreateListener-https-default-policy");
    event.detail.responseElements = { listeners: [{ listenerArn: "arn:aws:elasticloadbalancing:nope" }] };
    const report = await processEvent(event, t.runtime);
    expect(report.outcome).toBe("invalid");
    expect(report.reason).toMatch(/not an ELBv2 listener ARN/);
    expect(await statuses(t)).toEqual([]);
    expect(t.elbv2.calls()).toHaveLength(0);
  });
});
