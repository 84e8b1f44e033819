import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import {
  SecretNotSetError,
  cachedSecret,
  parseSlackWebhook,
  slackWebhookFromSecret,
} from "../../shared/notifiers/secret-value";

const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:111122223333:secret:vigil/slack-webhook-AbCdEf";
const WEBHOOK = "https://hooks.slack.com/services/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";
const SET_IT = `aws secretsmanager put-secret-value --secret-id ${SECRET_ARN} --secret-string <url>`;

const secrets = mockClient(SecretsManagerClient);
const client = () => new SecretsManagerClient({ region: "us-east-1" });

function reads() {
  return secrets.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

beforeEach(() => secrets.reset());

describe("cachedSecret", () => {
  it("reads the secret once for many calls, concurrent ones included", async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: "s3cr3t-value", ARN: SECRET_ARN });
    const read = cachedSecret(client(), SECRET_ARN);

    expect(await Promise.all([read(), read()])).toEqual(["s3cr3t-value", "s3cr3t-value"]);
    expect(await read()).toBe("s3cr3t-value");
    expect(reads()).toEqual([{ SecretId: SECRET_ARN }]);
  });

  it("forgets a failed read so the next call retries", async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(new Error("Rate exceeded"))
      .resolves({ SecretString: "s3cr3t-value" });
    const read = cachedSecret(client(), SECRET_ARN);

    await expect(read()).rejects.toThrow("Rate exceeded");
    expect(await read()).toBe("s3cr3t-value");
    expect(await read()).toBe("s3cr3t-value");
    expect(reads()).toEqual([{ SecretId: SECRET_ARN }, { SecretId: SECRET_ARN }]);
  });

  it("explains how to set a secret that has no value yet", async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(
        new ResourceNotFoundException({
          message: "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
          $metadata: { httpStatusCode: 400 },
        }),
      )
      .resolvesOnce({ SecretString: "  " })
      .resolvesOnce({ SecretBinary: new Uint8Array([1, 2]) })
      .resolves({ SecretString: WEBHOOK });
    const read = slackWebhookFromSecret(client(), SECRET_ARN);

    const missing = await rejection(read());
    expect(missing).toBeInstanceOf(SecretNotSetError);
    expect(missing.message).toBe(`Secret ${SECRET_ARN} has no value yet. Set it with: ${SET_IT}`);
    expect((await rejection(read())).message).toBe(
      `Secret ${SECRET_ARN} has an empty value. Set it with: ${SET_IT}`,
    );
    expect((await rejection(read())).message).toBe(
      `Secret ${SECRET_ARN} has no string value yet. Set it with: ${SET_IT}`,
    );
    // Once the operator has run the command, the next invocation picks the value up.
    expect(await read()).toBe(WEBHOOK);
    expect(reads()).toHaveLength(4);
  });

  it("passes other errors (wrong ARN, no permission) through unchanged", async () => {
    const denied = new Error("User is not authorized to perform secretsmanager:GetSecretValue");
    denied.name = "AccessDeniedException";
    secrets.on(GetSecretValueCommand).rejects(denied);
    await expect(cachedSecret(client(), SECRET_ARN)()).rejects.toThrow("not authorized");
  });
});

describe("slackWebhookFromSecret", () => {
  it("accepts a plain URL, surrounding whitespace and all", async () => {
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: `${WEBHOOK}\n` });
    const read = slackWebhookFromSecret(client(), SECRET_ARN);
    expect(await read()).toBe(WEBHOOK);
    expect(await read()).toBe(WEBHOOK);
    expect(reads()).toEqual([{ SecretId: SECRET_ARN }]);
  });

  it('accepts JSON {"webhookUrl": ...}', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: JSON.stringify({ webhookUrl: WEBHOOK, channel: "#sec" }) });
    expect(await slackWebhookFromSecret(client(), SECRET_ARN)()).toBe(WEBHOOK);
  });

  it("rejects values that are not https URLs without quoting them, and retries later", async () => {
    const plainHttp = WEBHOOK.replace("https:", "http:");
    secrets
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: plainHttp })
      .resolves({ SecretString: WEBHOOK });
    const read = slackWebhookFromSecret(client(), SECRET_ARN);

    const error = await rejection(read());
    expect(error.message).toBe(
      `Secret ${SECRET_ARN} must hold an https URL (the webhook URL is a credential)`,
    );
    expect(error.message).not.toContain("Xq7tB2mN9pR4sV6wY8zA1cD3");
    expect(await read()).toBe(WEBHOOK);
  });
});

describe("parseSlackWebhook", () => {
  const secretPart = "Xq7tB2mN9pR4sV6wY8zA1cD3";

  it.each([
    ["not a URL", `hooks.slack.com/services/T/B/${secretPart}`, "is not a URL"],
    ["broken JSON", `{"webhookUrl": "${WEBHOOK}"`, "looks like JSON but does not parse"],
    ["JSON without webhookUrl", JSON.stringify({ url: WEBHOOK }), 'is JSON without a "webhookUrl" string'],
    ["another scheme", `ftp://hooks.slack.com/${secretPart}`, "must hold an https URL"],
  ])("rejects %s without revealing the value", (_case, value, expected) => {
    let message = "";
    try {
      parseSlackWebhook(value, SECRET_ARN);
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).toContain(expected);
    expect(message).toContain(SECRET_ARN);
    expect(message).not.toContain(secretPart);
  });
});
