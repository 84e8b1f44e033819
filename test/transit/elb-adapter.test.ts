import {
  DescribeListenersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { configItemSchema } from "../../shared/events/config-item";
import { UnusableEventError, type ReadClients } from "../../shared/resources/adapter";
import adapter from "../../shared/resources/elbv2-listener/adapter";
import { listenerArnOfRule, listenerIdentity } from "../../shared/resources/elbv2-listener/ref";
import {
  ACCOUNT,
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
  redirectAction,
} from "./support";

const detailOf = (name: string, change: (detail: Record<string, unknown>) => void = () => {}) => {
  const event = elbEvent(name);
  change(event.detail);
  return cloudTrailDetailSchema.parse(event.detail);
};
const observe = (name: string, change?: (detail: Record<string, unknown>) => void) =>
  adapter.fromCloudTrail(detailOf(name, change), ACCOUNT);
const configItem = (name: string) =>
  configItemSchema.parse((elbEvent(name).detail as { configurationItem: unknown }).configurationItem);

const elbClient = new ElasticLoadBalancingV2Client({ region: "us-east-1" });
const elb = mockClient(elbClient);
const clients = { elbv2: () => elbClient } as unknown as ReadClients;
afterEach(() => elb.reset());

describe("ELBv2 listener ARNs", () => {
  it("name the load balancer, its type, account and region; a rule ARN names its listener", () => {
    expect(listenerIdentity(HTTP_LISTENER)).toEqual({
      listenerArn: HTTP_LISTENER,
      loadBalancerArn: ALB,
      loadBalancerType: "application",
      loadBalancerName: "web-prod",
      account: ACCOUNT,
      region: "us-east-1",
    });
    expect(listenerIdentity(NLB_TLS_LISTENER)).toMatchObject({
      loadBalancerArn: NLB,
      loadBalancerType: "network",
    });
    expect(listenerArnOfRule(RULE)).toBe(HTTP_LISTENER);
  });

  it("reject anything else (a load balancer ARN, a classic ELB name, junk)", () => {
    for (const bad of [ALB, "my-classic-elb", "arn:aws:elasticloadbalancing:us-east-1:1:listener/app/x/1/2"])
      expect(() => listenerIdentity(bad), bad).toThrow(UnusableEventError);
    expect(() => listenerArnOfRule(HTTP_LISTENER)).toThrow(UnusableEventError);
  });
});

describe("ELBv2 listener adapter: CloudTrail", () => {
  it("CreateListener (HTTP forward): the whole new listener, no rules yet, complete, no refresh", () => {
    expect(observe("CreateListener-http-forward")).toEqual([
      {
        resource: {
          type: "AWS::ElasticLoadBalancingV2::Listener",
          id: HTTP_LISTENER,
          arn: HTTP_LISTENER,
          account: ACCOUNT,
          region: "us-east-1",
          name: "web-prod:80",
        },
        state: {
          listenerArn: HTTP_LISTENER,
          loadBalancerArn: ALB,
          loadBalancerType: "application",
          protocol: "HTTP",
          port: 80,
          defaultActions: [{ type: "forward" }],
          rules: [],
        },
        complete: true,
        observedAt: "2025-03-18T09:02:11Z",
        tagsKnown: false,
      },
    ]);
  });

  it("CreateListener (HTTPS, no policy asked): the policy AWS chose, from the answer", () => {
    const [observation] = observe("CreateListener-https-default-policy");
    expect(observation?.state).toMatchObject({ protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-2016-08" });
  });

  it("CreateListener: the request fills what the answer leaves out", () => {
    const [observation] = observe("CreateListener-https-tls13", (detail) => {
      const listener = (detail.responseElements as { listeners: Record<string, unknown>[] }).listeners[0];
      delete listener?.sslPolicy;
      delete listener?.protocol;
    });
    expect(observation?.state).toMatchObject({
      protocol: "HTTPS",
      sslPolicy: "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    });
  });

  it("CreateListener on a Gateway Load Balancer: no protocol at all", () => {
    const [observation] = observe("CreateListener-gwlb");
    expect(observation?.state).toMatchObject({
      loadBalancerType: "gateway",
      defaultActions: [{ type: "forward" }],
    });
    expect(observation?.state?.protocol).toBeUndefined();
  });

  it("ModifyListener (HTTPS policy): the whole listener from the answer, rules unknown, no refresh", () => {
    const [observation] = observe("ModifyListener-https-to-tls13");
    expect(observation).toMatchObject({
      complete: true,
      state: {
        listenerArn: HTTPS_LISTENER,
        sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
        protocol: "HTTPS",
      },
    });
    expect(observation?.state?.rules).toBeUndefined();
    expect(observation?.needsRefresh).toBeUndefined();
  });

  it("ModifyListener (HTTP now redirects): the other rules must be read before ELB.1 can pass it", () => {
    const [observation] = observe("ModifyListener-http-redirect-https");
    expect(observation?.state?.defaultActions).toEqual([{ type: "redirect", redirectProtocol: "HTTPS" }]);
    expect(observation?.needsRefresh).toBe(true);
  });

  it("ModifyListener (HTTP forward): decided by the default action alone, no refresh", () => {
    expect(observe("ModifyListener-http-forward")[0]?.needsRefresh).toBeUndefined();
  });

  it("ModifyListener whose answer CloudTrail left out: the listener is read", () => {
    const [observation] = observe("ModifyListener-https-to-tls13", (detail) => {
      detail.responseElements = null;
    });
    expect(observation).toMatchObject({
      complete: false,
      needsRefresh: true,
      state: { listenerArn: HTTPS_LISTENER, loadBalancerArn: ALB },
    });
  });

  it("DeleteListener: no state (its findings resolve)", () => {
    expect(observe("DeleteListener")[0]).toMatchObject({
      state: undefined,
      complete: true,
      resource: { id: HTTP_LISTENER },
    });
  });

  it("CreateRule / DeleteRule: the rule's listener, to be read whole", () => {
    for (const name of ["CreateRule-http-forward-api", "DeleteRule"]) {
      const [observation] = observe(name);
      expect(observation, name).toMatchObject({
        needsRefresh: true,
        complete: false,
        resource: { id: HTTP_LISTENER },
      });
    }
  });

  it("bad input is an UnusableEventError, never a crash", () => {
    const cases: [string, (detail: Record<string, unknown>) => void][] = [
      ["CreateListener-http-forward", (d) => (d.responseElements = null)],
      [
        "CreateListener-http-forward",
        (d) => (d.responseElements = { listeners: [{ listenerArn: "not-an-arn" }] }),
      ],
      ["ModifyListener-http-forward", (d) => (d.requestParameters = {})],
      ["DeleteListener", (d) => (d.requestParameters = { listenerArn: 42 })],
      ["DeleteRule", (d) => (d.requestParameters = { ruleArn: HTTP_LISTENER })],
      ["CreateListener-http-forward", (d) => (d.eventName = "SetRulePriorities")],
    ];
    for (const [name, change] of cases) expect(() => observe(name, change), name).toThrow(UnusableEventError);
  });
});

describe("ELBv2 listener adapter: Config items", () => {
  it("an HTTPS listener: whole (complete), tags read separately", () => {
    const observation = adapter.fromConfigItem(configItem("config-item-listener-https-default-policy"));
    expect(observation).toMatchObject({
      complete: true,
      tagsKnown: false,
      observedAt: "2025-03-18T09:15:40.221Z",
      resource: { id: HTTPS_LISTENER, name: "web-prod:443" },
      state: {
        protocol: "HTTPS",
        port: 443,
        sslPolicy: "ELBSecurityPolicy-2016-08",
        defaultActions: [{ type: "forward" }],
      },
    });
    expect(observation.needsRefresh).toBeUndefined();
  });

  it("an HTTP listener that redirects: its rules are read (Config records none)", () => {
    const observation = adapter.fromConfigItem(configItem("config-item-listener-http-redirect-https"));
    expect(observation.needsRefresh).toBe(true);
    expect(observation.state?.defaultActions).toEqual([{ type: "redirect", redirectProtocol: "HTTPS" }]);
  });

  it("a deleted listener: no state", () => {
    expect(adapter.fromConfigItem(configItem("config-item-listener-deleted"))).toMatchObject({
      state: undefined,
      resource: { id: HTTPS_LISTENER },
    });
  });

  it("an unreadable configuration is an UnusableEventError", () => {
    const item = configItem("config-item-listener-https-default-policy");
    expect(() => adapter.fromConfigItem({ ...item, configuration: { Protocol: "HTTPS" } })).toThrow(
      UnusableEventError,
    );
  });
});

describe("ELBv2 listener adapter: live reads", () => {
  it("refresh of an HTTP listener reads it and all its rules (paginated), the default rule left out", async () => {
    elb
      .on(DescribeListenersCommand)
      .resolves({ Listeners: [apiListener(HTTP_LISTENER, "HTTP", 80, [redirectAction])] });
    elb
      .on(DescribeRulesCommand, { ListenerArn: HTTP_LISTENER, Marker: undefined })
      .resolves({
        Rules: [{ RuleArn: `${RULE}0`, Priority: "default", IsDefault: true, Actions: [redirectAction] }],
        NextMarker: "page-2",
      })
      .on(DescribeRulesCommand, { ListenerArn: HTTP_LISTENER, Marker: "page-2" })
      .resolves({ Rules: [{ RuleArn: RULE, Priority: "10", IsDefault: false, Actions: [forwardAction] }] });
    const [initial] = adapter.fromCloudTrail(detailOf("CreateRule-http-forward-api"), ACCOUNT);
    const refreshed = await adapter.refresh?.(initial!, clients);
    expect(refreshed).toMatchObject({
      complete: true,
      needsRefresh: false,
      resource: { name: "web-prod:80" },
      state: {
        protocol: "HTTP",
        defaultActions: [{ type: "redirect", redirectProtocol: "HTTPS" }],
        rules: [{ ruleArn: RULE, priority: "10", actions: [{ type: "forward" }] }],
      },
    });
    expect(elb.commandCalls(DescribeListenersCommand).map((c) => c.args[0].input)).toEqual([
      { ListenerArns: [HTTP_LISTENER] },
    ]);
    expect(elb.commandCalls(DescribeRulesCommand)).toHaveLength(2);
  });

  it("refresh of an HTTPS listener reads no rules; a listener that is gone has no state", async () => {
    elb
      .on(DescribeListenersCommand)
      .resolvesOnce({
        Listeners: [apiListener(HTTPS_LISTENER, "HTTPS", 443, [forwardAction], "ELBSecurityPolicy-2016-08")],
      })
      .rejects(awsError("ListenerNotFoundException"));
    const [initial] = adapter.fromCloudTrail(
      detailOf("ModifyListener-https-to-tls13", (d) => (d.responseElements = null)),
      ACCOUNT,
    );
    expect((await adapter.refresh?.(initial!, clients))?.state).toMatchObject({
      sslPolicy: "ELBSecurityPolicy-2016-08",
    });
    expect(elb.commandCalls(DescribeRulesCommand)).toHaveLength(0);
    expect((await adapter.refresh?.(initial!, clients))?.state).toBeUndefined();
  });

  it("refresh passes throttling on (the event is retried)", async () => {
    elb.on(DescribeListenersCommand).rejects(awsError("Throttling", { $retryable: {} }));
    const [initial] = adapter.fromCloudTrail(detailOf("DeleteRule"), ACCOUNT);
    await expect(adapter.refresh?.(initial!, clients)).rejects.toThrow("Throttling");
  });

  it("tags: load balancer and listener in one call, the listener's own value wins", async () => {
    elb.on(DescribeTagsCommand).resolves({
      TagDescriptions: [
        {
          ResourceArn: ALB,
          Tags: [
            { Key: "vigil:exempt", Value: "ELB.1" },
            { Key: "team", Value: "web" },
          ],
        },
        { ResourceArn: HTTP_LISTENER, Tags: [{ Key: "team", Value: "edge" }] },
      ],
    });
    const [observation] = observe("CreateListener-http-forward");
    expect(await adapter.readTags(observation!, clients)).toEqual({ "vigil:exempt": "ELB.1", team: "edge" });
    expect(elb.commandCalls(DescribeTagsCommand).map((c) => c.args[0].input)).toEqual([
      { ResourceArns: [ALB, HTTP_LISTENER] },
    ]);
  });

  it("tags of a listener that is gone are none; other errors pass on", async () => {
    const [observation] = observe("CreateListener-http-forward");
    elb.on(DescribeTagsCommand).rejectsOnce(awsError("LoadBalancerNotFoundException"));
    expect(await adapter.readTags(observation!, clients)).toEqual({});
    elb.on(DescribeTagsCommand).rejects(awsError("AccessDenied"));
    await expect(adapter.readTags(observation!, clients)).rejects.toThrow("AccessDenied");
  });
});
