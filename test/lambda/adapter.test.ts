import { GetFunctionConfigurationCommand, LambdaClient, ListTagsCommand } from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { cloudTrailDetailSchema } from "../../shared/events/cloudtrail";
import { configItemSchema } from "../../shared/events/config-item";
import { UnusableEventError, type ReadClients } from "../../shared/resources/adapter";
import adapter from "../../shared/resources/lambda-function/adapter";
import { functionTarget } from "../../shared/resources/lambda-function/ref";
import { ACCOUNT, FUNCTION, FUNCTION_ARN, LEAKY_ENV, SECRET_VALUES, awsError, lambdaEvent } from "./support";

const detailOf = (name: string, change: (detail: Record<string, unknown>) => void = () => {}) => {
  const event = lambdaEvent(name);
  change(event.detail);
  return cloudTrailDetailSchema.parse(event.detail);
};
const itemOf = (name: string) =>
  configItemSchema.parse((lambdaEvent(name).detail as { configurationItem: unknown }).configurationItem);

const lambdaClient = new LambdaClient({ region: "us-east-1" });
const lambda = mockClient(lambdaClient);
const clients = { lambda: () => lambdaClient } as unknown as ReadClients;
afterEach(() => lambda.reset());

const RESOURCE = {
  type: "AWS::Lambda::Function",
  id: FUNCTION,
  arn: FUNCTION_ARN,
  account: ACCOUNT,
  region: "us-east-1",
  name: FUNCTION,
};

describe("functionTarget", () => {
  it.each([
    [FUNCTION, undefined],
    [FUNCTION_ARN, undefined],
    [`${FUNCTION_ARN}:$LATEST`, "$LATEST"],
    [`${FUNCTION_ARN}:live`, "live"],
    [`${FUNCTION}:7`, "7"],
    [`${ACCOUNT}:function:${FUNCTION}`, undefined],
  ])("%s is the function orders-api (qualifier %s)", (named, qualifier) => {
    expect(functionTarget(named, ACCOUNT, "us-east-1")).toEqual({
      functionName: FUNCTION,
      account: ACCOUNT,
      region: "us-east-1",
      functionArn: FUNCTION_ARN,
      ...(qualifier ? { qualifier } : {}),
    });
  });

  it("takes account, region and partition from the ARN, and the partition from the region otherwise", () => {
    expect(
      functionTarget("arn:aws-cn:lambda:cn-north-1:222233334444:function:f", ACCOUNT, "us-east-1"),
    ).toEqual({
      functionName: "f",
      account: "222233334444",
      region: "cn-north-1",
      functionArn: "arn:aws-cn:lambda:cn-north-1:222233334444:function:f",
    });
    expect(functionTarget("f", ACCOUNT, "us-gov-west-1")?.functionArn).toBe(
      `arn:aws-us-gov:lambda:us-gov-west-1:${ACCOUNT}:function:f`,
    );
  });

  it.each(["", "arn:aws:s3:::bucket", "has space", "a/b"])("%j is not a function", (named) => {
    expect(functionTarget(named, ACCOUNT, "us-east-1")).toBeUndefined();
  });
});

describe("Lambda function adapter: CloudTrail", () => {
  it.each(["create-function", "update-function-configuration"])(
    "%s only points at the function: nothing known yet, live read required",
    (name) => {
      expect(adapter.fromCloudTrail(detailOf(name), ACCOUNT)).toEqual([
        {
          resource: RESOURCE,
          state: { functionName: FUNCTION, functionArn: FUNCTION_ARN },
          complete: false,
          observedAt: name === "create-function" ? "2025-03-20T08:14:03Z" : "2025-03-21T10:02:47Z",
          tagsKnown: false,
          needsRefresh: true,
        },
      ]);
    },
  );

  it("variables CloudTrail hides (or, if ever logged, shows) are never taken from the event", () => {
    const hidden = detailOf("update-function-configuration", (d) => {
      d.requestParameters = {
        functionName: FUNCTION,
        environment: { variables: "HIDDEN_DUE_TO_SECURITY_REASONS" },
      };
      d.responseElements = null;
    });
    const shown = detailOf("update-function-configuration", (d) => {
      d.requestParameters = { functionName: FUNCTION_ARN, environment: { variables: LEAKY_ENV } };
    });
    for (const detail of [hidden, shown]) {
      const [observation] = adapter.fromCloudTrail(detail, ACCOUNT);
      expect(observation?.state).toEqual({ functionName: FUNCTION, functionArn: FUNCTION_ARN });
      expect(observation?.needsRefresh).toBe(true);
      for (const secret of SECRET_VALUES) expect(JSON.stringify(observation)).not.toContain(secret);
    }
  });

  it("DeleteFunction: the function is gone (a whole view: findings resolve)", () => {
    expect(adapter.fromCloudTrail(detailOf("delete-function"), ACCOUNT)).toEqual([
      {
        resource: RESOURCE,
        state: undefined,
        complete: true,
        observedAt: "2025-03-25T16:40:12Z",
        tagsKnown: true,
      },
    ]);
  });

  it("DeleteFunction of one version leaves the function: nothing to observe", () => {
    expect(adapter.fromCloudTrail(detailOf("delete-function-version"), ACCOUNT)).toEqual([]);
  });

  it.each([`${FUNCTION}:7`, `${FUNCTION_ARN}:7`])(
    "DeleteFunction of %s (the version in the name, no qualifier parameter) leaves the function too",
    (functionName) => {
      const detail = detailOf("delete-function", (d) => {
        d.requestParameters = { functionName };
      });
      expect(adapter.fromCloudTrail(detail, ACCOUNT)).toEqual([]);
    },
  );

  it("an event without a function name is unusable", () => {
    expect(() =>
      adapter.fromCloudTrail(detailOf("update-function-configuration-no-function-name"), ACCOUNT),
    ).toThrow(UnusableEventError);
    const notAFunction = detailOf("update-function-configuration", (d) => {
      d.requestParameters = { functionName: "arn:aws:s3:::orders" };
      d.responseElements = null;
    });
    expect(() => adapter.fromCloudTrail(notAFunction, ACCOUNT)).toThrow(
      /is not a Lambda function name or ARN/,
    );
  });
});

