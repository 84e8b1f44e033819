import { App } from "aws-cdk-lib";
import { ConfigError } from "../shared/config/load";
import { buildVigilApp } from "./build-app";
import { deploymentEnvironment } from "./deploy-env";

// One stack per account and region (plus, outside us-east-1, a forwarder there for global services'
// events); without CDK_DEFAULT_* (no credentials) the stack is environment-agnostic, enough to synth.
const app = new App();
try {
  buildVigilApp(app, deploymentEnvironment(app.node, process.env));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  // A configuration mistake is the user's to fix: the message, not a stack trace.
  console.error(error.message);
  process.exit(1);
}
app.synth();
