import {
  GetFunctionConfigurationCommand,
  LambdaClient,
  ListFunctionsCommand,
  type ListFunctionsCommandInput,
  type ListFunctionsCommandOutput,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import adapter from "../../../shared/resources/lambda-function/adapter";
import defaultCollector, {
  lambdaFunctionsCollector,
} from "../../../shared/sweep/collectors/lambda-functions";
import {
  collectAll,
  collectContext,
  configItemOf,
  credentials,
  pagedAnswers,
  violated,
} from "./data-context";

const lambda = new LambdaClient({ region: "us-east-1", credentials });
const mock = mockClient(lambda);
afterEach(() => mock.reset());

const arn = (name: string) => `arn:aws:lambda:us-east-1:111122223333:function:${name}`;
/** A fixture value shaped like an AWS secret access key (not a real one). */
const LEAKED = "FAKEfixtureVALUEnotAREALsecret0000000000";

function configurations() {
  mock.on(GetFunctionConfigurationCommand, { FunctionName: arn("orders-api") }).resolves({
    FunctionName: "orders-api",
    FunctionArn: arn("orders-api"),
    Environment: { Variables: { AWS_REGION_NAME: "us-east-1", AWS_SECRET_ACCESS_KEY: LEAKED } },
  });
  mock.on(GetFunctionConfigurationCommand, { FunctionName: arn("clean") }).resolves({
    FunctionName: "clean",
    FunctionArn: arn("clean"),
    Environment: { Variables: { LOG_LEVEL: "info" } },
  });
  mock
    .on(GetFunctionConfigurationCommand, { FunctionName: arn("gone") })
    .rejects(Object.assign(new Error("Function not found"), { name: "ResourceNotFoundException" }));
}

describe("Lambda functions collector", () => {
  it("pages ListFunctions with Marker and reads each function's configuration once; one deleted meanwhile is skipped", async () => {
    const pages = pagedAnswers<ListFunctionsCommandInput, ListFunctionsCommandOutput>("Marker", {
      "": {
        Functions: [
          { FunctionName: "orders-api", FunctionArn: arn("orders-api") },
          { FunctionName: "gone", FunctionArn: arn("gone") },
        ],
        NextMarker: "m2",
      },
      m2: { Functions: [{ FunctionName: "clean", FunctionArn: arn("clean") }] },
    });
    mock.on(ListFunctionsCommand).callsFake(pages.answer);
    configurations();
    const found = await collectAll(lambdaFunctionsCollector(2), collectContext({ lambda }));

    expect(pages.seen).toEqual([{ MaxItems: 2 }, { MaxItems: 2, Marker: "m2" }]);
    expect(mock.commandCalls(GetFunctionConfigurationCommand).map((c) => c.args[0].input)).toEqual([
      { FunctionName: arn("orders-api") },
      { FunctionName: arn("gone") },
      { FunctionName: arn("clean") },
    ]);
    expect(found.map((o) => o.resource.id)).toEqual(["orders-api", "clean"]);
    for (const o of found) expect([o.complete, o.tagsKnown]).toEqual([true, false]);
    // Values are judged and dropped: never in an observation.
    expect(JSON.stringify(found)).not.toContain(LEAKED);
  });

  it("parity: a secret-looking variable violates as the Config item (then its refresh) does; a clean function passes", async () => {
    mock
      .on(ListFunctionsCommand)
      .resolves({ Functions: [{ FunctionArn: arn("orders-api") }, { FunctionArn: arn("clean") }] });
    configurations();
    const context = collectContext({ lambda });
    const [swept, clean] = await collectAll(defaultCollector, context);
    const item = adapter.fromConfigItem(configItemOf("lambda/config-item-function.json"));
    const first = Array.isArray(item) ? item[0] : item;
    if (!first || !adapter.refresh) throw new Error("no Config item observation");
    const event = await adapter.refresh(first, context.clients, { config: context.config });
    expect(violated(event)).toEqual(["VIGIL.LAMBDA.ENV_SECRETS"]);
    expect(violated(swept!)).toEqual(violated(event));
    expect(violated(clean!)).toEqual([]);
    expect(defaultCollector.iamActions).toEqual(["lambda:ListFunctions", "lambda:GetFunctionConfiguration"]);
  });
});