describe("Lambda function adapter: Config", () => {
  it("a Config item carries no environment: it points at the function (with its tags) for a live read", () => {
    expect(adapter.fromConfigItem(itemOf("config-item-function"))).toEqual({
      resource: RESOURCE,
      state: { functionName: FUNCTION, functionArn: FUNCTION_ARN, tags: { team: "orders" } },
      complete: false,
      observedAt: "2025-03-21T10:09:54.208Z",
      tagsKnown: true,
      needsRefresh: true,
    });
  });

  it("a deleted item: the function is gone", () => {
    const item = {
      ...itemOf("config-item-function"),
      configurationItemStatus: "ResourceDeleted",
      configuration: null,
    };
    expect(adapter.fromConfigItem(item)).toMatchObject({ state: undefined, complete: true });
  });
});

describe("Lambda function adapter: live read", () => {
  const pointer = () => adapter.fromCloudTrail(detailOf("create-function"), ACCOUNT)[0]!;

  it("reads $LATEST by ARN; keeps names and value facts, drops the values; a whole view", async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({
      FunctionName: FUNCTION,
      FunctionArn: FUNCTION_ARN,
      Environment: { Variables: LEAKY_ENV },
    });
    const live = await adapter.refresh!(pointer(), clients);
    expect(lambda.commandCalls(GetFunctionConfigurationCommand).map((c) => c.args[0].input)).toEqual([
      { FunctionName: FUNCTION_ARN },
    ]);
    expect(live).toMatchObject({ complete: true, needsRefresh: false, tagsKnown: false });
    expect(live.state?.environment?.map((v) => v.name)).toEqual(Object.keys(LEAKY_ENV));
    expect(live.state?.environment?.find((v) => v.name === "DB_PASSWORD")?.value).toEqual({
      length: LEAKY_ENV.DB_PASSWORD?.length,
      harmless: false,
      random: false,
    });
    for (const secret of SECRET_VALUES) expect(JSON.stringify(live)).not.toContain(secret);
  });

  it("a function without environment has no variables", async () => {
    lambda
      .on(GetFunctionConfigurationCommand)
      .resolves({ FunctionName: FUNCTION, FunctionArn: FUNCTION_ARN });
    const live = await adapter.refresh!(pointer(), clients);
    expect(live.state?.environment).toEqual([]);
    expect(live.complete).toBe(true);
  });

  it("deleted meanwhile (ResourceNotFoundException): gone, a whole view", async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(awsError("ResourceNotFoundException"));
    expect(await adapter.refresh!(pointer(), clients)).toMatchObject({ state: undefined, complete: true });
  });

  it("variables Lambda could not decrypt are not known: nothing can be said, nothing closes", async () => {
    lambda.on(GetFunctionConfigurationCommand).resolves({
      FunctionName: FUNCTION,
      KMSKeyArn: "arn:aws:kms:us-east-1:111122223333:key/5c1e7a2b-9d4f-4e3a-8b6c-0f2d4a6b8c1e",
      Environment: {
        Error: { ErrorCode: "KMSAccessDeniedException", Message: "Lambda was unable to decrypt" },
      },
    });
    const live = await adapter.refresh!(pointer(), clients);
    expect(live.complete).toBe(false);
    expect(live.state).toMatchObject({ environmentError: "KMSAccessDeniedException" });
    expect(live.state?.environment).toBeUndefined();

    lambda.reset();
    lambda.on(GetFunctionConfigurationCommand).rejects(awsError("KMSDisabledException"));
    expect(await adapter.refresh!(pointer(), clients)).toMatchObject({
      complete: false,
      state: { environmentError: "KMSDisabledException" },
    });
  });

  it("other errors fail the event (it is retried)", async () => {
    lambda.on(GetFunctionConfigurationCommand).rejects(awsError("ThrottlingException"));
    await expect(adapter.refresh!(pointer(), clients)).rejects.toThrow(/ThrottlingException/);
  });

  it("tags a Config item carried stay known after the live read", async () => {
    lambda
      .on(GetFunctionConfigurationCommand)
      .resolves({ FunctionName: FUNCTION, Environment: { Variables: {} } });
    const live = await adapter.refresh!(adapter.fromConfigItem(itemOf("config-item-function")), clients);
    expect(live).toMatchObject({ tagsKnown: true, complete: true, state: { tags: { team: "orders" } } });
  });

  it("readTags: ListTags by function ARN; a deleted function has none", async () => {
    lambda
      .on(ListTagsCommand)
      .resolves({ Tags: { team: "orders", "vigil:exempt": "VIGIL.LAMBDA.ENV_SECRETS" } });
    expect(await adapter.readTags(pointer(), clients)).toEqual({
      team: "orders",
      "vigil:exempt": "VIGIL.LAMBDA.ENV_SECRETS",
    });
    expect(lambda.commandCalls(ListTagsCommand).map((c) => c.args[0].input)).toEqual([
      { Resource: FUNCTION_ARN },
    ]);
    lambda.reset();
    lambda.on(ListTagsCommand).rejects(awsError("ResourceNotFoundException"));
    expect(await adapter.readTags(pointer(), clients)).toEqual({});
  });
});
