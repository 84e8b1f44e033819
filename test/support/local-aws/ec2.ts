import { isIPv4, isIPv6 } from "node:net";
import { AwsError, el, itemSet, members, randomHex, raw, values, type Params } from "./query";

/**
 * EC2 security groups in memory, spoken in the EC2 query protocol (form-encoded requests, XML
 * responses) as the AWS SDK v3 EC2 client sends and parses them. Only what Vigil and its tests use.
 */

export const EC2_NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";
export const OWNER_ID = "000000000000";
/** Where a group created without `VpcId` goes, as in AWS. */
export const DEFAULT_VPC_ID = "vpc-0de0fa017000000d1";

export interface SgRule {
  securityGroupRuleId: string;
  groupId: string;
  isEgress: boolean;
  /** As EC2 reports it: `tcp`, `udp`, `icmp`, `icmpv6`, `-1` or a protocol number. */
  ipProtocol: string;
  /** -1 when the protocol has no ports. */
  fromPort: number;
  toPort: number;
  cidrIpv4?: string;
  cidrIpv6?: string;
  prefixListId?: string;
  referencedGroupId?: string;
  referencedUserId?: string;
  description?: string;
}

export interface SecurityGroup {
  groupId: string;
  groupName: string;
  description: string;
  vpcId: string;
  tags: Record<string, string>;
  rules: SgRule[];
}

/** A rule as requested: no id or group yet. */
type RuleSpec = Omit<SgRule, "securityGroupRuleId" | "groupId" | "isEgress">;

const PROTOCOL_NAMES: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };

function invalid(message: string): AwsError {
  return new AwsError("InvalidParameterValue", message);
}

function port(value: string | undefined): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw invalid(`Invalid value '${value}' for port`);
  return n;
}

function protocolAndPorts(p: Params): Pick<SgRule, "ipProtocol" | "fromPort" | "toPort"> {
  const given = p.IpProtocol?.toLowerCase();
  if (!given) throw new AwsError("MissingParameter", "The request must contain the parameter ipProtocol");
  const ipProtocol = PROTOCOL_NAMES[given] ?? given;
  const known = ["tcp", "udp", "icmp", "icmpv6", "-1"].includes(ipProtocol);
  if (!known && !(/^\d+$/.test(ipProtocol) && Number(ipProtocol) <= 255))
    throw invalid(`Invalid value '${p.IpProtocol}' for IP protocol. Unknown protocol.`);
  const fromPort = port(p.FromPort);
  const toPort = port(p.ToPort);
  if (ipProtocol === "tcp" || ipProtocol === "udp") {
    if (fromPort === undefined || toPort === undefined)
      throw invalid("Invalid value 'Must specify both from and to ports with TCP/UDP.' for portRange.");
    if (fromPort < 0 || toPort > 65535 || fromPort > toPort)
      throw invalid(`Invalid value '${fromPort}-${toPort}' for portRange.`);
    return { ipProtocol, fromPort, toPort };
  }
  // ICMP ports are type and code; every other protocol has no ports at all.
  if (ipProtocol === "icmp" || ipProtocol === "icmpv6")
    return { ipProtocol, fromPort: fromPort ?? -1, toPort: toPort ?? -1 };
  return { ipProtocol, fromPort: -1, toPort: -1 };
}

/** EC2 keeps CIDRs canonical: host bits cleared (`10.0.0.5/16` is stored as `10.0.0.0/16`). */
function cidr4(value: string | undefined): string {
  const [address = "", bits = "", ...rest] = (value ?? "").split("/");
  const prefix = Number(bits);
  if (!isIPv4(address) || rest.length || !/^\d+$/.test(bits) || prefix > 32)
    throw invalid(`CIDR block ${value} is malformed`);
  const n = address.split(".").reduce((acc, octet) => acc * 256 + Number(octet), 0);
  const masked = prefix === 0 ? 0 : Number((BigInt(n) >> BigInt(32 - prefix)) << BigInt(32 - prefix));
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(masked / 2 ** shift) % 256);
  return `${octets.join(".")}/${prefix}`;
}

