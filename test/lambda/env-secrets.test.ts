import { describe, expect, it } from "vitest";
import { checkById } from "../../shared/checks/catalog";
import envSecrets from "../../shared/checks/lambda/env-secrets";
import {
  CLEAN_ENV,
  DB_PASSWORD,
  LEAKY_ENV,
  SECRET_VALUES,
  STRIPE_KEY,
  context,
  functionState,
} from "./support";

const ctx = context();

describe("VIGIL.LAMBDA.ENV_SECRETS definition", () => {
  it("is registered: HIGH, no FSBP control, reads only, triggered by function calls, no remediation", () => {
    expect(checkById("VIGIL.LAMBDA.ENV_SECRETS")).toBe(envSecrets);
    expect(envSecrets).toMatchObject({
      severity: "HIGH",
      controls: [],
      resourceType: "AWS::Lambda::Function",
    });
    expect(envSecrets.remediation).toBeUndefined();
    expect(envSecrets.iamActions).toEqual(["lambda:GetFunctionConfiguration", "lambda:ListTags"]);
    expect(envSecrets.triggers).toEqual({
      cloudTrail: [
        {
          eventSource: "lambda.amazonaws.com",
          eventNames: [
            "CreateFunction20150331",
            "UpdateFunctionConfiguration20150331v2",
            "DeleteFunction20150331",
          ],
        },
      ],
      config: [],
    });
  });
});

describe("VIGIL.LAMBDA.ENV_SECRETS evaluate", () => {
  it("non-compliant: names each leaking variable with why and how long, never the value", () => {
    const violations = envSecrets.evaluate(functionState(LEAKY_ENV), ctx);
    expect(violations).toEqual([
      {
        summary:
          "function orders-api has 2 secrets in plain-text environment variables: DB_PASSWORD, PAYMENTS_UPSTREAM",
        evidence: {
          functionName: "orders-api",
          variables: [
            { name: "DB_PASSWORD", reason: "secret-like name with a value", valueLength: DB_PASSWORD.length },
            {
              name: "PAYMENTS_UPSTREAM",
              reason: "the value is a Stripe secret key",
              valueLength: STRIPE_KEY.length,
            },
          ],
        },
      },
    ]);
    const text = JSON.stringify(violations);
    for (const secret of SECRET_VALUES) expect(text).not.toContain(secret);
  });

  it("says which KMS key encrypts the variables at rest (it does not hide them from readers)", () => {
    const kmsKeyArn = "arn:aws:kms:us-east-1:111122223333:key/5c1e7a2b-9d4f-4e3a-8b6c-0f2d4a6b8c1e";
    const [violation] = envSecrets.evaluate(functionState(LEAKY_ENV, { kmsKeyArn }), ctx);
    expect(violation?.evidence.kmsKeyArn).toBe(kmsKeyArn);
  });

  it("compliant: references to Secrets Manager and SSM, paths and settings", () => {
    expect(envSecrets.evaluate(functionState(CLEAN_ENV), ctx)).toEqual([]);
    expect(envSecrets.evaluate(functionState({}), ctx)).toEqual([]);
  });

  it("not applicable: the environment is not known (not read yet, or Lambda could not decrypt it)", () => {
    expect(envSecrets.evaluate(functionState(undefined), ctx)).toEqual([]);
    expect(
      envSecrets.evaluate(functionState(undefined, { environmentError: "KMSAccessDeniedException" }), ctx),
    ).toEqual([]);
  });

  it("names accepted in config are not secret, unless their value is a credential", () => {
    const accepting = context({
      containers: { images: { acceptedEnvNames: ["DB_PASSWORD", "PAYMENTS_UPSTREAM"] } },
    });
    const [violation] = envSecrets.evaluate(functionState(LEAKY_ENV), accepting);
    expect(violation?.evidence.variables).toEqual([
      {
        name: "PAYMENTS_UPSTREAM",
        reason: "the value is a Stripe secret key",
        valueLength: STRIPE_KEY.length,
      },
    ]);
  });

  it("keeps the evidence small: 20 variables in full, then a count; the summary names 5", () => {
    const many = Object.fromEntries(
      Array.from({ length: 23 }, (_, i) => [`SERVICE_${i}_TOKEN`, `t0k-${i}-value`]),
    );
    const [violation] = envSecrets.evaluate(functionState(many), ctx);
    expect(violation?.evidence.variables).toHaveLength(20);
    expect(violation?.evidence.moreVariables).toBe(3);
    expect(violation?.summary).toBe(
      "function orders-api has 23 secrets in plain-text environment variables: SERVICE_0_TOKEN, SERVICE_1_TOKEN, SERVICE_2_TOKEN, SERVICE_3_TOKEN, SERVICE_4_TOKEN, …",
    );
  });

  it("is pure: the state is left unchanged", () => {
    const state = functionState(LEAKY_ENV);
    const before = structuredClone(state);
    envSecrets.evaluate(state, ctx);
    expect(state).toEqual(before);
  });
});
