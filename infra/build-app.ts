import { Validations, type App, type Environment } from "aws-cdk-lib";
import { checks } from "../shared/checks/catalog";
import { remediations } from "../shared/remediations/catalog";
import { collectors } from "../shared/sweep/collectors";
import { readVigilContext } from "./context";
import { AwsSolutionsChecks } from "./nag";
import { addEventForwarders } from "./regional-events";
import { VigilStack } from "./vigil-stack";

export const STACK_ID = "VigilStack";

/**
 * Adds Vigil to `app`: validates the context (throws `ConfigError`), creates the stack (and the
 * forwarders of other Regions' events: infra/regional-events.ts) and runs cdk-nag's AWS Solutions pack
 * at synth.
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
  // A stack in each of forwarding.regions forwards their events to the home Region; outside us-east-1,
  // the one there (added if not listed) also forwards the global services' events (IAM, CloudFront, ...).
  addEventForwarders(app, stack, checks, config.forwarding.regions);
  // cdk-nag v3 is a validation plugin (not an aspect), for every stack: unacknowledged findings fail synth.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return stack;
}