function cidr6(value: string | undefined): string {
  const [address = "", bits = "", ...rest] = (value ?? "").split("/");
  if (!isIPv6(address) || rest.length || !/^\d+$/.test(bits) || Number(bits) > 128)
    throw invalid(`CIDR block ${value} is malformed`);
  return `${address.toLowerCase()}/${bits}`;
}

/** One rule per (permission x source), the way EC2 assigns rule ids. */
function rulesOfPermission(p: Params): RuleSpec[] {
  const base = protocolAndPorts(p);
  const description = (d: string | undefined) => (d === undefined ? {} : { description: d });
  const specs: RuleSpec[] = [
    ...members(p, "IpRanges").map((r) => ({
      ...base,
      cidrIpv4: cidr4(r.CidrIp),
      ...description(r.Description),
    })),
    ...members(p, "Ipv6Ranges").map((r) => ({
      ...base,
      cidrIpv6: cidr6(r.CidrIpv6),
      ...description(r.Description),
    })),
    ...members(p, "PrefixListIds").map((r) => ({
      ...base,
      prefixListId: r.PrefixListId ?? "",
      ...description(r.Description),
    })),
    ...members(p, "Groups").map((g) => ({
      ...base,
      referencedGroupId: g.GroupId ?? "",
      referencedUserId: g.UserId ?? OWNER_ID,
      ...description(g.Description),
    })),
  ];
  if (!specs.length) throw new AwsError("MissingParameter", "No source (CIDR, prefix list or group) given");
  return specs;
}

/** `IpPermissions.N.*`, or the legacy top-level `IpProtocol/FromPort/ToPort/CidrIp` form. */
function requestedRules(params: Params): RuleSpec[] {
  const specs = members(params, "IpPermissions").flatMap(rulesOfPermission);
  if (params.CidrIp !== undefined || params.IpProtocol !== undefined) {
    const { IpProtocol, FromPort, ToPort, CidrIp } = params;
    const legacy: Params = {};
    for (const [key, value] of Object.entries({ IpProtocol, FromPort, ToPort, "IpRanges.1.CidrIp": CidrIp }))
      if (value !== undefined) legacy[key] = value;
    specs.push(...rulesOfPermission(legacy));
  }
  return specs;
}

/** Rules are unique by value (description aside): the identity AWS uses for duplicates and revoke-by-value. */
function valueKey(rule: RuleSpec): string {
  const source = rule.cidrIpv4 ?? rule.cidrIpv6 ?? rule.prefixListId ?? `group:${rule.referencedGroupId}`;
  return `${rule.ipProtocol}|${rule.fromPort}|${rule.toPort}|${source}`;
}

function ruleXml(rule: SgRule): string {
  return [
    el("securityGroupRuleId", rule.securityGroupRuleId),
    el("groupId", rule.groupId),
    el("groupOwnerId", OWNER_ID),
    el("isEgress", rule.isEgress),
    el("ipProtocol", rule.ipProtocol),
    el("fromPort", rule.fromPort),
    el("toPort", rule.toPort),
    el("cidrIpv4", rule.cidrIpv4),
    el("cidrIpv6", rule.cidrIpv6),
    el("prefixListId", rule.prefixListId),
    rule.referencedGroupId
      ? raw(
          "referencedGroupInfo",
          el("groupId", rule.referencedGroupId) + el("userId", rule.referencedUserId),
        )
      : "",
    el("description", rule.description),
  ].join("");
}

/** One IpPermission: rules that share protocol and ports, each source in its list. */
function permissionXml(rules: RuleSpec[]): string {
  const [first] = rules as [RuleSpec];
  const ports = first.ipProtocol === "-1" ? "" : el("fromPort", first.fromPort) + el("toPort", first.toPort);
  const sources = (name: string, has: (r: RuleSpec) => boolean, render: (r: RuleSpec) => string) =>
    itemSet(name, rules.filter(has), (r) => render(r) + el("description", r.description));
  return (
    el("ipProtocol", first.ipProtocol) +
    ports +
    sources(
      "groups",
      (r) => r.referencedGroupId !== undefined,
      (r) => el("userId", r.referencedUserId) + el("groupId", r.referencedGroupId),
    ) +
    sources(
      "ipRanges",
      (r) => r.cidrIpv4 !== undefined,
      (r) => el("cidrIp", r.cidrIpv4),
    ) +
    sources(
      "ipv6Ranges",
      (r) => r.cidrIpv6 !== undefined,
      (r) => el("cidrIpv6", r.cidrIpv6),
    ) +
    sources(
      "prefixListIds",
      (r) => r.prefixListId !== undefined,
      (r) => el("prefixListId", r.prefixListId),
    )
  );
}

