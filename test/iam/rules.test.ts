import { describe, expect, it } from "vitest";
import { parseCredentialReport, type CredentialFacts } from "../../shared/iam-credentials/report";
import {
  accessKeysNotRotated,
  consoleWithoutMfa,
  rootHasActiveAccessKey,
  unusedCredentials,
} from "../../shared/iam-credentials/rules";
import { base64, csv, row, type RowInput } from "./support";

const NOW = new Date("2025-06-01T12:00:00Z");
const daysBefore = (days: number, extraHours = 0) =>
  new Date(NOW.getTime() - days * 86_400_000 - extraHours * 3_600_000).toISOString();

function facts(input: RowInput): CredentialFacts {
  const user = parseCredentialReport(base64(csv(row(input))), NOW).users[1];
  if (!user) throw new Error("no row");
  return user;
}

describe("IAM.3: access keys not rotated", () => {
  it("flags an active key more than 90 whole days old, not one exactly 90 days old", () => {
    expect(
      accessKeysNotRotated(facts({ user: "a", key1: ["true", daysBefore(91), "N/A"] }), NOW, 90),
    ).toEqual([{ slot: 1, lastRotated: daysBefore(91), ageDays: 91 }]);
    expect(
      accessKeysNotRotated(facts({ user: "a", key1: ["true", daysBefore(90, 23), "N/A"] }), NOW, 90),
    ).toEqual([]);
  });

  it("judges each slot on its own and leaves inactive keys alone", () => {
    const f = facts({
      user: "a",
      key1: ["false", daysBefore(400), "N/A"],
      key2: ["true", daysBefore(120), daysBefore(1)],
    });
    expect(accessKeysNotRotated(f, NOW, 90).map((k) => k.slot)).toEqual([2]);
  });

  it("does not judge an active key whose creation time is N/A (a row that contradicts itself)", () => {
    expect(accessKeysNotRotated(facts({ user: "a", key1: ["true", "N/A", "N/A"] }), NOW, 90)).toEqual([]);
  });

  it("has nothing to say about a user without keys", () => {
    expect(accessKeysNotRotated(facts({ user: "a" }), NOW, 90)).toEqual([]);
  });
});

describe("IAM.8 / IAM.22: unused credentials", () => {
  it("counts a used key from its last use: 45 days or more is unused, 44 is not", () => {
    const at45 = facts({ user: "a", key1: ["true", daysBefore(300), daysBefore(45)] });
    expect(unusedCredentials(at45, NOW, 45)).toEqual([
      { credential: "accessKey", slot: 1, lastUsed: daysBefore(45), since: daysBefore(45), unusedDays: 45 },
    ]);
    expect(
      unusedCredentials(facts({ user: "a", key1: ["true", daysBefore(300), daysBefore(44, 23)] }), NOW, 45),
    ).toEqual([]);
  });

  it("counts a never-used key (last used N/A) from its creation, so a new key is not unused", () => {
    expect(unusedCredentials(facts({ user: "a", key1: ["true", daysBefore(50), "N/A"] }), NOW, 45)).toEqual([
      { credential: "accessKey", slot: 1, lastUsed: null, since: daysBefore(50), unusedDays: 50 },
    ]);
    expect(unusedCredentials(facts({ user: "a", key1: ["true", daysBefore(3), "N/A"] }), NOW, 45)).toEqual(
      [],
    );
  });

  it("leaves inactive keys alone (only active keys count)", () => {
    expect(unusedCredentials(facts({ user: "a", key1: ["false", daysBefore(500), "N/A"] }), NOW, 45)).toEqual(
      [],
    );
  });

  it("counts a password from its last sign-in", () => {
    const f = facts({
      user: "a",
      password: { enabled: "true", lastUsed: daysBefore(100), changed: daysBefore(400) },
    });
    expect(unusedCredentials(f, NOW, 90)).toEqual([
      { credential: "password", lastUsed: daysBefore(100), since: daysBefore(100), unusedDays: 100 },
    ]);
    expect(unusedCredentials(f, NOW, 101)).toEqual([]);
  });

  it("counts a never-used password (no_information) from when it was set (password_last_changed)", () => {
    const old = facts({
      user: "a",
      password: { enabled: "true", lastUsed: "no_information", changed: daysBefore(60) },
    });
    expect(unusedCredentials(old, NOW, 45)).toEqual([
      { credential: "password", lastUsed: null, since: daysBefore(60), unusedDays: 60 },
    ]);
    const fresh = facts({
      user: "a",
      password: { enabled: "true", lastUsed: "no_information", changed: daysBefore(2) },
    });
    expect(unusedCredentials(fresh, NOW, 45)).toEqual([]);
  });

  it("does not judge a password the user does not have (N/A), nor an enabled one with N/A last use", () => {
    expect(
      unusedCredentials(
        facts({ user: "a", password: { enabled: "false", lastUsed: "N/A", changed: "N/A" } }),
        NOW,
        1,
      ),
    ).toEqual([]);
    expect(
      unusedCredentials(
        facts({ user: "a", password: { enabled: "true", lastUsed: "N/A", changed: daysBefore(400) } }),
        NOW,
        1,
      ),
    ).toEqual([]);
    expect(
      unusedCredentials(
        facts({ user: "a", password: { enabled: "true", lastUsed: "no_information", changed: "N/A" } }),
        NOW,
        1,
      ),
    ).toEqual([]);
  });

  it("lists the password and each key separately", () => {
    const f = facts({
      user: "a",
      password: { enabled: "true", lastUsed: daysBefore(200), changed: daysBefore(400) },
      key1: ["true", daysBefore(300), daysBefore(100)],
      key2: ["true", daysBefore(10), daysBefore(1)],
    });
    expect(unusedCredentials(f, NOW, 90).map((u) => [u.credential, u.slot])).toEqual([
      ["password", undefined],
      ["accessKey", 1],
    ]);
  });
});

describe("console MFA and the root user's keys, from the report", () => {
  it("IAM.5 needs a password and no MFA", () => {
    const pw = { enabled: "true", lastUsed: "no_information", changed: daysBefore(1) };
    expect(consoleWithoutMfa(facts({ user: "a", password: pw, mfa: "false" }))).toBe(true);
    expect(consoleWithoutMfa(facts({ user: "a", password: pw, mfa: "true" }))).toBe(false);
    expect(consoleWithoutMfa(facts({ user: "a", mfa: "false" }))).toBe(false);
  });

  it("IAM.4 from the root row: only an active key counts", () => {
    const root = (k1: string) =>
      parseCredentialReport(
        base64(
          csv().replace(
            ",true,false,N/A,N/A,N/A,N/A,false,",
            `,true,${k1},2024-01-01T00:00:00+00:00,N/A,N/A,N/A,false,`,
          ),
        ),
        NOW,
      ).users[0] as CredentialFacts;
    expect(rootHasActiveAccessKey(root("true"))).toBe(true);
    expect(rootHasActiveAccessKey(root("false"))).toBe(false);
  });
});
