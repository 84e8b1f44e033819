import { isIPv4, isIPv6 } from "node:net";
import { OWNER_ID, type Ec2Action, type Ec2State } from "./ec2";
import { AwsError, el, itemSet, members, randomHex, raw, values, type Params } from "./query";

/**
 * EC2 network ACLs in memory, in the EC2 query protocol as the SDK v3 client speaks it: create an
 * ACL, create/replace/delete its entries by rule number, describe it (entries, default flag, tags),
 * and tag it. Only what Vigil and its tests use, with AWS's error codes.
 */

export interface NaclEntry {
  ruleNumber: number;
  egress: boolean;
  /** As EC2 reports it: a protocol number, `-1` for all. */
  protocol: string;
  ruleAction: "allow" | "deny";
  cidrBlock?: string;
  ipv6CidrBlock?: string;
  portRange?: { from: number; to: number };
  icmpTypeCode?: { type: number; code: number };
}

export interface NetworkAcl {
  networkAclId: string;
  vpcId: string;
  isDefault: boolean;
  tags: Record<string, string>;
  entries: NaclEntry[];
}

const stores = new WeakMap<Ec2State, Map<string, NetworkAcl>>();

/** The ACLs of one endpoint, for tests to inspect. */
export function networkAcls(ec2: Ec2State): Map<string, NetworkAcl> {
  let store = stores.get(ec2);
  if (!store) {
    store = new Map();
    stores.set(ec2, store);
  }
  return store;
}

/** The highest rule number is the `*` entry AWS adds to every ACL; callers get 1-32766. */
const DEFAULT_RULE = 32767;
const PROTOCOL_NUMBERS: Record<string, string> = { tcp: "6", udp: "17", icmp: "1", icmpv6: "58", all: "-1" };

function invalid(message: string): AwsError {
  return new AwsError("InvalidParameterValue", message);
}

function missing(name: string): AwsError {
  return new AwsError("MissingParameter", `The request must contain the parameter ${name}`);
}

function integer(value: string | undefined, name: string): number {
  if (value === undefined || value === "") throw missing(name);
  if (!/^-?\d+$/.test(value)) throw invalid(`Invalid value '${value}' for ${name}`);
  return Number(value);
}

function flag(value: string | undefined, name: string): boolean {
  if (value === undefined) throw missing(name);
  if (value !== "true" && value !== "false") throw invalid(`Invalid value '${value}' for ${name}`);
  return value === "true";
}

function protocolOf(value: string | undefined): string {
  if (value === undefined || value === "") throw missing("protocol");
  const given = value.toLowerCase();
  const protocol = PROTOCOL_NUMBERS[given] ?? given;
  if (protocol !== "-1" && !(/^\d+$/.test(protocol) && Number(protocol) <= 255))
    throw invalid(`Invalid value '${value}' for protocol`);
  return protocol;
}

function cidrOf(p: Params): Pick<NaclEntry, "cidrBlock" | "ipv6CidrBlock"> {
  const { CidrBlock: v4, Ipv6CidrBlock: v6 } = p;
  if ((v4 === undefined) === (v6 === undefined))
    throw new AwsError("InvalidParameterCombination", "Specify exactly one of CidrBlock and Ipv6CidrBlock");
  const [address = "", bits = "", ...rest] = (v4 ?? v6 ?? "").split("/");
  const valid = v4 !== undefined ? isIPv4(address) : isIPv6(address);
  const max = v4 !== undefined ? 32 : 128;
  if (!valid || rest.length || !/^\d+$/.test(bits) || Number(bits) > max)
    throw invalid(`Invalid value '${v4 ?? v6}' for CIDR block`);
  return v4 !== undefined ? { cidrBlock: v4 } : { ipv6CidrBlock: v6?.toLowerCase() };
}