/** DescribeSecurityGroups' view: rules with the same protocol and ports share one IpPermission. */
function permissionsXml(name: string, rules: RuleSpec[]): string {
  const byPorts = new Map<string, RuleSpec[]>();
  for (const rule of rules) {
    const key = `${rule.ipProtocol}|${rule.fromPort}|${rule.toPort}`;
    byPorts.set(key, [...(byPorts.get(key) ?? []), rule]);
  }
  return itemSet(name, [...byPorts.values()], permissionXml);
}

const tagSetXml = (tags: Record<string, string>) =>
  itemSet("tagSet", Object.entries(tags), ([key, value]) => el("key", key) + el("value", value));

/**
 * One page of a Describe answer, as EC2 pages: all of it without `MaxResults`; otherwise at most
 * that many from `NextToken` on (an opaque offset here), with the next token while more are left.
 * `MaxResults` outside the action's range fails as in AWS.
 */
export function pageOf<T>(
  list: readonly T[],
  p: Params,
  range: { min: number; max: number },
): { items: T[]; nextToken?: string } {
  if (p.MaxResults === undefined) return { items: [...list] };
  const maxResults = Number(p.MaxResults);
  if (!Number.isInteger(maxResults) || maxResults < range.min || maxResults > range.max)
    throw invalid(
      `Value ( ${p.MaxResults} ) for parameter maxResults is invalid. Expecting a value between ${range.min} and ${range.max}.`,
    );
  const start = p.NextToken === undefined ? 0 : Number(p.NextToken);
  if (!Number.isInteger(start) || start < 0 || start > list.length)
    throw invalid(`Invalid value '${p.NextToken}' for nextToken`);
  const end = start + maxResults;
  return { items: list.slice(start, end), ...(end < list.length ? { nextToken: String(end) } : {}) };
}

/** One EC2 action: the request's form fields in, the XML inside `<ActionResponse>` out (or an AwsError). */
export type Ec2Action = (params: Params) => string;

export class Ec2State {
  readonly groups = new Map<string, SecurityGroup>();
  /** Network interfaces by id: the security groups each one uses (for "is this group in use?"). */
  readonly networkInterfaces = new Map<string, string[]>();

  constructor() {
    // Like AWS: the default VPC exists, with its default group.
    this.defaultGroup(DEFAULT_VPC_ID);
  }

  group(groupId: string): SecurityGroup | undefined {
    return this.groups.get(groupId);
  }

  /** The group's ingress rules as they are now. */
  ingressRules(groupId: string): SgRule[] {
    return (this.groups.get(groupId)?.rules ?? []).filter((r) => !r.isEgress);
  }

  /** The group's egress rules as they are now. */
  egressRules(groupId: string): SgRule[] {
    return (this.groups.get(groupId)?.rules ?? []).filter((r) => r.isEgress);
  }

  /**
   * The VPC's default group, created with the VPC (here: the first time the VPC is named) with
   * AWS's rules: all traffic in from members of the group itself, all traffic out to 0.0.0.0/0.
   */
  defaultGroup(vpcId: string): SecurityGroup {
    const existing = [...this.groups.values()].find((g) => g.vpcId === vpcId && g.groupName === "default");
    if (existing) return existing;
    const groupId = `sg-${randomHex(17)}`;
    const group: SecurityGroup = {
      groupId,
      groupName: "default",
      description: "default VPC security group",
      vpcId,
      tags: {},
      rules: [],
    };
    group.rules.push(
      {
        ...this.newRule(groupId, false),
        ipProtocol: "-1",
        fromPort: -1,
        toPort: -1,
        referencedGroupId: groupId,
        referencedUserId: OWNER_ID,
      },
      { ...this.newRule(groupId, true), ipProtocol: "-1", fromPort: -1, toPort: -1, cidrIpv4: "0.0.0.0/0" },
    );
    this.groups.set(groupId, group);
    return group;
  }

