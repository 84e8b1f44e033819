import {
  DescribeSecretCommand,
  ListSecretsCommand,
  SecretsManagerClient,
  type ListSecretsCommandInput,
  type ListSecretsCommandOutput,
} from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import adapter from "../../../shared/resources/secret/adapter";
import defaultCollector, { secretsCollector } from "../../../shared/sweep/collectors/secrets";
import {
  collectAll,
  collectContext,
  configItemOf,
  credentials,
  pagedAnswers,
  verdicts,
  violated,
} from "./data-context";

const client = new SecretsManagerClient({ region: "us-east-1", credentials });
const mock = mockClient(client);
afterEach(() => mock.reset());

const ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:orders/prod/db-credentials-Qm3Zt8";
const ROTATED = "arn:aws:secretsmanager:us-east-1:111122223333:secret:orders/prod/api-key-Zx81Qa";
const GONE = "arn:aws:secretsmanager:us-east-1:111122223333:secret:deleted-meanwhile-Ab12Cd";

/** DescribeSecret's metadata for the Config item's secret: rotation off, last read 2024-06-01. */
function describeAnswers() {
  mock.on(DescribeSecretCommand, { SecretId: ARN }).resolves({
    ARN,
    Name: "orders/prod/db-credentials",
    RotationEnabled: false,
    CreatedDate: new Date("2024-01-02T00:00:00Z"),
    LastAccessedDate: new Date("2024-06-01T00:00:00Z"),
    Tags: [{ Key: "team", Value: "orders" }],
    VersionIdsToStages: { "v-1": ["AWSCURRENT"] },
  });
  mock.on(DescribeSecretCommand, { SecretId: ROTATED }).resolves({
    ARN: ROTATED,
    Name: "orders/prod/api-key",
    RotationEnabled: true,
    RotationLambdaARN: "arn:aws:lambda:us-east-1:111122223333:function:rotate-api-key",
    RotationRules: { AutomaticallyAfterDays: 30 },
    CreatedDate: new Date("2025-01-02T00:00:00Z"),
    LastRotatedDate: new Date("2025-03-01T00:00:00Z"),
    LastAccessedDate: new Date("2025-03-13T00:00:00Z"),
    NextRotationDate: new Date("2025-03-31T00:00:00Z"),
    Tags: [],
    VersionIdsToStages: { "v-9": ["AWSCURRENT"] },
  });
  mock.on(DescribeSecretCommand, { SecretId: GONE }).rejects(
    Object.assign(new Error("Secrets Manager can't find the specified secret."), {
      name: "ResourceNotFoundException",
    }),
  );
}

describe("Secrets Manager secrets collector", () => {
  it("pages ListSecrets and reads each secret's metadata once (DescribeSecret); one deleted meanwhile is skipped", async () => {
    const pages = pagedAnswers<ListSecretsCommandInput, ListSecretsCommandOutput>("NextToken", {
      "": {
        SecretList: [
          { ARN, Name: "orders/prod/db-credentials" },
          { ARN: GONE, Name: "deleted-meanwhile" },
        ],
        NextToken: "p2",
      },
      p2: { SecretList: [{ ARN: ROTATED, Name: "orders/prod/api-key" }] },
    });
    mock.on(ListSecretsCommand).callsFake(pages.answer);
    describeAnswers();
    const found = await collectAll(secretsCollector(2), collectContext({ secretsManager: client }));

    expect(pages.seen).toEqual([{ MaxResults: 2 }, { MaxResults: 2, NextToken: "p2" }]);
    expect(mock.commandCalls(DescribeSecretCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: ARN },
      { SecretId: GONE },
      { SecretId: ROTATED },
    ]);
    expect(found.map((o) => o.resource.id)).toEqual([ARN, ROTATED]);
    for (const o of found) expect([o.complete, o.tagsKnown]).toEqual([true, true]);
    // SecretsManager.3/4 are periodic: ages are counted to the sweep's time.
    expect(found[0]?.state?.asOf).toBe("2025-03-14T09:00:00.000Z");
  });

  it("parity: rotation off gives SecretsManager.1 as the Config item does; unused for 286 days gives SecretsManager.3", async () => {
    mock.on(ListSecretsCommand).resolves({ SecretList: [{ ARN, Name: "orders/prod/db-credentials" }] });
    describeAnswers();
    const [swept] = await collectAll(defaultCollector, collectContext({ secretsManager: client }));
    // The event path: the Config item, then its refresh (the same DescribeSecret answer).
    const context = collectContext({ secretsManager: client });
    const item = adapter.fromConfigItem(configItemOf("secretsmanager/config-item-secret.json"));
    if (!item || !adapter.refresh) throw new Error("no Config item observation");
    const event = await adapter.refresh(item, context.clients, { config: context.config });
    expect(violated(event!)).toContain("SecretsManager.1");
    const one = (o: typeof event | undefined) => verdicts(o!).find((v) => v.checkId === "SecretsManager.1");
    expect(one(swept)).toEqual(one(event));
    expect(violated(swept!)).toEqual(expect.arrayContaining(["SecretsManager.1", "SecretsManager.3"]));
  });

  it("a rotated, recently used secret passes every check", async () => {
    mock.on(ListSecretsCommand).resolves({ SecretList: [{ ARN: ROTATED }] });
    describeAnswers();
    const [swept] = await collectAll(defaultCollector, collectContext({ secretsManager: client }));
    expect(violated(swept!)).toEqual([]);
    expect(defaultCollector.iamActions).toEqual([
      "secretsmanager:ListSecrets",
      "secretsmanager:DescribeSecret",
      "secretsmanager:ListSecretVersionIds",
    ]);
  });
});
