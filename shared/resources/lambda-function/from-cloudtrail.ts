import { z } from "zod";
import type { CloudTrailDetail } from "../../events/cloudtrail";
import { UnusableEventError, type Observation } from "../adapter";
import { functionRef, functionTarget, type FunctionTarget } from "./ref";

type FunctionObservation = Observation<"AWS::Lambda::Function">;

export const LAMBDA_EVENT_SOURCE = "lambda.amazonaws.com";
/** Lambda's CloudTrail event names carry the API version. */
export const CREATE_FUNCTION = "CreateFunction20150331";
export const UPDATE_FUNCTION_CONFIGURATION = "UpdateFunctionConfiguration20150331v2";
export const DELETE_FUNCTION = "DeleteFunction20150331";

const callSchema = z.looseObject({
  requestParameters: z.looseObject({
    functionName: z.string().min(1),
    qualifier: z.string().nullable().optional(),
  }),
  responseElements: z
    .looseObject({ functionName: z.string().optional(), functionArn: z.string().optional() })
    .nullable()
    .optional(),
});

function targetOf(detail: CloudTrailDetail, account: string): { target: FunctionTarget; qualifier?: string } {
  const parsed = callSchema.safeParse(detail);
  if (!parsed.success)
    throw new UnusableEventError(
      `${detail.eventName}: ${z.prettifyError(parsed.error).replace(/\n/g, "; ")}`,
    );
  const { requestParameters: request, responseElements: response } = parsed.data;
  // The response names the function exactly; the request may use a name, an ARN or a partial ARN.
  const named = response?.functionArn ?? request.functionName;
  const target = functionTarget(named, account, detail.awsRegion);
  if (!target)
    throw new UnusableEventError(`${detail.eventName}: "${named}" is not a Lambda function name or ARN`);
  // A version or alias is named by the `qualifier` parameter or appended to the name (`orders-api:7`).
  const qualifier = request.qualifier ?? target.qualifier;
  return { target, ...(qualifier ? { qualifier } : {}) };
}

/**
 * `CreateFunction` and `UpdateFunctionConfiguration`: CloudTrail omits the environment's values
 * (`"environment": {}`), so the event only says which function to read; the live configuration is
 * read before any check runs. `DeleteFunction` without a qualifier deletes the function (its
 * findings resolve); with one it deletes a version, and `$LATEST` is untouched.
 */
export function fromFunctionCall(detail: CloudTrailDetail, account: string): FunctionObservation[] {
  const { target, qualifier } = targetOf(detail, account);
  const base = { resource: functionRef(target), observedAt: detail.eventTime };
  switch (detail.eventName) {
    case CREATE_FUNCTION:
    case UPDATE_FUNCTION_CONFIGURATION:
      return [
        {
          ...base,
          state: { functionName: target.functionName, functionArn: target.functionArn },
          complete: false,
          tagsKnown: false,
          needsRefresh: true,
        },
      ];
    case DELETE_FUNCTION:
      return qualifier ? [] : [{ ...base, state: undefined, complete: true, tagsKnown: true }];
    default:
      throw new UnusableEventError(`no Lambda function reader for ${detail.eventName}`);
  }
}
