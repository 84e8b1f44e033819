import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { judgeFacts, judgeVariable, scanVariables } from "../../shared/leaks/scan-env";
import { isSecretName } from "../../shared/leaks/secret-names";
import { credentialKind, valueFacts } from "../../shared/leaks/secret-values";

const RUNS = { numRuns: 500 };

const chars = (alphabet: string, minLength: number, maxLength = minLength) =>
  fc.string({ unit: fc.constantFrom(...alphabet.split("")), minLength, maxLength });
const LOWER = "abcdefghijklmnopqrstuvwxyz";
const DIGITS = "0123456789";
const ALNUM = LOWER + LOWER.toUpperCase() + DIGITS;
const HEX = "0123456789abcdef";

/** Values that are everywhere in real configurations and never secret. */
const harmlessValue = fc.oneof(
  fc.constantFrom("true", "false", "yes", "no", "on", "off", "enabled", "disabled", "none", "null", ""),
  fc.integer({ min: 0, max: 999_999 }).map(String),
  fc.array(chars(LOWER + DIGITS, 1, 8), { minLength: 1, maxLength: 5 }).map((parts) => "/" + parts.join("/")),
  fc
    .tuple(chars(LOWER, 1, 10), chars(ALNUM, 6))
    .map(([name, suffix]) => `arn:aws:secretsmanager:us-east-1:111122223333:secret:${name}-${suffix}`),
  chars(LOWER, 1, 12).map((name) => `arn:aws:ssm:eu-west-1:111122223333:parameter/${name}`),
  fc.uuid(),
  chars(HEX, 32, 128),
  chars(HEX, 64).map((hex) => `sha256:${hex}`),
  chars(LOWER, 1, 20),
  fc.tuple(chars(LOWER, 1, 10), chars(LOWER, 2, 6)).map(([host, tld]) => `https://${host}.${tld}/health`),
  fc
    .tuple(chars(LOWER, 1, 10), fc.integer({ min: 1, max: 65535 }))
    .map(([host, port]) => `${host}.internal:${port}`),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ_", 1, 12).map((name) => `\${${name}}`),
);

/** What a secret-named variable holds when it does not hold the secret: a flag, a port, where it lives. */
const referenceValue = fc.oneof(
  fc.constantFrom("true", "false", "enabled", "disabled", "", "<password>", "********", "REDACTED"),
  fc.integer({ min: 0, max: 999_999 }).map(String),
  fc.array(chars(LOWER + DIGITS, 1, 8), { minLength: 1, maxLength: 5 }).map((parts) => "/" + parts.join("/")),
  fc
    .tuple(chars(LOWER, 1, 10), chars(ALNUM, 6))
    .map(([name, suffix]) => `arn:aws:secretsmanager:us-east-1:111122223333:secret:${name}-${suffix}`),
  chars(LOWER, 1, 12).map((name) => `arn:aws:ssm:eu-west-1:111122223333:parameter/${name}`),
  chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ_", 1, 12).map((name) => `\${${name}}`),
);

/** Words of names that don't announce a secret, including Dockle's substring false positives. */
const plainWord = fc.constantFrom(
  "APP",
  "LOG",
  "LEVEL",
  "NODE",
  "ENV",
  "REGION",
  "TABLE",
  "QUEUE",
  "BUCKET",
  "HOST",
  "PORT",
  "TIMEOUT",
  "MODE",
  "FEATURE",
  "ACCESS",
  "MONKEY",
  "KEYBOARD",
  "TOKENIZER",
  "ORDERS",
  "S3",
);
const plainName = fc.array(plainWord, { minLength: 1, maxLength: 4 }).map((words) => words.join("_"));

const secretWord = fc.constantFrom("PASSWORD", "PASSWD", "SECRET", "TOKEN", "APIKEY", "PASS", "PASSPHRASE");

