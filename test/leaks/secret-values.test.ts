import { describe, expect, it } from "vitest";
import {
  credentialKind,
  entropy,
  isHarmlessValue,
  looksRandom,
  valueFacts,
} from "../../shared/leaks/secret-values";
import { CREDENTIALS } from "./samples";

describe("credentialKind", () => {
  it.each(CREDENTIALS.map((c) => [c.kind, c.value] as const))("finds a %s", (kind, value) => {
    expect(credentialKind(value)).toBe(kind);
  });

  it("finds a credential inside longer text", () => {
    expect(credentialKind(`export UPSTREAM=${CREDENTIALS[0]?.value ?? ""} && run`)).toBe("AWS access key id");
  });

  it.each([
    ["a Secrets Manager ARN", "arn:aws:secretsmanager:us-east-1:111122223333:secret:orders/prod/db-Qm3Zt8"],
    ["a sha256 digest", "sha256:" + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"],
    ["a UUID", "5c1e7a2b-9d4f-4e3a-8b6c-0f2d4a6b8c1e"],
    ["a URL with a port and no password", "http://localhost:8080/health"],
    ["a URL with a user only", "https://deploy@git.example.com/orders.git"],
    ["an scp-style git remote", "git@github.com:example/orders.git"],
    ["a templated URL password", "postgres://orders:${DB_PASSWORD}@db.internal:5432/orders"],
    ["a masked URL password", "postgres://orders:****@db.internal/orders"],
    ["a placeholder URL password", "mysql://root:<password>@localhost/app"],
    ["a word", "production"],
    ["an AKIA-like id that is too short", "AKIA" + "XMPLQ7RZ5BDF2GH"],
    ["a Stripe test key", "sk_" + "test_" + "4eC39HqLyjWDarjtT1zdp7dc"],
    ["a JWT header alone", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"],
  ])("ignores %s", (_what, value) => {
    expect(credentialKind(value)).toBeUndefined();
  });
});

describe("looksRandom", () => {
  it.each([
    ["a mixed-case token", "tok_7Hq2Wm9Xc4Vb1Nz8Lp3Kd6"],
    ["an npm-ish token", "Xk2Lq9Wv4Rt7Yp1Zm8Nc3Bd6"],
  ])("%s is random", (_what, value) => {
    expect(looksRandom(value)).toBe(true);
  });

  it.each([
    ["a hex digest", "e0".repeat(32)],
    ["a git commit", "3f786850e387550fdab836ed7e6dc881de23001b"],
    ["a UUID", "5c1e7a2b-9d4f-4e3a-8b6c-0f2d4a6b8c1e"],
    ["a digest with its algorithm", "sha256:" + "ab".repeat(32)],
    ["a path", "/opt/app/releases/2025-03-20T08-14Z/a1B2c3D4"],
    ["a sentence", "Orders API for the Prod Account 2025"],
    ["something short", "aB3dE5fG7h"],
    ["one repeated character", "A".repeat(40)],
  ])("%s is not random", (_what, value) => {
    expect(looksRandom(value)).toBe(false);
  });

  it("entropy is 0 for one symbol and grows with variety", () => {
    expect(entropy("aaaa")).toBe(0);
    expect(entropy("abcd")).toBe(2);
  });
});

describe("isHarmlessValue", () => {
  it.each([
    "",
    "   ",
    "true",
    "Disabled",
    "5432",
    "/run/secrets/db_password",
    "./secrets.json",
    "~/.aws/credentials",
    "arn:aws:secretsmanager:us-east-1:111122223333:secret:orders/prod/db-Qm3Zt8",
    "arn:aws:ssm:us-east-1:111122223333:parameter/orders/prod/db-password",
    "arn:aws:kms:us-east-1:111122223333:key/5c1e7a2b-9d4f-4e3a-8b6c-0f2d4a6b8c1e",
    "{{resolve:secretsmanager:orders/prod/db:SecretString:password}}",
    "${DB_PASSWORD}",
    "$DB_PASSWORD",
    "<your-password-here>",
    "********",
    "REDACTED",
    "HIDDEN_DUE_TO_SECURITY_REASONS",
  ])("%j is harmless", (value) => {
    expect(isHarmlessValue(value)).toBe(true);
  });

  it.each(["hunter2", "changeme", "s3cr3t-v4lue", "123456789", "arn:aws:iam::111122223333:user/alice"])(
    "%j is not harmless",
    (value) => {
      expect(isHarmlessValue(value)).toBe(false);
    },
  );
});

describe("valueFacts", () => {
  it("describes a value by its length and traits, never by the value", () => {
    const value = "ghp_" + "aB3dE5fG7hJ9kL2mN4pQ6rS8tU1vW0xYzaB3d";
    const facts = valueFacts(value);
    expect(facts).toEqual({
      length: value.length,
      credentialKind: "GitHub token",
      harmless: false,
      random: true,
    });
    expect(JSON.stringify(facts)).not.toContain(value.slice(4));
  });

  it("has no credential kind for an ordinary value", () => {
    expect(valueFacts("/run/secrets/db")).toEqual({ length: 15, harmless: true, random: false });
  });
});
