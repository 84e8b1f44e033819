import { randomBytes } from "node:crypto";
import type { DoubleRequest, DoubleResponse } from "./double";
import { IAM_ACCOUNT, IAM_NAMESPACE, IamDouble, iamPage } from "./iam";
import { AwsError, el, escapeXml, members, parseForm, raw, type Params } from "./query";

/**
 * IAM identities' policies in memory (signing name `iam`, query protocol, XML answers): users, roles and
 * groups, their inline policies (documents returned URL-encoded, as IAM does), attached managed policies,
 * role trust policies and user/role tags. Only what Vigil and its tests use, with IAM's error codes.
 *
 * Why it extends the users double (iam.ts): that double has no `accepts`, so it answers every IAM request
 * and a double registered after it is never reached; and `double<IamDouble>("iam")` returns the first IAM
 * double. Registered before it, this one serves its own actions plus the users double's (so what tests
 * seed through `double<IamDouble>("iam")` is what answers) and lets every other action through to the
 * doubles after it. Once iam.ts gets an `accepts` of its own, this can stop extending it.
 */

/** The actions this double adds. */
const GRANT_ACTIONS = new Set(
  [
    "CreateUser",
    "CreateGroup",
    "CreateRole",
    "GetRole",
    "UpdateAssumeRolePolicy",
    "TagUser",
    "TagRole",
    "ListUserTags",
    "ListRoleTags",
    // The sweep's listings, paginated with Marker / IsTruncated (see `iamPage`).
    "ListUsers",
    "ListRoles",
    "ListGroups",
  ].concat(
    ["User", "Role", "Group"].flatMap((noun) => [
      `Put${noun}Policy`,
      `Get${noun}Policy`,
      `Delete${noun}Policy`,
      `List${noun}Policies`,
      `Attach${noun}Policy`,
      `Detach${noun}Policy`,
      `ListAttached${noun}Policies`,
    ]),
  ),
);

/** What iam.ts's users double serves today (see the module comment). */
const USERS_DOUBLE_ACTIONS = new Set([
  "GetAccountPasswordPolicy",
  "UpdateAccountPasswordPolicy",
  "DeleteAccountPasswordPolicy",
  "ListMFADevices",
  "GetLoginProfile",
  "ListAccessKeys",
  "UpdateAccessKey",
  "GenerateCredentialReport",
  "GetCredentialReport",
  "GetAccountSummary",
]);

type Kind = "user" | "role" | "group";
const NOUNS: Record<Kind, "User" | "Role" | "Group"> = { user: "User", role: "Role", group: "Group" };
const NAME = /^[\w+=,.@-]{1,128}$/;
const ARN = /^arn:[^:]+:iam::[^:]+:policy\/.+/;

export interface LocalIdentity {
  kind: Kind;
  name: string;
  path: string;
  id: string;
  created: string;
  /** Inline policies: name -> the JSON text exactly as sent. */
  inline: Map<string, string>;
  /** Attached managed policies: ARN -> name. */
  attached: Map<string, string>;
  tags: Map<string, string>;
  /** Roles: the trust policy exactly as sent. */
  trust?: string;
}

/** IAM's encoding of documents in answers: RFC 3986 percent-encoding. */
function urlEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

function checkDocument(text: string | undefined, field: string): string {
  if (!text) throw new AwsError("ValidationError", `1 validation error detected: ${field} must not be null`);
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === "object" && "Statement" in parsed) return text;
  } catch {
    // reported below
  }
  throw new AwsError("MalformedPolicyDocument", "Syntax errors in policy.");
}

const uniqueId = (prefix: string) =>
  `${prefix}${[...randomBytes(17)].map((b) => "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[b % 32]).join("")}`;
const now = () => new Date().toISOString().replace(/\.\d+Z$/, "Z");
const memberList = (name: string, items: string[]) => raw(name, items.map((i) => raw("member", i)).join(""));

export class IamGrantsDouble extends IamDouble {
  readonly identities = new Map<string, LocalIdentity>();

  accepts(request: DoubleRequest): boolean {
    const action = parseForm(request.body.toString("utf8")).Action ?? "";
    return GRANT_ACTIONS.has(action) || USERS_DOUBLE_ACTIONS.has(action);
  }

