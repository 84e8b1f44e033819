// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "cdk.out/", ".vigil/", "coverage/", "test/bench/results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Lambda cold starts: these SDK packages load on first use, through shared/aws/sdk.ts (dynamic
    // imports of small re-exporting modules that become their own chunks). Types are free.
    files: ["functions/**/*.ts", "shared/**/*.ts"],
    ignores: ["shared/aws/*-api.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          paths: [
            "@aws-sdk/client-ec2",
            "@aws-sdk/client-config-service",
            "@aws-sdk/client-sns",
            "@aws-sdk/client-secrets-manager",
            "@aws-sdk/client-ecr",
            "@aws-sdk/client-ecs",
            "@aws-sdk/client-lambda",
            "@aws-sdk/client-inspector2",
            "@aws-sdk/client-kms",
            "@aws-sdk/client-cloudtrail",
            "@aws-sdk/client-guardduty",
            "@aws-sdk/client-iam",
            "@aws-sdk/client-eks",
            "@aws-sdk/client-s3",
            "@aws-sdk/client-s3-control",
            "@aws-sdk/client-rds",
            "@aws-sdk/client-sqs",
            "@aws-sdk/client-efs",
            "@aws-sdk/client-elastic-load-balancing-v2",
            "@aws-sdk/client-cloudfront",
            "@aws-sdk/client-securityhub",
            "@aws-sdk/client-cloudwatch-logs",
            "@aws-sdk/client-sts",
            "@aws-sdk/client-organizations",
            "@aws-sdk/credential-providers",
          ].map((name) => ({
            name,
            allowTypeImports: true,
            message: "Load it on first use with shared/aws/sdk.ts (import type is fine).",
          })),
          patterns: [
            {
              regex:
                "(^|/)(ec2|config-service|sns|secrets-manager|credentials|dynamodb|ecr|ecs|lambda|inspector2|kms|cloudtrail|guardduty|iam|eks|s3|s3-control|rds|sqs|efs|elbv2|cloudfront|securityhub|logs|sts|organizations)-api$",
              message: "Only shared/aws/sdk.ts imports these, dynamically.",
            },
          ],
        },
      ],
    },
  },
);