/** The entry a Create/ReplaceNetworkAclEntry request describes. */
function requestedEntry(p: Params): NaclEntry {
  const ruleNumber = integer(p.RuleNumber, "ruleNumber");
  if (ruleNumber < 1 || ruleNumber > 32766) throw invalid(`Invalid value '${ruleNumber}' for ruleNumber`);
  const protocol = protocolOf(p.Protocol);
  const action = p.RuleAction?.toLowerCase();
  if (action !== "allow" && action !== "deny")
    throw invalid(`Invalid value '${p.RuleAction}' for ruleAction`);
  const entry: NaclEntry = {
    ruleNumber,
    egress: flag(p.Egress, "egress"),
    protocol,
    ruleAction: action,
    ...cidrOf(p),
  };
  if (protocol === "6" || protocol === "17") {
    const from = integer(p["PortRange.From"], "portRange.from");
    const to = integer(p["PortRange.To"], "portRange.to");
    if (from < 0 || to > 65535 || from > to) throw invalid(`Invalid value '${from}-${to}' for portRange`);
    entry.portRange = { from, to };
  }
  if (protocol === "1" || protocol === "58") {
    entry.icmpTypeCode = {
      type: integer(p["Icmp.Type"], "icmp.type"),
      code: integer(p["Icmp.Code"], "icmp.code"),
    };
  }
  return entry;
}

function entryXml(e: NaclEntry): string {
  return [
    el("ruleNumber", e.ruleNumber),
    el("protocol", e.protocol),
    el("ruleAction", e.ruleAction),
    el("egress", e.egress),
    el("cidrBlock", e.cidrBlock),
    el("ipv6CidrBlock", e.ipv6CidrBlock),
    e.icmpTypeCode
      ? raw("icmpTypeCode", el("code", e.icmpTypeCode.code) + el("type", e.icmpTypeCode.type))
      : "",
    e.portRange ? raw("portRange", el("from", e.portRange.from) + el("to", e.portRange.to)) : "",
  ].join("");
}

function aclXml(acl: NetworkAcl): string {
  return [
    el("networkAclId", acl.networkAclId),
    el("vpcId", acl.vpcId),
    el("default", acl.isDefault),
    itemSet("entrySet", acl.entries, entryXml),
    raw("associationSet", ""),
    itemSet("tagSet", Object.entries(acl.tags), ([key, value]) => el("key", key) + el("value", value)),
    el("ownerId", OWNER_ID),
  ].join("");
}

/** Every ACL starts with the `*` entries that deny what no numbered entry matches. */
function starEntries(): NaclEntry[] {
  return [true, false].map((egress) => ({
    ruleNumber: DEFAULT_RULE,
    egress,
    protocol: "-1",
    ruleAction: "deny",
    cidrBlock: "0.0.0.0/0",
  }));
}

/** A VPC's default ACL as AWS makes it: rule 100 allows everything, then the `*` entries. For tests. */
export function addDefaultNetworkAcl(ec2: Ec2State, vpcId: string): NetworkAcl {
  const allowAll = (egress: boolean): NaclEntry => ({
    ruleNumber: 100,
    egress,
    protocol: "-1",
    ruleAction: "allow",
    cidrBlock: "0.0.0.0/0",
  });
  const acl: NetworkAcl = {
    networkAclId: `acl-${randomHex(17)}`,
    vpcId,
    isDefault: true,
    tags: {},
    entries: [allowAll(false), allowAll(true), ...starEntries()],
  };
  networkAcls(ec2).set(acl.networkAclId, acl);
  return acl;
}

