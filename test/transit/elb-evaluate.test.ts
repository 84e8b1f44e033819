import { describe, expect, it } from "vitest";
import elb1 from "../../shared/checks/elb/elb-1-http-to-https-redirect";
import elb17 from "../../shared/checks/elb/elb-17-recommended-tls-policy";
import { RECOMMENDED_SSL_POLICIES } from "../../shared/checks/elb/recommended-tls-policies";
import { parseConfig } from "../../shared/config/load";
import type { ListenerState } from "../../shared/resources/elbv2-listener/state";
import { ALB, HTTP_LISTENER, HTTPS_LISTENER, RULE } from "./support";

const context = { config: parseConfig({}) };
const redirect = { type: "redirect", redirectProtocol: "HTTPS" };
const forward = { type: "forward" };
const http = (over: Partial<ListenerState> = {}): ListenerState => ({
  listenerArn: HTTP_LISTENER,
  loadBalancerArn: ALB,
  loadBalancerType: "application",
  protocol: "HTTP",
  port: 80,
  defaultActions: [redirect],
  rules: [],
  ...over,
});
const tls = (protocol: string, sslPolicy: string | undefined): ListenerState => ({
  listenerArn: HTTPS_LISTENER,
  loadBalancerArn: ALB,
  loadBalancerType: protocol === "TLS" ? "network" : "application",
  protocol,
  port: 443,
  ...(sslPolicy ? { sslPolicy } : {}),
  defaultActions: [forward],
});

describe("ELB.1 evaluate (pure)", () => {
  it("compliant: an HTTP listener whose default action and rules all redirect to HTTPS", () => {
    const state = http({ rules: [{ ruleArn: RULE, priority: "10", actions: [redirect] }] });
    expect(elb1.undecided?.(state, context)).toBeUndefined();
    expect(elb1.evaluate(state, context)).toEqual([]);
  });

  it("non-compliant: the default action forwards over HTTP", () => {
    const state = http({ defaultActions: [forward] });
    expect(elb1.undecided?.(state, context)).toBeUndefined();
    expect(elb1.evaluate(state, context)).toEqual([
      {
        summary:
          "HTTP listener on port 80 serves requests over HTTP: its default action is forward, not a redirect to HTTPS",
        evidence: {
          listenerArn: HTTP_LISTENER,
          loadBalancerArn: ALB,
          port: 80,
          rule: "default",
          actions: ["forward"],
        },
      },
    ]);
  });

  it("non-compliant: one rule forwards although the default redirects (the Config rule judges every rule)", () => {
    const state = http({ rules: [{ ruleArn: RULE, priority: "10", actions: [forward] }] });
    const violations = elb1.evaluate(state, context);
    expect(violations).toHaveLength(1);
    expect(violations[0]?.evidence).toEqual({
      listenerArn: HTTP_LISTENER,
      loadBalancerArn: ALB,
      port: 80,
      rule: RULE,
      priority: "10",
      actions: ["forward"],
    });
  });

  it("non-compliant: redirects that keep HTTP (#{protocol}, HTTP) and fixed responses are not redirects to HTTPS", () => {
    for (const defaultActions of [
      [{ type: "redirect", redirectProtocol: "#{PROTOCOL}" }],
      [{ type: "redirect", redirectProtocol: "HTTP" }],
      [{ type: "redirect" }],
      [{ type: "fixed-response" }],
    ]) {
      expect(elb1.evaluate(http({ defaultActions }), context), JSON.stringify(defaultActions)).toHaveLength(
        1,
      );
    }
  });

  it("not applicable: HTTPS, TCP, TLS, UDP and Gateway (no protocol in GENEVE) listeners", () => {
    for (const protocol of ["HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE"]) {
      const state = http({ protocol, defaultActions: [forward], rules: undefined });
      expect(elb1.undecided?.(state, context), protocol).toBeUndefined();
      expect(elb1.evaluate(state, context), protocol).toEqual([]);
    }
  });

  it("undecided: protocol unknown, or the default redirects but the other rules are not known", () => {
    expect(elb1.undecided?.(http({ protocol: undefined }), context)).toMatch(/protocol/);
    expect(elb1.undecided?.(http({ defaultActions: undefined }), context)).toMatch(/default action/);
    expect(elb1.undecided?.(http({ rules: undefined }), context)).toMatch(/rules/);
    // A failing default action decides it even without the rules.
    expect(elb1.undecided?.(http({ rules: undefined, defaultActions: [forward] }), context)).toBeUndefined();
  });
});

describe("ELB.17 evaluate (pure)", () => {
  it("compliant: every recommended policy, on HTTPS and TLS listeners", () => {
    expect(RECOMMENDED_SSL_POLICIES.size).toBe(12);
    for (const policy of RECOMMENDED_SSL_POLICIES) {
      expect(elb17.evaluate(tls("HTTPS", policy), context), policy).toEqual([]);
      expect(elb17.evaluate(tls("TLS", policy), context), policy).toEqual([]);
    }
  });

  it("non-compliant: the CLI default, TLS 1.2-only, FS and the Ext1/Ext2 TLS 1.3 policies", () => {
    for (const policy of [
      "ELBSecurityPolicy-2016-08",
      "ELBSecurityPolicy-TLS-1-2-2017-01",
      "ELBSecurityPolicy-TLS-1-2-Ext-2018-06",
      "ELBSecurityPolicy-FS-1-2-Res-2020-10",
      "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06",
      "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06",
      "ELBSecurityPolicy-TLS13-1-0-2021-06",
    ]) {
      expect(elb17.evaluate(tls("HTTPS", policy), context), policy).toHaveLength(1);
    }
    expect(elb17.evaluate(tls("TLS", "ELBSecurityPolicy-TLS-1-2-2017-01"), context)).toEqual([
      {
        summary:
          "TLS listener on port 443 uses security policy ELBSecurityPolicy-TLS-1-2-2017-01, not a recommended one",
        evidence: {
          listenerArn: HTTPS_LISTENER,
          loadBalancerArn: ALB,
          protocol: "TLS",
          port: 443,
          sslPolicy: "ELBSecurityPolicy-TLS-1-2-2017-01",
        },
      },
    ]);
  });

  it("not applicable: HTTP, TCP, UDP, GENEVE listeners have no security policy", () => {
    for (const protocol of ["HTTP", "TCP", "UDP", "TCP_UDP", "GENEVE"]) {
      expect(elb17.undecided?.(tls(protocol, undefined), context), protocol).toBeUndefined();
      expect(elb17.evaluate(tls(protocol, undefined), context), protocol).toEqual([]);
    }
  });

  it("undecided: an HTTPS listener whose policy is not known, or a listener whose protocol is not", () => {
    expect(elb17.undecided?.(tls("HTTPS", undefined), context)).toMatch(/security policy/);
    expect(elb17.undecided?.({ ...tls("HTTPS", "x"), protocol: undefined }, context)).toMatch(/protocol/);
  });

  it("is pure: the state is left unchanged", () => {
    const state = http({ defaultActions: [forward], rules: [{ ruleArn: RULE, actions: [forward] }] });
    const before = structuredClone(state);
    elb1.evaluate(state, context);
    elb17.evaluate(tls("HTTPS", "ELBSecurityPolicy-2016-08"), context);
    expect(state).toEqual(before);
  });
});