/** Credentials built to their documented shapes, with a little text around some of them. */
const credential = fc.oneof(
  chars("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16).chain((tail) =>
    fc.constantFrom("AKIA", "ASIA").map((prefix) => prefix + tail),
  ),
  fc
    .constantFrom("", "RSA ", "EC ", "DSA ", "OPENSSH ", "ENCRYPTED ")
    .map(
      (type) =>
        `-----BEGIN ${type}PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END ${type}PRIVATE KEY-----`,
    ),
  chars(ALNUM, 36, 40).chain((tail) => fc.constantFrom("ghp_", "gho_", "ghs_").map((p) => p + tail)),
  chars(ALNUM + "-", 10, 40).map((tail) => "xoxb-" + tail),
  chars(ALNUM, 20, 40).map((tail) => "sk_live_" + tail),
  fc
    .tuple(chars(ALNUM + "_-", 10, 40), chars(ALNUM + "_-", 10, 80), chars(ALNUM + "_-", 10, 60))
    .map(([h, p, s]) => `eyJ${h}.eyJ${p}.${s}`),
  fc
    .tuple(
      fc.constantFrom("postgres", "mysql", "redis", "mongodb+srv", "amqps", "https"),
      chars(LOWER, 0, 10),
      // Masks and templates (`***`, `%s`) stand for a password; they are not one.
      chars(ALNUM + "!#%^&*()-_+=", 1, 24).filter((pw) => !/^(x{3,}|X{3,}|\*+|%s|%\(.*\)s)$/.test(pw)),
      chars(LOWER, 1, 12),
    )
    .map(([scheme, user, password, host]) => `${scheme}://${user}:${password}@${host}.internal:5432/db`),
);

/** Every string anywhere in a value (the texts a finding could show). */
function textsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (value && typeof value === "object") return Object.values(value).flatMap(textsIn);
  return [];
}

const around = fc.tuple(fc.constantFrom("", " ", "export X=", "\n"), fc.constantFrom("", " ", ";", "\n"));

describe("leak detection properties", () => {
  it("harmless values are never flagged under names that don't announce a secret", () => {
    fc.assert(
      fc.property(plainName, harmlessValue, (name, value) => {
        expect(isSecretName(name)).toBe(false);
        expect(judgeVariable(name, value, "environment")).toBeUndefined();
      }),
      RUNS,
    );
  });

  it("flags, numbers, paths and references are never flagged, even under secret names", () => {
    fc.assert(
      fc.property(plainName, secretWord, referenceValue, (prefix, word, value) => {
        expect(judgeVariable(`${prefix}_${word}`, value, "environment")).toBeUndefined();
      }),
      RUNS,
    );
  });

  it("credential-shaped values are always flagged, whatever the name and accepted names", () => {
    fc.assert(
      fc.property(fc.string(), credential, around, (name, value, [before, after]) => {
        const text = before + value + after;
        expect(credentialKind(text)).toBeDefined();
        const leak = judgeVariable(name, text, "environment", { acceptedNames: [name, "GPG_KEY"] });
        expect(leak?.reason).toMatch(/^the value is an? /);
      }),
      RUNS,
    );
  });

  it("a secret word in any spelling of a name (SNAKE, kebab, camelCase) is found the same way", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(plainWord, secretWord), { minLength: 1, maxLength: 4 }), (words) => {
        const snake = words.join("_");
        const kebab = words.map((w) => w.toLowerCase()).join("-");
        const camel = words.map((w, i) => (i ? w[0] + w.slice(1).toLowerCase() : w.toLowerCase())).join("");
        expect(isSecretName(kebab)).toBe(isSecretName(snake));
        expect(isSecretName(camel)).toBe(isSecretName(snake));
      }),
      RUNS,
    );
  });

  it("no field of a judgement ever holds the value", () => {
    const anyValue = fc.oneof(credential, harmlessValue, fc.string({ minLength: 1, maxLength: 64 }));
    const anyName = fc.oneof(plainName, secretWord, fc.string({ maxLength: 20 }));
    fc.assert(
      fc.property(anyName, anyValue, fc.boolean(), (name, value, always) => {
        const options = always ? { alwaysSecretNames: [name] } : {};
        const leak = judgeVariable(name, value, "environment", options);
        const facts = valueFacts(value);
        // The only text a judgement holds: the name, the location and fixed reasons (field names aside).
        const fixed = `${name} environment ${leak?.reason ?? ""} ${facts.credentialKind ?? ""}`;
        fc.pre(value.trim().length >= 3 && !fixed.includes(value));
        const outputs = [
          leak,
          facts,
          judgeFacts(name, facts, "environment", options),
          scanVariables([{ name, value }], "environment", options),
        ];
        for (const text of textsIn(outputs)) expect(text).not.toContain(value);
      }),
      RUNS,
    );
  });

  it("judging the facts is judging the value", () => {
    fc.assert(
      fc.property(
        fc.oneof(plainName, secretWord),
        fc.oneof(credential, harmlessValue, fc.string()),
        (name, value) => {
          expect(judgeFacts(name, valueFacts(value), "environment")).toEqual(
            judgeVariable(name, value, "environment"),
          );
        },
      ),
      RUNS,
    );
  });
});
