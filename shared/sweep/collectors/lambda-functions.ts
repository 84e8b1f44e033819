import { loadLambda } from "../../aws/sdk";
import type { Observation } from "../../resources/adapter";
import { readFunction } from "../../resources/lambda-function/live";
import { functionRef, functionTarget, LAMBDA_FUNCTION_TYPE } from "../../resources/lambda-function/ref";
import { defineCollector, type CollectContext, type Collector } from "../collector";

/** ListFunctions takes up to 50 per page. */
const PAGE_SIZE = 50;

/**
 * Every function of the Region, its unqualified configuration read as the event path's refresh
 * reads it (`readFunction`: GetFunctionConfiguration, the variables' values judged there and
 * dropped; a KMS error leaves the view partial). ListFunctions' own copy of the variables is not
 * used, so no value passes through here. Tags are left to the pipeline (read only for a
 * violation), as on the event path. A function deleted meanwhile is skipped.
 */
export function lambdaFunctionsCollector(pageSize = PAGE_SIZE): Collector<"AWS::Lambda::Function"> {
  return defineCollector({
    resourceType: LAMBDA_FUNCTION_TYPE,
    scope: "regional",
    iamActions: ["lambda:ListFunctions", "lambda:GetFunctionConfiguration"],
    async *collect(ctx: CollectContext): AsyncIterable<Observation<"AWS::Lambda::Function">> {
      const [lambda, { paginateListFunctions }] = await Promise.all([ctx.clients.lambda(), loadLambda()]);
      const observedAt = ctx.now.toISOString();
      for await (const page of paginateListFunctions({ client: lambda }, { MaxItems: pageSize })) {
        for (const fn of page.Functions ?? []) {
          const target = functionTarget(fn.FunctionArn ?? fn.FunctionName ?? "", ctx.account, ctx.region);
          if (!target) continue;
          const read = await readFunction(lambda, target);
          if (!read.state) continue;
          yield {
            resource: functionRef(target),
            state: read.state,
            complete: read.complete,
            observedAt,
            tagsKnown: false,
          };
        }
      }
    },
  });
}

export default lambdaFunctionsCollector();
