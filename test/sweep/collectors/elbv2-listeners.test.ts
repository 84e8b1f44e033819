import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  ElasticLoadBalancingV2Client,
  type DescribeListenersCommandInput,
  type DescribeListenersCommandOutput,
  type DescribeLoadBalancersCommandInput,
  type DescribeLoadBalancersCommandOutput,
  type DescribeRulesCommandInput,
  type DescribeRulesCommandOutput,
  type Listener,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import adapter from "../../../shared/resources/elbv2-listener/adapter";
import defaultCollector, { elbv2ListenersCollector } from "../../../shared/sweep/collectors/elbv2-listeners";
import {
  collectAll,
  collectContext,
  configItemOf,
  credentials,
  pagedAnswers,
  REGION,
  verdicts,
  violated,
} from "./data-context";

const elbv2 = new ElasticLoadBalancingV2Client({ region: REGION, credentials });
const mock = mockClient(elbv2);
afterEach(() => mock.reset());

const PREFIX = "arn:aws:elasticloadbalancing:us-east-1:111122223333";
const WEB = `${PREFIX}:loadbalancer/app/web-prod/50dc6c495c0c9188`;
const NLB = `${PREFIX}:loadbalancer/net/tcp-prod/60dc6c495c0c9188`;
const GONE = `${PREFIX}:loadbalancer/app/gone/70dc6c495c0c9188`;
const HTTP = `${PREFIX}:listener/app/web-prod/50dc6c495c0c9188/f2f7dc8efc522ab2`;
const HTTPS = `${PREFIX}:listener/app/web-prod/50dc6c495c0c9188/0467ef3c8400ae65`;
const TCP = `${PREFIX}:listener/net/tcp-prod/60dc6c495c0c9188/1111dc8efc522ab2`;
const TARGETS = `${PREFIX}:targetgroup/web-prod-app/73e2d6bc24d8a067`;

const redirect = {
  Type: "redirect" as const,
  Order: 1,
  RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" as const },
};
const forward = { Type: "forward" as const, TargetGroupArn: TARGETS };
const httpListener: Listener = {
  ListenerArn: HTTP,
  LoadBalancerArn: WEB,
  Port: 80,
  Protocol: "HTTP",
  DefaultActions: [redirect],
};
const httpsListener: Listener = {
  ListenerArn: HTTPS,
  LoadBalancerArn: WEB,
  Port: 443,
  Protocol: "HTTPS",
  SslPolicy: "ELBSecurityPolicy-2016-08",
  DefaultActions: [forward],
};
const tcpListener: Listener = {
  ListenerArn: TCP,
  LoadBalancerArn: NLB,
  Port: 22,
  Protocol: "TCP",
  DefaultActions: [forward],
};

const notFound = (name: string) => Object.assign(new Error(`${name}`), { name });

function seedAccount() {
  const balancers = pagedAnswers<DescribeLoadBalancersCommandInput, DescribeLoadBalancersCommandOutput>(
    "Marker",
    {
      "": { LoadBalancers: [{ LoadBalancerArn: WEB }, { LoadBalancerArn: GONE }], NextMarker: "lb2" },
      lb2: { LoadBalancers: [{ LoadBalancerArn: NLB }] },
    },
  );
  const webListeners = pagedAnswers<DescribeListenersCommandInput, DescribeListenersCommandOutput>("Marker", {
    "": { Listeners: [httpListener], NextMarker: "l2" },
    l2: { Listeners: [httpsListener] },
  });
  const rules = pagedAnswers<DescribeRulesCommandInput, DescribeRulesCommandOutput>("Marker", {
    "": {
      Rules: [
        {
          RuleArn: `${HTTP.replace(":listener/", ":listener-rule/")}/aaaa`,
          Priority: "default",
          IsDefault: true,
          Actions: [redirect],
        },
      ],
      NextMarker: "r2",
    },
    r2: {
      Rules: [
        {
          RuleArn: `${HTTP.replace(":listener/", ":listener-rule/")}/bbbb`,
          Priority: "10",
          IsDefault: false,
          Actions: [forward],
        },
      ],
    },
  });
  mock.on(DescribeLoadBalancersCommand).callsFake(balancers.answer);
  mock.on(DescribeListenersCommand).callsFake((input: DescribeListenersCommandInput) => {
    if (input.LoadBalancerArn === WEB) return webListeners.answer(input);
    if (input.LoadBalancerArn === NLB) return { Listeners: [tcpListener] };
    throw notFound("LoadBalancerNotFoundException");
  });
  mock.on(DescribeRulesCommand).callsFake(rules.answer);
  return { balancers, webListeners, rules };
}

describe("ELBv2 listeners collector", () => {
  it("pages load balancers, their listeners and HTTP listeners' rules; every listener once", async () => {
    const { balancers, webListeners, rules } = seedAccount();
    const found = await collectAll(elbv2ListenersCollector(1), collectContext({ elbv2 }));

    expect(balancers.seen).toEqual([{ PageSize: 1 }, { PageSize: 1, Marker: "lb2" }]);
    expect(webListeners.seen).toEqual([
      { LoadBalancerArn: WEB, PageSize: 1 },
      { LoadBalancerArn: WEB, PageSize: 1, Marker: "l2" },
    ]);
    // Only the HTTP listener's rules are read (ELB.1); the load balancer deleted meanwhile is skipped.
    expect(rules.seen).toEqual([
      { ListenerArn: HTTP, PageSize: 1 },
      { ListenerArn: HTTP, PageSize: 1, Marker: "r2" },
    ]);
    expect(found.map((o) => o.resource.id)).toEqual([HTTP, HTTPS, TCP]);
    expect(found[0]?.state?.rules).toEqual([
      {
        ruleArn: `${HTTP.replace(":listener/", ":listener-rule/")}/bbbb`,
        priority: "10",
        actions: [{ type: "forward" }],
      },
    ]);
    expect(found.every((o) => o.complete && !o.tagsKnown)).toBe(true);
    // The HTTP listener forwards one path over plain HTTP; the HTTPS one has an outdated policy.
    expect(found.map(violated)).toEqual([["ELB.1"], ["ELB.17"], []]);
  });

  it("judges listeners as their Config items (refreshed for an HTTP listener's rules) are judged", async () => {
    seedAccount();
    mock.on(DescribeListenersCommand, { ListenerArns: [HTTP] }).resolves({ Listeners: [httpListener] });
    const swept = await collectAll(defaultCollector, collectContext({ elbv2 }));
    const https = adapter.fromConfigItem(configItemOf("elb/config-item-listener-https-default-policy.json"));
    const httpItem = adapter.fromConfigItem(
      configItemOf("elb/config-item-listener-http-redirect-https.json"),
    );
    expect(httpItem.needsRefresh).toBe(true);
    const http = await adapter.refresh!(httpItem, collectContext({ elbv2 }).clients);

    for (const fromConfig of [http, https]) {
      const same = swept.find((o) => o.resource.id === fromConfig.resource.id);
      expect(same?.resource).toEqual(fromConfig.resource);
      expect(same?.state).toEqual(fromConfig.state);
      expect(verdicts(same!)).toEqual(verdicts(fromConfig));
    }
    expect(violated(http)).toEqual(["ELB.1"]);
    expect(violated(https)).toEqual(["ELB.17"]);
  });

  it("names exactly the read actions it makes", () => {
    expect(defaultCollector.iamActions).toEqual([
      "elasticloadbalancing:DescribeLoadBalancers",
      "elasticloadbalancing:DescribeListeners",
      "elasticloadbalancing:DescribeRules",
    ]);
  });
});
