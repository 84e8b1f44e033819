import { randomBytes } from "node:crypto";
import type { DoubleRequest, DoubleResponse, ServiceDouble } from "./double";
import { IAM_ACCOUNT, IAM_NAMESPACE, iamPage } from "./iam";
import { AwsError, el, members, parseForm, raw, type Params } from "./query";

/**
 * IAM customer managed policies in memory, in IAM's query protocol with XML answers (signing name
 * `iam`, beside the users double in iam.ts: `accepts` takes only the policy actions below, and it is
 * registered before that double, which answers every IAM request). Versions, the default version, usage
 * counts (seeded by tests) and tags, with IAM's rules and error codes: at most five versions, the default
 * can't be deleted, version ids are never reused, documents come back URL-encoded.
 */

const ACTIONS = new Set([
  "CreatePolicy",
  "CreatePolicyVersion",
  "GetPolicy",
  "GetPolicyVersion",
  "ListPolicyVersions",
  "SetDefaultPolicyVersion",
  "DeletePolicyVersion",
  "TagPolicy",
  "ListPolicyTags",
  // The sweep's listing, paginated with Marker / IsTruncated (see `iamPage`).
  "ListPolicies",
]);
const MAX_VERSIONS = 5;
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
const PATH = /^\/(?:[\x21-\x7e]*\/)?$/;

export interface LocalPolicyVersion {
  versionId: string;
  /** The JSON text exactly as sent. */
  document: string;
  created: string;
}

export interface LocalPolicy {
  name: string;
  path: string;
  arn: string;
  id: string;
  defaultVersionId: string;
  versions: LocalPolicyVersion[];
  /** The next version number: ids are never reused, even after a version is deleted. */
  nextVersion: number;
  attachmentCount: number;
  permissionsBoundaryUsageCount: number;
  tags: Map<string, string>;
  created: string;
  updated: string;
}

const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");
const policyId = () =>
  `ANPA${[...randomBytes(17)].map((b) => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[b % 32]).join("")}`;

/** IAM's encoding of documents in answers: RFC 3986 percent-encoding (`*` becomes `%2A`). */
export function iamUrlEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function checkDocument(text: string | undefined): string {
  if (!text)
    throw new AwsError("ValidationError", "1 validation error detected: policyDocument must not be null");
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && "Statement" in parsed) return text;
  } catch {
    // reported below
  }
  throw new AwsError("MalformedPolicyDocument", "Syntax errors in policy.");
}

function policyXml(p: LocalPolicy): string {
  const tags = p.tags.size
    ? raw("Tags", [...p.tags].map(([k, v]) => raw("member", el("Key", k) + el("Value", v))).join(""))
    : "";
  return raw(
    "Policy",
    el("PolicyName", p.name) +
      el("DefaultVersionId", p.defaultVersionId) +
      el("PolicyId", p.id) +
      el("Path", p.path) +
      el("Arn", p.arn) +
      el("AttachmentCount", p.attachmentCount) +
      el("PermissionsBoundaryUsageCount", p.permissionsBoundaryUsageCount) +
      el("IsAttachable", true) +
      el("CreateDate", p.created) +
      el("UpdateDate", p.updated) +
      tags,
  );
}

function versionXml(p: LocalPolicy, v: LocalPolicyVersion, withDocument: boolean): string {
  return (
    (withDocument ? el("Document", iamUrlEncode(v.document)) : "") +
    el("VersionId", v.versionId) +
    el("IsDefaultVersion", v.versionId === p.defaultVersionId) +
    el("CreateDate", v.created)
  );
}

function tagsFrom(params: Params): [string, string][] {
  return members(params, "Tags.member").map((t) => [t.Key ?? "", t.Value ?? ""]);
}

export class IamPoliciesDouble implements ServiceDouble {
  readonly signingName = "iam";
  readonly policies = new Map<string, LocalPolicy>();

  accepts(request: DoubleRequest): boolean {
    return ACTIONS.has(parseForm(request.body.toString("utf8")).Action ?? "");
  }

  /** The policy with this ARN, for tests to inspect or to seed usage counts. */
  policy(arn: string): LocalPolicy | undefined {
    return this.policies.get(arn);
  }

  handle(request: DoubleRequest): DoubleResponse {
    const params = parseForm(request.body.toString("utf8"));
    const action = params.Action ?? "";
    const { Action: _a, Version: _v, PolicyDocument: document, ...logged } = params;
    // The document is logged by size only: tests assert on calls, not on text.
    const log =
      document === undefined ? logged : { ...logged, PolicyDocumentLength: String(document.length) };
    try {
      const result = this.dispatch(action, params);
      const metadata = raw("ResponseMetadata", el("RequestId", request.requestId));
      const body = `<${action}Response xmlns="${IAM_NAMESPACE}">${result === undefined ? "" : raw(`${action}Result`, result)}${metadata}</${action}Response>`;
      return { action, status: 200, body, headers: { "content-type": "text/xml" }, params: log };
    } catch (error) {
      const aws = error instanceof AwsError ? error : new AwsError("ServiceFailure", String(error), 500);
      const type = aws.status >= 500 ? "Receiver" : "Sender";
      const detail = el("Type", type) + el("Code", aws.code) + el("Message", aws.message);
      const body = `<ErrorResponse xmlns="${IAM_NAMESPACE}"><Error>${detail}</Error>${el("RequestId", request.requestId)}</ErrorResponse>`;
      return { action, status: aws.status, body, headers: { "content-type": "text/xml" }, params: log };
    }
  }

