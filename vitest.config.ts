import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // CDK synth and dynalite tests are heavy; two cores on CI.
    pool: "forks",
    env: {
      // Tests must never reach a real AWS account.
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      POWERTOOLS_LOG_LEVEL: "SILENT",
      // Local Node is 20; the Lambdas run the newest runtime. Keep test output readable.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
    },
  },
});
