/** One listener action as Vigil judges it: its type and, for a redirect, where the client is sent. */
export interface ListenerAction {
  /** Lower-cased: `forward`, `redirect`, `fixed-response`, `authenticate-oidc`, ... */
  type: string;
  /** Redirect actions only: the protocol in the redirect (`HTTPS`, `HTTP` or `#{protocol}`), upper-cased. */
  redirectProtocol?: string;
}

/** A listener rule other than the default one (those live in `defaultActions`). */
export interface ListenerRuleState {
  ruleArn: string;
  priority?: string;
  actions: ListenerAction[];
}

export type LoadBalancerType = "application" | "network" | "gateway";

/**
 * An Elastic Load Balancing v2 listener. Fields a source does not carry are undefined, and a
 * check that needs one stays undecided (its finding is left as it is).
 */
export interface ListenerState {
  listenerArn: string;
  loadBalancerArn: string;
  /** From the ARN (`listener/app|net|gwy/...`). */
  loadBalancerType: LoadBalancerType;
  /** Upper-cased: `HTTP`, `HTTPS`, `TCP`, `TLS`, `UDP`, `TCP_UDP`, `GENEVE`, ... */
  protocol?: string;
  port?: number;
  /** HTTPS and TLS listeners only. */
  sslPolicy?: string;
  defaultActions?: ListenerAction[];
  /**
   * The listener's non-default rules; undefined when the source doesn't list them (ModifyListener,
   * Config items), `[]` for a listener just created (it has only its default rule).
   */
  rules?: ListenerRuleState[];
  /** Tags when the source carried them (none does: they are read, load balancer and listener together). */
  tags?: Record<string, string>;
}