  private find(params: Params): LocalPolicy {
    const arn = params.PolicyArn ?? "";
    const policy = this.policies.get(arn);
    if (!policy)
      throw new AwsError("NoSuchEntity", `Policy ${arn} does not exist or is not attachable.`, 404);
    return policy;
  }

  private version(policy: LocalPolicy, versionId: string | undefined): LocalPolicyVersion {
    const version = policy.versions.find((v) => v.versionId === versionId);
    if (!version)
      throw new AwsError(
        "NoSuchEntity",
        `Policy ${policy.arn} version ${versionId ?? ""} does not exist or is not attachable.`,
        404,
      );
    return version;
  }

  private dispatch(action: string, params: Params): string | undefined {
    switch (action) {
      case "CreatePolicy": {
        const name = params.PolicyName ?? "";
        if (!POLICY_NAME.test(name))
          throw new AwsError(
            "ValidationError",
            `1 validation error detected: Value '${name}' at 'policyName' failed to satisfy constraint`,
          );
        const path = params.Path ?? "/";
        if (!PATH.test(path))
          throw new AwsError("ValidationError", "The specified value for path is invalid.");
        const arn = `arn:aws:iam::${IAM_ACCOUNT}:policy${path}${name}`;
        if (this.policies.has(arn))
          throw new AwsError(
            "EntityAlreadyExists",
            `A policy called ${name} already exists. Duplicate names are not allowed.`,
            409,
          );
        const created = now();
        const policy: LocalPolicy = {
          name,
          path,
          arn,
          id: policyId(),
          defaultVersionId: "v1",
          versions: [{ versionId: "v1", document: checkDocument(params.PolicyDocument), created }],
          nextVersion: 2,
          attachmentCount: 0,
          permissionsBoundaryUsageCount: 0,
          tags: new Map(tagsFrom(params)),
          created,
          updated: created,
        };
        this.policies.set(arn, policy);
        return policyXml(policy);
      }
      case "GetPolicy":
        return policyXml(this.find(params));
      case "ListPolicies": {
        // Only customer managed policies live here: `Scope=AWS` lists none of them.
        const scope = params.Scope ?? "All";
        if (!["All", "AWS", "Local"].includes(scope))
          throw new AwsError("ValidationError", `1 validation error detected: Value '${scope}' at 'scope'`);
        const all =
          scope === "AWS" ? [] : [...this.policies.values()].sort((a, b) => a.arn.localeCompare(b.arn));
        const page = iamPage(all, params);
        // Like IAM, the listing leaves tags out.
        const list = page.items.map((p) =>
          raw("member", policyXml({ ...p, tags: new Map() }).replace(/^<Policy>|<\/Policy>$/g, "")),
        );
        return raw("Policies", list.join("")) + page.tail;
      }
      case "CreatePolicyVersion": {
        const policy = this.find(params);
        const document = checkDocument(params.PolicyDocument);
        if (policy.versions.length >= MAX_VERSIONS)
          throw new AwsError(
            "LimitExceeded",
            `A managed policy can have up to ${MAX_VERSIONS} versions. Before you create a new version, you must delete an existing version.`,
            409,
          );
        const version = { versionId: `v${policy.nextVersion++}`, document, created: now() };
        policy.versions.push(version);
        policy.updated = version.created;
        if (params.SetAsDefault === "true") policy.defaultVersionId = version.versionId;
        return raw("PolicyVersion", versionXml(policy, version, false));
      }
      case "GetPolicyVersion": {
        const policy = this.find(params);
        return raw("PolicyVersion", versionXml(policy, this.version(policy, params.VersionId), true));
      }
      case "ListPolicyVersions": {
        const policy = this.find(params);
        // Newest first, as IAM lists them; no documents in the list.
        const list = [...policy.versions].reverse();
        return (
          raw("Versions", list.map((v) => raw("member", versionXml(policy, v, false))).join("")) +
          el("IsTruncated", false)
        );
      }
      case "SetDefaultPolicyVersion": {
        const policy = this.find(params);
        policy.defaultVersionId = this.version(policy, params.VersionId).versionId;
        return undefined;
      }
      case "DeletePolicyVersion": {
        const policy = this.find(params);
        const version = this.version(policy, params.VersionId);
        if (version.versionId === policy.defaultVersionId)
          throw new AwsError("DeleteConflict", "Cannot delete the default version of a policy.", 409);
        policy.versions = policy.versions.filter((v) => v !== version);
        return undefined;
      }
      case "TagPolicy": {
        const policy = this.find(params);
        for (const [key, value] of tagsFrom(params)) policy.tags.set(key, value);
        return undefined;
      }
      case "ListPolicyTags": {
        const policy = this.find(params);
        const tags = [...policy.tags].map(([k, v]) => raw("member", el("Key", k) + el("Value", v))).join("");
        return raw("Tags", tags) + el("IsTruncated", false);
      }
      default:
        throw new AwsError("InvalidAction", `Could not find operation ${action} for version 2010-05-08`);
    }
  }
}

export function createIamPoliciesDouble(): ServiceDouble {
  return new IamPoliciesDouble();
}