  /** The user, role or group with this name, for tests to inspect. */
  identity(kind: Kind, name: string): LocalIdentity | undefined {
    return this.identities.get(`${kind}:${name}`);
  }

  override handle(request: DoubleRequest): DoubleResponse {
    const params = parseForm(request.body.toString("utf8"));
    const action = params.Action ?? "";
    if (!GRANT_ACTIONS.has(action)) return super.handle(request);
    const {
      Action: _a,
      Version: _v,
      PolicyDocument: document,
      AssumeRolePolicyDocument: trust,
      ...logged
    } = params;
    // Documents are logged by size only: tests assert on calls and on the double's state.
    const log = {
      ...logged,
      ...(document !== undefined ? { PolicyDocumentLength: String(document.length) } : {}),
      ...(trust !== undefined ? { AssumeRolePolicyDocumentLength: String(trust.length) } : {}),
    };
    try {
      const result = this.grants(action, params);
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

  private create(kind: Kind, params: Params): LocalIdentity {
    const noun = NOUNS[kind];
    const name = params[`${noun}Name`] ?? "";
    if (!NAME.test(name))
      throw new AwsError(
        "ValidationError",
        `1 validation error detected: Value '${name}' at '${kind}Name' failed to satisfy constraint`,
      );
    if (this.identities.has(`${kind}:${name}`))
      throw new AwsError("EntityAlreadyExists", `${noun} with name ${name} already exists.`, 409);
    const identity: LocalIdentity = {
      kind,
      name,
      path: params.Path ?? "/",
      id: uniqueId(kind === "user" ? "AIDA" : kind === "role" ? "AROA" : "AGPA"),
      created: now(),
      inline: new Map(),
      attached: new Map(),
      tags: new Map(members(params, "Tags.member").map((t) => [t.Key ?? "", t.Value ?? ""])),
    };
    this.identities.set(`${kind}:${name}`, identity);
    // Users also exist for the users double's calls (access keys, MFA devices, the credential report).
    if (kind === "user") this.addUser({ name, created: identity.created });
    return identity;
  }

  private find(kind: Kind, params: Params): LocalIdentity {
    const noun = NOUNS[kind];
    const name = params[`${noun}Name`] ?? "";
    // A user seeded through the users double (`addUser`) has no policies yet, but exists.
    if (kind === "user" && !this.identities.has(`user:${name}`)) {
      const seeded = this.listed("user").find((u) => u.name === name);
      if (seeded) this.identities.set(`user:${name}`, seeded);
    }
    const identity = this.identities.get(`${kind}:${name}`);
    if (!identity) throw new AwsError("NoSuchEntity", `The ${kind} with name ${name} cannot be found.`, 404);
    return identity;
  }

  private arnOf(identity: LocalIdentity): string {
    return `arn:aws:iam::${IAM_ACCOUNT}:${identity.kind}${identity.path}${identity.name}`;
  }

  private identityXml(identity: LocalIdentity): string {
    return raw(NOUNS[identity.kind], this.identityFields(identity));
  }

  /** Every identity of a kind, by name; users seeded only through the users double (`addUser`) too. */
  private listed(kind: Kind): LocalIdentity[] {
    const known = [...this.identities.values()].filter((i) => i.kind === kind);
    const seeded: LocalIdentity[] =
      kind === "user"
        ? [...this.users.values()]
            .filter((u) => !this.identities.has(`user:${u.name}`))
            .map((u) => ({
              kind,
              name: u.name,
              path: "/",
              id: `AIDA${u.name.toUpperCase().replace(/[^A-Z0-9]/g, "")}`,
              created: u.created,
              inline: new Map(),
              attached: new Map(),
              tags: new Map(),
            }))
        : [];
    return [...known, ...seeded].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  private identityFields(identity: LocalIdentity): string {
    const noun = NOUNS[identity.kind];
    return (
      el("Path", identity.path) +
      el(`${noun}Name`, identity.name) +
      el(`${noun}Id`, identity.id) +
      el("Arn", this.arnOf(identity)) +
      el("CreateDate", identity.created) +
      (identity.trust !== undefined ? el("AssumeRolePolicyDocument", urlEncode(identity.trust)) : "")
    );
  }

  /** The XML inside `<ActionResult>`, or undefined for actions that answer only metadata. */
  private grants(action: string, params: Params): string | undefined {
    switch (action) {
      case "CreateUser":
        return this.identityXml(this.create("user", params));
      case "CreateGroup":
        return this.identityXml(this.create("group", params));
      case "CreateRole": {
        const trust = checkDocument(params.AssumeRolePolicyDocument, "assumeRolePolicyDocument");
        const role = this.create("role", params);
        role.trust = trust;
        return this.identityXml(role);
      }
      case "ListUsers":
      case "ListRoles":
      case "ListGroups": {
        // Like IAM, the listings leave tags (and roles' last use and boundary) out.
        const kind = action === "ListUsers" ? "user" : action === "ListRoles" ? "role" : "group";
        const page = iamPage(this.listed(kind), params);
        const list = page.items.map((i) => this.identityFields(i));
        return memberList(`${NOUNS[kind]}s`, list) + page.tail;
      }
      case "GetRole":
        return this.identityXml(this.find("role", params));
      case "UpdateAssumeRolePolicy":
        this.find("role", params).trust = checkDocument(params.PolicyDocument, "policyDocument");
        return undefined;
      case "TagUser":
      case "TagRole": {
        const identity = this.find(action === "TagUser" ? "user" : "role", params);
        for (const t of members(params, "Tags.member")) identity.tags.set(t.Key ?? "", t.Value ?? "");
        return undefined;
      }
      case "ListUserTags":
      case "ListRoleTags": {
        const identity = this.find(action === "ListUserTags" ? "user" : "role", params);
        const tags = [...identity.tags].map(([k, v]) => el("Key", k) + el("Value", v));
        return memberList("Tags", tags) + el("IsTruncated", false);
      }
      default:
        return this.policyCall(action, params);
    }
  }

  private policyCall(action: string, params: Params): string | undefined {
    const match = /^(Put|Get|Delete|List|Attach|Detach|ListAttached)(User|Role|Group)Polic(y|ies)$/.exec(
      action,
    );
    const verb = match?.[1];
    const kind = (match?.[2]?.toLowerCase() ?? "") as Kind;
    if (!verb || !NOUNS[kind]) throw new AwsError("InvalidAction", `Could not find operation ${action}`);
    const identity = this.find(kind, params);
    const noun = NOUNS[kind];
    const policyName = params.PolicyName ?? "";
    const policyArn = params.PolicyArn ?? "";
    switch (verb) {
      case "Put":
        if (!NAME.test(policyName))
          throw new AwsError(
            "ValidationError",
            `1 validation error detected: Value '${policyName}' at 'policyName'`,
          );
        identity.inline.set(policyName, checkDocument(params.PolicyDocument, "policyDocument"));
        return undefined;
      case "Get": {
        const document = identity.inline.get(policyName);
        if (document === undefined)
          throw new AwsError(
            "NoSuchEntity",
            `The ${kind} policy with name ${policyName} cannot be found.`,
            404,
          );
        return (
          el(`${noun}Name`, identity.name) +
          el("PolicyName", policyName) +
          el("PolicyDocument", urlEncode(document))
        );
      }
      case "Delete":
        if (!identity.inline.delete(policyName))
          throw new AwsError(
            "NoSuchEntity",
            `The ${kind} policy with name ${policyName} cannot be found.`,
            404,
          );
        return undefined;
      case "List":
        return (
          memberList("PolicyNames", [...identity.inline.keys()].map(escapeXml)) + el("IsTruncated", false)
        );
      case "Attach":
        if (!ARN.test(policyArn)) throw new AwsError("InvalidInput", `ARN ${policyArn} is not valid.`);
        // Any AWS managed ARN counts as existing; customer managed ones live in the policies double.
        identity.attached.set(policyArn, policyArn.split("/").pop() ?? policyArn);
        return undefined;
      case "Detach":
        if (!identity.attached.delete(policyArn))
          throw new AwsError("NoSuchEntity", `Policy ${policyArn} was not found.`, 404);
        return undefined;
      default: {
        const attached = [...identity.attached].map(
          ([arn, name]) => el("PolicyName", name) + el("PolicyArn", arn),
        );
        return memberList("AttachedPolicies", attached) + el("IsTruncated", false);
      }
    }
  }
}

export function createIamGrantsDouble(): IamGrantsDouble {
  return new IamGrantsDouble();
}