  /** A network interface using these groups (what an instance, a Lambda function or an endpoint adds). */
  addNetworkInterface(groupIds: string[]): string {
    const id = `eni-${randomHex(17)}`;
    this.networkInterfaces.set(id, groupIds);
    return id;
  }

  /**
   * Adds actions beyond security groups (network ACLs, instances, volumes, ...): each lives in its
   * own `ec2-*.ts` module, listed in `ec2-extensions.ts`, and keeps its own state.
   */
  extend(actions: Record<string, Ec2Action>): void {
    for (const [name, action] of Object.entries(actions)) {
      if (this.actions[name]) throw new Error(`local-aws: EC2 action ${name} is defined twice`);
      this.actions[name] = action;
    }
  }

  /** Handles one query-protocol request; returns the XML body or throws an AwsError. */
  handle(action: string, params: Params, requestId: string): string {
    const handler = this.actions[action];
    if (!handler)
      throw new AwsError("InvalidAction", `The action ${action} is not valid for this web service.`);
    const body = `<requestId>${requestId}</requestId>${handler(params)}`;
    return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NAMESPACE}">${body}</${action}Response>`;
  }

  private readonly actions: Record<string, Ec2Action> = {
    CreateSecurityGroup: (p) => {
      const groupName = p.GroupName;
      const description = p.GroupDescription;
      if (!groupName || !description)
        throw new AwsError(
          "MissingParameter",
          "The request must contain the parameter GroupName and GroupDescription",
        );
      if (groupName.toLowerCase() === "default")
        throw invalid("Cannot use reserved security group name: default");
      const vpcId = p.VpcId ?? DEFAULT_VPC_ID;
      this.defaultGroup(vpcId);
      if ([...this.groups.values()].some((g) => g.groupName === groupName && g.vpcId === vpcId))
        throw new AwsError(
          "InvalidGroup.Duplicate",
          `The security group '${groupName}' already exists for VPC '${vpcId}'`,
        );
      const groupId = `sg-${randomHex(17)}`;
      const tags: Record<string, string> = {};
      for (const spec of members(p, "TagSpecification"))
        for (const tag of members(spec, "Tag")) if (tag.Key) tags[tag.Key] = tag.Value ?? "";
      const group: SecurityGroup = { groupId, groupName, description, vpcId, tags, rules: [] };
      // Like AWS: a new VPC group allows all outbound traffic.
      group.rules.push({
        ...this.newRule(groupId, true),
        ipProtocol: "-1",
        fromPort: -1,
        toPort: -1,
        cidrIpv4: "0.0.0.0/0",
      });
      this.groups.set(groupId, group);
      return el("return", true) + el("groupId", groupId) + (Object.keys(tags).length ? tagSetXml(tags) : "");
    },

    DeleteSecurityGroup: (p) => {
      const group = this.target(p);
      if (group.groupName === "default")
        throw new AwsError(
          "CannotDelete",
          `the specified group: "${group.groupId}" name: "default" cannot be deleted by a user`,
        );
      this.groups.delete(group.groupId);
      return el("return", true) + el("groupId", group.groupId);
    },

    AuthorizeSecurityGroupIngress: (p) => this.authorize(p, false),
    AuthorizeSecurityGroupEgress: (p) => this.authorize(p, true),
    RevokeSecurityGroupIngress: (p) => this.revoke(p, false),
    RevokeSecurityGroupEgress: (p) => this.revoke(p, true),

    DescribeSecurityGroups: (p) => {
      const ids = [...values(p, "GroupId"), ...this.filterValues(p, "group-id")];
      const names = [...values(p, "GroupName"), ...this.filterValues(p, "group-name")];
      const vpcs = this.filterValues(p, "vpc-id");
      for (const id of values(p, "GroupId")) if (!this.groups.has(id)) throw this.groupNotFound(id);
      const found = [...this.groups.values()].filter(
        (g) =>
          (!ids.length || ids.includes(g.groupId)) &&
          (!names.length || names.includes(g.groupName)) &&
          (!vpcs.length || vpcs.includes(g.vpcId)),
      );
      const page = pageOf(found, p, { min: 5, max: 1000 });
      const groups = itemSet("securityGroupInfo", page.items, (g) =>
        [
          el("ownerId", OWNER_ID),
          el("groupId", g.groupId),
          el("groupName", g.groupName),
          el("groupDescription", g.description),
          el("vpcId", g.vpcId),
          permissionsXml(
            "ipPermissions",
            g.rules.filter((r) => !r.isEgress),
          ),
          permissionsXml(
            "ipPermissionsEgress",
            g.rules.filter((r) => r.isEgress),
          ),
          tagSetXml(g.tags),
        ].join(""),
      );
      return groups + el("nextToken", page.nextToken);
    },

    DescribeSecurityGroupRules: (p) => {
      const all = [...this.groups.values()].flatMap((g) => g.rules);
      const ids = values(p, "SecurityGroupRuleId");
      const missing = ids.find((id) => !all.some((r) => r.securityGroupRuleId === id));
      if (missing)
        throw new AwsError(
          "InvalidSecurityGroupRuleId.NotFound",
          `The security group rule ID '${missing}' does not exist`,
        );
      const groupIds = this.filterValues(p, "group-id");
      const ruleIds = [...ids, ...this.filterValues(p, "security-group-rule-id")];
      const matching = all.filter(
        (r) =>
          (!groupIds.length || groupIds.includes(r.groupId)) &&
          (!ruleIds.length || ruleIds.includes(r.securityGroupRuleId)),
      );
      const maxResults = port(p.MaxResults) ?? 1000;
      if (maxResults < 5 || maxResults > 1000)
        throw invalid(
          `Value ( ${maxResults} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`,
        );
      const start = Number(p.NextToken ?? 0);
      const page = matching.slice(start, start + maxResults);
      const next = start + maxResults < matching.length ? String(start + maxResults) : undefined;
      return itemSet("securityGroupRuleSet", page, ruleXml) + el("nextToken", next);
    },

    DescribeNetworkInterfaces: (p) => {
      const groupIds = this.filterValues(p, "group-id");
      const found = [...this.networkInterfaces.entries()].filter(
        ([, groups]) => !groupIds.length || groups.some((g) => groupIds.includes(g)),
      );
      return itemSet(
        "networkInterfaceSet",
        found,
        ([id, groups]) =>
          el("networkInterfaceId", id) +
          el("status", "in-use") +
          itemSet(
            "groupSet",
            groups,
            (g) => el("groupId", g) + el("groupName", this.groups.get(g)?.groupName),
          ),
      );
    },

    CreateTags: (p) => {
      const resources = values(p, "ResourceId");
      const tags = members(p, "Tag");
      if (!resources.length || !tags.length)
        throw new AwsError("MissingParameter", "The request must contain the parameters ResourceId and Tag");
      const groups = resources.map((id) => this.groups.get(id) ?? this.throw(this.groupNotFound(id)));
      for (const group of groups) for (const tag of tags) if (tag.Key) group.tags[tag.Key] = tag.Value ?? "";
      return el("return", true);
    },
  };

  /** Authorize{Ingress,Egress}: one rule per source; one duplicate fails the whole call, as in AWS. */
  private authorize(p: Params, isEgress: boolean): string {
    const group = this.target(p);
    if (isEgress && !p.GroupId)
      throw new AwsError("MissingParameter", "The request must contain the parameter groupId");
    const existing = new Set(group.rules.filter((r) => r.isEgress === isEgress).map(valueKey));
    const added: SgRule[] = [];
    for (const spec of requestedRules(p)) {
      if (existing.has(valueKey(spec)))
        throw new AwsError(
          "InvalidPermission.Duplicate",
          `the specified rule "peer: ${spec.cidrIpv4 ?? spec.cidrIpv6 ?? spec.prefixListId ?? spec.referencedGroupId}, ${spec.ipProtocol.toUpperCase()}, from port: ${spec.fromPort}, to port: ${spec.toPort}, ALLOW" already exists`,
        );
      existing.add(valueKey(spec));
      added.push({ ...this.newRule(group.groupId, isEgress), ...spec });
    }
    group.rules.push(...added);
    return el("return", true) + itemSet("securityGroupRuleSet", added, ruleXml);
  }

  /** Revoke{Ingress,Egress} by rule ids or by value, with AWS's answers and errors. */
  private revoke(p: Params, isEgress: boolean): string {
    const group = this.target(p);
    const own = group.rules.filter((r) => r.isEgress === isEgress);
    const ids = values(p, "SecurityGroupRuleId");
    let revoked: SgRule[];
    let unknown: RuleSpec[] = [];
    if (ids.length) {
      if (members(p, "IpPermissions").length)
        throw new AwsError(
          "InvalidParameterCombination",
          "Specify either rule ids or IP permissions, not both",
        );
      // One unknown id (or one of the other direction) fails the whole call, as in AWS.
      const missing = ids.find((id) => !own.some((r) => r.securityGroupRuleId === id));
      if (missing)
        throw new AwsError(
          "InvalidSecurityGroupRuleId.NotFound",
          `The security group rule ID '${missing}' does not exist`,
        );
      revoked = own.filter((r) => ids.includes(r.securityGroupRuleId));
    } else {
      const wanted = requestedRules(p);
      revoked = own.filter((r) => wanted.some((w) => valueKey(w) === valueKey(r)));
      unknown = wanted.filter((w) => !own.some((r) => valueKey(r) === valueKey(w)));
      // As documented: outside the default VPC any unmatched rule fails the whole call; in the
      // default VPC what matches is revoked and the rest comes back as unknownIpPermissionSet.
      if (unknown.length && group.vpcId !== DEFAULT_VPC_ID)
        throw new AwsError(
          "InvalidPermission.NotFound",
          "The specified rule does not exist in this security group.",
        );
    }
    group.rules = group.rules.filter((r) => !revoked.includes(r));
    return (
      el("return", true) +
      (unknown.length ? permissionsXml("unknownIpPermissionSet", unknown) : "") +
      itemSet("revokedSecurityGroupRuleSet", revoked, ruleXml)
    );
  }

  private newRule(
    groupId: string,
    isEgress: boolean,
  ): Pick<SgRule, "securityGroupRuleId" | "groupId" | "isEgress"> {
    return { securityGroupRuleId: `sgr-${randomHex(17)}`, groupId, isEgress };
  }

  /** The group a request names by `GroupId`, or by `GroupName` (default VPC). */
  private target(p: Params): SecurityGroup {
    if (p.GroupId) return this.groups.get(p.GroupId) ?? this.throw(this.groupNotFound(p.GroupId));
    if (p.GroupName) {
      // Names address groups of the default VPC only.
      const group = [...this.groups.values()].find(
        (g) => g.groupName === p.GroupName && g.vpcId === DEFAULT_VPC_ID,
      );
      return (
        group ??
        this.throw(
          new AwsError(
            "InvalidGroup.NotFound",
            `The security group '${p.GroupName}' does not exist in default VPC`,
          ),
        )
      );
    }
    throw new AwsError("MissingParameter", "The request must contain the parameter groupId or groupName");
  }

  private filterValues(p: Params, name: string): string[] {
    return members(p, "Filter")
      .filter((f) => f.Name === name)
      .flatMap((f) => values(f, "Value"));
  }

  private groupNotFound(groupId: string): AwsError {
    return new AwsError("InvalidGroup.NotFound", `The security group '${groupId}' does not exist`);
  }

  private throw(error: AwsError): never {
    throw error;
  }
}

export function ec2ErrorXml(error: AwsError, requestId: string): string {
  const detail = el("Code", error.code) + el("Message", error.message);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error>${detail}</Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}
