import { Validations, type App, type Environment } from "aws-cdk-lib";
import { checks } from "../shared/checks/catalog";
import { remediations } from "../shared/remediations/catalog";
import { readVigilContext } from "./context";
import { AwsSolutionsChecks } from "./nag";
import { VigilStack } from "./vigil-stack";

export const STACK_ID = "VigilStack";

/**
 * Adds Vigil to `app`: validates the context (throws `ConfigError`), creates the stack and runs
 * cdk-nag's AWS Solutions pack at synth. Shared by `app.ts` and the tests.
 */
export function buildVigilApp(app: App, env?: Environment): VigilStack {
  const { config, alertEmail } = readVigilContext(app.node);
  const stack = new VigilStack(app, STACK_ID, {
    env,
    description: "Vigil: real-time compliance monitor (EventBridge -> Lambda -> DynamoDB/SNS)",
    config,
    alertEmail,
    checks,
    remediations,
  });
  // cdk-nag v3 is a validation plugin (not an aspect): unacknowledged findings fail synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stack;
}