export function installNetworkAcls(ec2: Ec2State): void {
  const store = networkAcls(ec2);
  const aclOf = (id: string | undefined): NetworkAcl => {
    if (!id) throw missing("networkAclId");
    const acl = store.get(id);
    if (!acl) throw new AwsError("InvalidNetworkAclID.NotFound", `The network ACL ID '${id}' does not exist`);
    return acl;
  };
  const entryIndex = (acl: NetworkAcl, ruleNumber: number, egress: boolean) =>
    acl.entries.findIndex((e) => e.ruleNumber === ruleNumber && e.egress === egress);
  const entryNotFound = (acl: NetworkAcl, ruleNumber: number) =>
    new AwsError(
      "InvalidNetworkAclEntry.NotFound",
      `The network acl entry identified by ${ruleNumber} does not exist in ${acl.networkAclId}`,
    );
  const filterValues = (p: Params, name: string) =>
    members(p, "Filter")
      .filter((f) => f.Name === name)
      .flatMap((f) => values(f, "Value"));

  ec2.extend({
    CreateNetworkAcl: (p) => {
      if (!p.VpcId) throw missing("vpcId");
      const tags: Record<string, string> = {};
      for (const spec of members(p, "TagSpecification"))
        for (const tag of members(spec, "Tag")) if (tag.Key) tags[tag.Key] = tag.Value ?? "";
      const acl: NetworkAcl = {
        networkAclId: `acl-${randomHex(17)}`,
        vpcId: p.VpcId,
        isDefault: false,
        tags,
        entries: starEntries(),
      };
      store.set(acl.networkAclId, acl);
      return raw("networkAcl", aclXml(acl));
    },

    CreateNetworkAclEntry: (p) => {
      const acl = aclOf(p.NetworkAclId);
      const entry = requestedEntry(p);
      if (entryIndex(acl, entry.ruleNumber, entry.egress) >= 0)
        throw new AwsError(
          "NetworkAclEntryAlreadyExists",
          `The network acl entry identified by ${entry.ruleNumber} already exists.`,
        );
      acl.entries.push(entry);
      return el("return", true);
    },

    ReplaceNetworkAclEntry: (p) => {
      const acl = aclOf(p.NetworkAclId);
      const entry = requestedEntry(p);
      const index = entryIndex(acl, entry.ruleNumber, entry.egress);
      if (index < 0) throw entryNotFound(acl, entry.ruleNumber);
      acl.entries[index] = entry;
      return el("return", true);
    },

    DeleteNetworkAclEntry: (p) => {
      const acl = aclOf(p.NetworkAclId);
      const ruleNumber = integer(p.RuleNumber, "ruleNumber");
      const index = entryIndex(acl, ruleNumber, flag(p.Egress, "egress"));
      if (index < 0 || ruleNumber === DEFAULT_RULE) throw entryNotFound(acl, ruleNumber);
      acl.entries.splice(index, 1);
      return el("return", true);
    },

    DescribeNetworkAcls: (p) => {
      const ids = values(p, "NetworkAclId");
      for (const id of ids) aclOf(id);
      const byFilter = filterValues(p, "network-acl-id");
      const vpcs = filterValues(p, "vpc-id");
      const defaults = filterValues(p, "default");
      const found = [...store.values()].filter(
        (a) =>
          (!ids.length || ids.includes(a.networkAclId)) &&
          (!byFilter.length || byFilter.includes(a.networkAclId)) &&
          (!vpcs.length || vpcs.includes(a.vpcId)) &&
          (!defaults.length || defaults.includes(String(a.isDefault))),
      );
      return itemSet("networkAclSet", found, aclXml);
    },
  });

  // CreateTags already serves security groups; ACL ids are answered here, everything else as before.
  const actions = (ec2 as unknown as { actions: Record<string, Ec2Action> }).actions;
  const previous = actions.CreateTags;
  actions.CreateTags = (p) => {
    const ids = values(p, "ResourceId");
    if (!ids.length || !ids.every((id) => id.startsWith("acl-"))) {
      if (!previous) throw new AwsError("InvalidAction", "CreateTags is not served");
      return previous(p);
    }
    const tags = members(p, "Tag");
    if (!tags.length) throw missing("Tag");
    const acls = ids.map(aclOf);
    for (const acl of acls) for (const tag of tags) if (tag.Key) acl.tags[tag.Key] = tag.Value ?? "";
    return el("return", true);
  };
}
