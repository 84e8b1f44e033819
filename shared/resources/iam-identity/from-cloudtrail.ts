import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError } from "../adapter";
import { BUILT_IN_ADMIN_POLICIES, adminPatternFor, inlineDocumentReported } from "./judge";
import { IDENTITY, policyCalls, type IdentityKind } from "./kinds";
import type { IdentityGrants } from "./state";

/** What one IAM call says about an identity's policies. */
export interface GrantsChange {
  name: string;
  /** The identity itself was deleted: all its findings resolve. */
  deleted: boolean;
  grants: IdentityGrants;
  /**
   * The call alone shows no violation: the rest of the identity's policies are read live (refresh) so
   * that a clean result may resolve what is open. A call that already shows one opens at once.
   */
  needsRefresh: boolean;
}

const name = z.string().min(1);

function parse<T extends z.ZodType>(schema: T, detail: CloudTrailDetail): z.infer<T> {
  const result = schema.safeParse(detail.requestParameters ?? {});
  if (!result.success)
    throw new UnusableEventError(
      `${detail.eventName} requestParameters: ${z.prettifyError(result.error).replace(/\n/g, "; ")}`,
    );
  return result.data;
}

/**
 * The policy call for this kind of identity, or undefined when the call is not one of them (the
 * adapter then tries its other readers). Bad shapes throw UnusableEventError.
 *
 * - `Put*Policy`: the request holds the whole document (JSON text, not URL-encoded). One inline policy
 *   known, the others not (`complete: false`).
 * - `Delete*Policy` / `Detach*Policy`: that policy is gone; the rest is read live before anything resolves.
 * - `Attach*Policy`: that policy is attached. AWS's AdministratorAccess is admin by definition; any other
 *   policy (customer managed: its document; AWS managed: the configured list) is judged after the refresh.
 * - `Delete{User,Role,Group}`: the identity is gone.
 */
export function grantsChangeOf(
  kind: IdentityKind,
  detail: CloudTrailDetail,
  account: string,
): GrantsChange | undefined {
  const field = IDENTITY[kind].nameField;
  const calls = policyCalls(kind);
  switch (detail.eventName) {
    case calls.put: {
      const request = parse(
        z.looseObject({ [field]: name, policyName: name, policyDocument: z.string().min(1) }),
        detail,
      );
      const document = request.policyDocument as string;
      const known = inlineDocumentReported(document, account);
      return {
        name: request[field] as string,
        deleted: false,
        grants: {
          inline: {
            complete: false,
            policies: [{ name: request.policyName as string, document, source: detail.eventName }],
          },
        },
        needsRefresh: !known,
      };
    }
    case calls.delete: {
      const request = parse(z.looseObject({ [field]: name, policyName: name }), detail);
      return {
        name: request[field] as string,
        deleted: false,
        grants: { inline: { complete: false, policies: [], removed: [request.policyName as string] } },
        needsRefresh: true,
      };
    }
    case calls.attach:
    case calls.detach: {
      const request = parse(
        z.looseObject({ [field]: name, policyArn: z.string().regex(/^arn:[^:]+:iam::[^:]+:policy\/.+/) }),
        detail,
      );
      const arn = request.policyArn as string;
      const attach = detail.eventName === calls.attach;
      return {
        name: request[field] as string,
        deleted: false,
        grants: {
          attached: attach
            ? {
                complete: false,
                policies: [{ arn, name: arn.split("/").pop() ?? arn, source: detail.eventName }],
              }
            : { complete: false, policies: [], removed: [arn] },
        },
        needsRefresh: !attach || adminPatternFor(arn, BUILT_IN_ADMIN_POLICIES) === undefined,
      };
    }
    case calls.deleteIdentity: {
      const request = parse(z.looseObject({ [field]: name }), detail);
      return { name: request[field] as string, deleted: true, grants: {}, needsRefresh: false };
    }
    default:
      return undefined;
  }
}
