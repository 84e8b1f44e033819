import { Validations, type App, type Environment } from "aws-cdk-lib";
import { checks } from "../shared/checks/catalog";
import { remediations } from "../shared/remediations/catalog";
import { collectors } from "../shared/sweep/collectors";
import { readVigilContext } from "./context";
import { addGlobalEventForwarder } from "./global-events";
import { AwsSolutionsChecks } from "./nag";
import { VigilStack } from "./vigil-stack";

export const STACK_ID = "VigilStack";

/**
 * Adds Vigil to `app`: validates the context (throws `ConfigError`), creates the stack (and, outside
 * us-east-1, the forwarder of global services' events) and runs cdk-nag's AWS Solutions pack at synth.
 * Shared by `app.ts` and the tests.
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
    collectors,
  });
  // Outside us-east-1, a second stack there forwards the global services' events (IAM, CloudFront, ...).
  addGlobalEventForwarder(app, stack, checks);
  // cdk-nag v3 is a validation plugin (not an aspect), for every stack: unacknowledged findings fail synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stack;
}
