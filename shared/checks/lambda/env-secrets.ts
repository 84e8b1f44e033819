import { judgeFacts, type SecretLeak } from "../../leaks/scan-env";
import { lambdaFunctionReadActions } from "../../resources/lambda-function/adapter";
import {
  CREATE_FUNCTION,
  DELETE_FUNCTION,
  LAMBDA_EVENT_SOURCE,
  UPDATE_FUNCTION_CONFIGURATION,
} from "../../resources/lambda-function/from-cloudtrail";
import { defineCheck } from "../define";

/** Evidence stays small: the first leaks in full (never values), then a count. */
const MAX_LEAKS = 20;

export default defineCheck({
  id: "VIGIL.LAMBDA.ENV_SECRETS",
  title: "Lambda functions should not hold secrets in plain-text environment variables",
  severity: "HIGH",
  resourceType: "AWS::Lambda::Function",
  controls: [],
  description:
    "Anyone allowed to read the function's configuration (lambda:GetFunctionConfiguration, the console) reads its environment in clear text. Rotate the exposed credentials, store them in Secrets Manager or SSM Parameter Store and read them at run time (e.g. the Parameters and Secrets Lambda extension).",
  triggers: {
    cloudTrail: [
      {
        eventSource: LAMBDA_EVENT_SOURCE,
        eventNames: [CREATE_FUNCTION, UPDATE_FUNCTION_CONFIGURATION, DELETE_FUNCTION],
      },
    ],
    // Config does not record environment variables (awslabs/aws-config-resource-schema#53): its
    // items would only trigger the same live read as the calls above.
    config: [],
  },
  iamActions: lambdaFunctionReadActions,
  evaluate(state, { config }) {
    if (!state.environment) return [];
    const options = { acceptedNames: config.containers.images.acceptedEnvNames };
    const leaks = state.environment
      .map((variable) => judgeFacts(variable.name, variable.value, "environment", options))
      .filter((leak): leak is SecretLeak => leak !== undefined);
    if (!leaks.length) return [];
    const names = leaks.map((leak) => leak.name ?? "");
    const shown = names.slice(0, 5).join(", ") + (names.length > 5 ? ", …" : "");
    return [
      {
        summary: `function ${state.functionName} has ${leaks.length} secret${leaks.length === 1 ? "" : "s"} in plain-text environment variables: ${shown}`,
        evidence: {
          functionName: state.functionName,
          variables: leaks
            .slice(0, MAX_LEAKS)
            .map(({ name, reason, valueLength }) => ({ name, reason, valueLength })),
          ...(leaks.length > MAX_LEAKS ? { moreVariables: leaks.length - MAX_LEAKS } : {}),
          ...(state.kmsKeyArn ? { kmsKeyArn: state.kmsKeyArn } : {}),
        },
      },
    ];
  },
});
