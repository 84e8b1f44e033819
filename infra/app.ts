import { App } from "aws-cdk-lib";
import { ConfigError } from "../shared/config/load";
import { buildVigilApp } from "./build-app";

// One stack per account and region; without CDK_DEFAULT_* (no credentials) the stack is
// environment-agnostic, which is enough to synth.
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };

const app = new App();
try {
  buildVigilApp(app, env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  // A configuration mistake is the user's to fix: the message, not a stack trace.
  console.error(error.message);
  process.exit(1);
}
app.synth();
