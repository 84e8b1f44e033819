import type { Action, Listener, ProtocolEnum } from "@aws-sdk/client-elastic-load-balancing-v2";
import { findingId } from "../../shared/findings/id";
import { loadEvent } from "../support/events";

export const ACCOUNT = "111122223333";
export const REGION = "us-east-1";
export const ALB =
  "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web-prod/50dc6c495c0c9188";
export const HTTP_LISTENER =
  "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/web-prod/50dc6c495c0c9188/f2f7dc8efc522ab2";
export const HTTPS_LISTENER =
  "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/app/web-prod/50dc6c495c0c9188/0467ef3c8400ae65";
export const RULE =
  "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener-rule/app/web-prod/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee";
export const NLB =
  "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/ldap-nlb/3afe296bf4ba80d4";
export const NLB_TLS_LISTENER =
  "arn:aws:elasticloadbalancing:us-east-1:111122223333:listener/net/ldap-nlb/3afe296bf4ba80d4/b1c2d3e4f5a6b7c8";
export const TARGET_GROUP =
  "arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-prod-app/73e2d6bc24d8a067";

export const DISTRIBUTION = "E2QWRUHEXAMPLE";
export const DISTRIBUTION_ARN = "arn:aws:cloudfront::111122223333:distribution/E2QWRUHEXAMPLE";

export const elbEvent = (name: string) => loadEvent(`elb/${name}.json`);
export const cloudFrontEvent = (name: string) => loadEvent(`cloudfront/${name}.json`);

export const listenerFindingId = (checkId: string, listenerArn: string) =>
  findingId({ account: ACCOUNT, region: REGION, checkId, resourceId: listenerArn });
/** CloudFront findings are `global`, whichever Region the event came through. */
export const distributionFindingId = (checkId = "CloudFront.3") =>
  findingId({ account: ACCOUNT, region: "global", checkId, resourceId: DISTRIBUTION });

/** An AWS SDK-style error (what the mocked clients reject with). */
export function awsError(name: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(name), { name, $metadata: {}, ...extra });
}

/** What DescribeListeners answers for one listener (the SDK's PascalCase). */
export function apiListener(
  listenerArn: string,
  protocol: ProtocolEnum,
  port: number,
  actions: Action[],
  sslPolicy?: string,
): Listener {
  const loadBalancerArn = listenerArn.replace(":listener/", ":loadbalancer/").replace(/\/[0-9a-f]+$/, "");
  return {
    ListenerArn: listenerArn,
    LoadBalancerArn: loadBalancerArn,
    Port: port,
    Protocol: protocol,
    ...(sslPolicy ? { SslPolicy: sslPolicy } : {}),
    DefaultActions: actions,
  };
}

export const forwardAction: Action = { Type: "forward", TargetGroupArn: TARGET_GROUP };
export const redirectAction: Action = {
  Type: "redirect",
  RedirectConfig: {
    Protocol: "HTTPS",
    Port: "443",
    Host: "#{host}",
    Path: "/#{path}",
    StatusCode: "HTTP_301",
  },
};
