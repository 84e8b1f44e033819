import { describe, expect, it } from "vitest";
import { isSecretName, nameWords } from "../../shared/leaks/secret-names";

describe("nameWords", () => {
  it.each([
    ["DB_PASSWORD", ["DB", "PASSWORD"]],
    ["apiToken", ["API", "TOKEN"]],
    ["awsSecretAccessKey", ["AWS", "SECRET", "ACCESS", "KEY"]],
    ["APIKey", ["APIKEY"]],
    ["stripe.secret-key", ["STRIPE", "SECRET", "KEY"]],
    ["__x__", ["X"]],
  ])("%s -> %j", (name, words) => {
    expect(nameWords(name)).toEqual(words);
  });
});

describe("isSecretName", () => {
  it.each([
    "DB_PASSWORD",
    "DB_PASS",
    "DBPASSWORD",
    "db_passwd",
    "MYSQL_ROOT_PWD",
    "GPG_PASSPHRASE",
    "apiToken",
    "GITHUB_TOKEN",
    "AWS_SECRET_ACCESS_KEY",
    "API_KEY",
    "APIKEY",
    "MyAPIKey",
    "LICENSE_KEY",
    "SIGNING_KEY",
    "STRIPE_SECRET_KEY",
    "client_secret",
    "JWT_SECRET",
    "ACCESS_TOKEN",
    "GOOGLE_APPLICATION_CREDENTIALS",
    "SECRET_KEY_BASE",
    "PASSWORD_HASH",
  ])("%s announces a secret", (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each([
    // Dockle's substring matches: words that merely contain a secret word.
    "MONKEY",
    "KEYBOARD_LAYOUT",
    "TOKENIZER_MODEL",
    "PASSWORDLESS_LOGIN",
    "ACCESS_LOG_PATH",
    // ACCESS on its own is about access, not a credential.
    "ACCESS_LEVEL",
    "PUBLIC_ACCESS",
    "ACCESS_CONTROL_ALLOW_ORIGIN",
    // References to where the secret lives, and facts about it.
    "PASSWORD_FILE",
    "DB_PASSWORD_FILE",
    "SECRET_ARN",
    "DB_SECRET_NAME",
    "SECRET_ID",
    "KMS_KEY_ID",
    "AWS_ACCESS_KEY_ID",
    "TOKEN_URL",
    "OAUTH_TOKEN_ENDPOINT",
    "TOKEN_TTL",
    "TOKEN_EXPIRATION",
    "JWT_TOKEN_ISSUER",
    "PASSWORD_MIN_LENGTH",
    "API_KEY_HEADER",
    "SECRET_ROTATION",
    "CACHE_KEY_PREFIX",
    "SSM_PASSWORD_PARAMETER",
    // Keys that are lookup keys or public by nature.
    "PARTITION_KEY",
    "SORT_KEY",
    "DYNAMODB_HASH_KEY",
    "S3_KEY",
    "KMS_KEY",
    "PUBLIC_KEY",
    "IDEMPOTENCY_KEY",
    // Official images' signing-key fingerprints, and the shell's working directory.
    "GPG_KEY",
    "GPG_KEYS",
    "NGINX_GPGKEY",
    "PWD",
    "OLDPWD",
    // Nothing to do with secrets.
    "NODE_ENV",
    "LOG_LEVEL",
  ])("%s is not secret", (name) => {
    expect(isSecretName(name)).toBe(false);
  });

  it("accepts configured names, case aside", () => {
    expect(isSecretName("LICENSE_KEY", ["license_key"])).toBe(false);
    expect(isSecretName("LICENSE_KEY", ["OTHER_KEY"])).toBe(true);
  });
});
