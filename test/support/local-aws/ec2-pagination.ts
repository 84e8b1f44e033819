import { pageOf, type Ec2Action, type Ec2State } from "./ec2";
import { AwsError, raw, values, type Params } from "./query";

/**
 * `MaxResults`/`NextToken` paging for Describe actions other modules serve whole (instances,
 * subnets, network ACLs), as the SDK's paginators use it. Each action is wrapped: it answers the
 * whole list, and the wrapper cuts the answer's top-level item set to one page and adds the next
 * token. DescribeInstances pages by reservation here (AWS counts instances; one RunInstances call
 * is one reservation).
 */

interface Paged {
  action: string;
  /** The answer's top-level list, e.g. `reservationSet`. */
  set: string;
  range: { min: number; max: number };
  /** A parameter AWS refuses together with `MaxResults`, e.g. `InstanceId`. */
  notWith?: string;
}

const PAGED: Paged[] = [
  { action: "DescribeInstances", set: "reservationSet", range: { min: 5, max: 1000 }, notWith: "InstanceId" },
  { action: "DescribeSubnets", set: "subnetSet", range: { min: 5, max: 1000 } },
  { action: "DescribeNetworkAcls", set: "networkAclSet", range: { min: 5, max: 100 } },
];

/** The `<item>`s directly inside the first `<set>` of `xml`, and the text around that set. */
export function splitItemSet(xml: string, set: string): { before: string; items: string[]; after: string } {
  const open = `<${set}>`;
  const close = `</${set}>`;
  const start = xml.indexOf(open);
  if (start < 0) throw new Error(`local-aws: the answer has no <${set}>`);
  const items: string[] = [];
  let at = start + open.length;
  let depth = 0;
  let itemStart = -1;
  const tag = /<(\/?)item>|<\/([A-Za-z]+)>/g;
  tag.lastIndex = at;
  for (let m = tag.exec(xml); m; m = tag.exec(xml)) {
    if (m[2] === set && depth === 0) {
      at = m.index;
      return { before: xml.slice(0, start), items, after: xml.slice(at + close.length) };
    }
    if (m[2] !== undefined) continue;
    if (m[1] === "") {
      if (depth === 0) itemStart = m.index;
      depth++;
    } else {
      depth--;
      if (depth === 0) items.push(xml.slice(itemStart, m.index + "</item>".length));
    }
  }
  throw new Error(`local-aws: <${set}> is not closed`);
}

function withoutPaging(p: Params): Params {
  const { MaxResults: _max, NextToken: _token, ...rest } = p;
  return rest;
}

export function installPagination(ec2: Ec2State): void {
  const actions = (ec2 as unknown as { actions: Record<string, Ec2Action> }).actions;
  for (const { action, set, range, notWith } of PAGED) {
    const whole = actions[action];
    if (!whole) throw new Error(`local-aws: ${action} must be installed before its pagination`);
    actions[action] = (p) => {
      if (p.MaxResults === undefined) return whole(p);
      if (notWith && values(p, notWith).length)
        throw new AwsError(
          "InvalidParameterCombination",
          `The parameter ${notWith} cannot be used with the parameter maxResults`,
        );
      const { before, items, after } = splitItemSet(whole(withoutPaging(p)), set);
      const page = pageOf(items, p, range);
      const token = page.nextToken === undefined ? "" : raw("nextToken", page.nextToken);
      return before + raw(set, page.items.join("")) + token + after;
    };
  }
}
