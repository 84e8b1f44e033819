import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { makeEntry } from "./entry";
import { networkAclRef } from "./ref";
import type { AclEntry } from "./state";

type AclObservation = Observation<"AWS::EC2::NetworkAcl">;

/** CloudTrail logs numbers as numbers, but some captures show them as strings ("443"): accept both. */
const integer = z.union([
  z.number().int(),
  z
    .string()
    .regex(/^-?\d+$/)
    .transform(Number),
]);
const flag = z.union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")]);
const action = z
  .string()
  .transform((v) => v.toLowerCase())
  .pipe(z.enum(["allow", "deny"]));

/** `portRange` and `icmpTypeCode` are `{}` when the protocol has none. */
const entryRequestSchema = z.looseObject({
  networkAclId: z.string().min(1),
  ruleNumber: integer,
  egress: flag,
  ruleAction: action,
  // A string in real events ("6", "-1"); a number is tolerated.
  aclProtocol: z.union([z.string().min(1), z.number().int()]),
  portRange: z.looseObject({ from: integer.optional(), to: integer.optional() }).nullable().optional(),
  icmpTypeCode: z.looseObject({ type: integer.optional(), code: integer.optional() }).nullable().optional(),
  cidrBlock: z.string().optional(),
  ipv6CidrBlock: z.string().optional(),
});

const deleteEntrySchema = z.looseObject({
  networkAclId: z.string().min(1),
  ruleNumber: integer,
  egress: flag,
});
const deleteAclSchema = z.looseObject({ networkAclId: z.string().min(1) });

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) throw new UnusableEventError(`${what}: ${z.prettifyError(result.error)}`);
  return result.data;
}

/**
 * What one call says: the entry it wrote (or none), never the whole ACL. Entries are evaluated in
 * rule-number order, so an ingress change is judged on the ACL as it is now (`needsRefresh`: the
 * refresh reads all of it). An egress change can't make or end an EC2.21 violation: no read.
 */
function observe(
  detail: CloudTrailDetail,
  account: string,
  networkAclId: string,
  entries: AclEntry[],
  egress: boolean,
): AclObservation {
  return {
    resource: networkAclRef(networkAclId, account, detail.awsRegion),
    state: { networkAclId, wholeAcl: false, entries },
    complete: false,
    observedAt: detail.eventTime,
    tagsKnown: false,
    needsRefresh: !egress,
  };
}

/** `CreateNetworkAclEntry` / `ReplaceNetworkAclEntry`: one entry, in full, in the request. */
export function fromEntryWrite(detail: CloudTrailDetail, account: string): AclObservation[] {
  const what = `${detail.eventName} requestParameters`;
  const request = parse(entryRequestSchema, detail.requestParameters, what);
  const entry = makeEntry({
    ruleNumber: request.ruleNumber,
    egress: request.egress,
    protocol: request.aclProtocol,
    action: request.ruleAction,
    cidrBlock: request.cidrBlock,
    ipv6CidrBlock: request.ipv6CidrBlock,
    fromPort: request.portRange?.from,
    toPort: request.portRange?.to,
    icmpType: request.icmpTypeCode?.type,
    icmpCode: request.icmpTypeCode?.code,
  });
  if (typeof entry === "string") throw new UnusableEventError(`${what}: ${entry}`);
  return [observe(detail, account, request.networkAclId, [entry], request.egress)];
}

/** `DeleteNetworkAclEntry`: an entry is gone, which may end a violation; the ACL is read again. */
export function fromEntryDelete(detail: CloudTrailDetail, account: string): AclObservation[] {
  const request = parse(
    deleteEntrySchema,
    detail.requestParameters,
    "DeleteNetworkAclEntry requestParameters",
  );
  return [observe(detail, account, request.networkAclId, [], request.egress)];
}

/** `DeleteNetworkAcl`: the ACL is gone with all its entries, which resolves its findings. */
export function fromAclDelete(detail: CloudTrailDetail, account: string): AclObservation[] {
  const { networkAclId } = parse(
    deleteAclSchema,
    detail.requestParameters,
    "DeleteNetworkAcl requestParameters",
  );
  return [
    {
      resource: networkAclRef(networkAclId, account, detail.awsRegion),
      state: undefined,
      complete: true,
      observedAt: detail.eventTime,
      tagsKnown: true,
    },
  ];
}
