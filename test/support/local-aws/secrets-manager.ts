import { randomUUID } from "node:crypto";
import type { DoubleRequest, DoubleResponse, ServiceDouble } from "./double";

/**
 * Secrets Manager in memory, in the JSON 1.1 protocol the SDK speaks (`X-Amz-Target:
 * secretsmanager.<Op>`, signing name `secretsmanager`). Only what Vigil and its tests use: creating a
 * secret (with or without a value, as the stack does), putting a value and reading it, with the
 * service's error for a secret that has no value yet.
 */

const CONTENT_TYPE = "application/x-amz-json-1.1";
const ACCOUNT = "111122223333";

interface Secret {
  arn: string;
  name: string;
  value?: string;
  versionId?: string;
}

class SecretsError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class SecretsManagerDouble implements ServiceDouble {
  readonly signingName = "secretsmanager";
  private readonly secrets = new Map<string, Secret>();

  /** How many times each secret was read, for tests of caching. */
  readonly reads = new Map<string, number>();

  handle(request: DoubleRequest): DoubleResponse {
    const action = request.target.replace(/^secretsmanager\./, "");
    let input: Record<string, unknown>;
    try {
      input = JSON.parse(request.body.toString("utf8") || "{}") as Record<string, unknown>;
    } catch {
      return this.error(action, new SecretsError("SerializationException", "invalid JSON"));
    }
    try {
      return {
        action,
        status: 200,
        headers: { "content-type": CONTENT_TYPE },
        body: JSON.stringify(this.run(action, input, request.region)),
      };
    } catch (error) {
      if (error instanceof SecretsError) return this.error(action, error);
      throw error;
    }
  }

  private run(action: string, input: Record<string, unknown>, region: string): Record<string, unknown> {
    switch (action) {
      case "CreateSecret": {
        const name = String(input.Name ?? "");
        if (!name) throw new SecretsError("InvalidParameterException", "Name is required");
        if ([...this.secrets.values()].some((s) => s.name === name))
          throw new SecretsError(
            "ResourceExistsException",
            `The operation failed because the secret ${name} already exists.`,
          );
        const arn = `arn:aws:secretsmanager:${region}:${ACCOUNT}:secret:${name}-${randomUUID().slice(0, 6)}`;
        const secret: Secret = { arn, name };
        if (typeof input.SecretString === "string")
          Object.assign(secret, { value: input.SecretString, versionId: randomUUID() });
        this.secrets.set(arn, secret);
        return { ARN: arn, Name: name, ...(secret.versionId ? { VersionId: secret.versionId } : {}) };
      }
      case "PutSecretValue": {
        const secret = this.find(input.SecretId);
        if (typeof input.SecretString !== "string")
          throw new SecretsError("InvalidParameterException", "SecretString is required");
        secret.value = input.SecretString;
        secret.versionId = randomUUID();
        return {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: secret.versionId,
          VersionStages: ["AWSCURRENT"],
        };
      }
      case "GetSecretValue": {
        const secret = this.find(input.SecretId);
        this.reads.set(secret.arn, (this.reads.get(secret.arn) ?? 0) + 1);
        if (secret.value === undefined)
          throw new SecretsError(
            "ResourceNotFoundException",
            "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
          );
        return {
          ARN: secret.arn,
          Name: secret.name,
          SecretString: secret.value,
          VersionId: secret.versionId,
          VersionStages: ["AWSCURRENT"],
          CreatedDate: Date.now() / 1000,
        };
      }
      default:
        throw new SecretsError(
          "UnknownOperationException",
          `local-aws Secrets Manager does not model ${action}`,
        );
    }
  }

  private find(id: unknown): Secret {
    const key = String(id ?? "");
    const secret = this.secrets.get(key) ?? [...this.secrets.values()].find((s) => s.name === key);
    if (!secret)
      throw new SecretsError("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
    return secret;
  }

  private error(action: string, error: SecretsError): DoubleResponse {
    return {
      action,
      status: 400,
      headers: { "content-type": CONTENT_TYPE },
      body: JSON.stringify({ __type: error.code, message: error.message }),
    };
  }
}

export function createSecretsManagerDouble(): SecretsManagerDouble {
  return new SecretsManagerDouble();
}
