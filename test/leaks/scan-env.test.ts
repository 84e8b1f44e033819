import { describe, expect, it } from "vitest";
import {
  judgeFacts,
  judgeVariable,
  scanText,
  scanVariables,
  splitEnvEntry,
} from "../../shared/leaks/scan-env";
import { valueFacts } from "../../shared/leaks/secret-values";
import { CREDENTIALS } from "./samples";

const AKIA = CREDENTIALS[0]?.value ?? "";

describe("judgeVariable", () => {
  it("a secret-like name with a value: name, location, reason and length", () => {
    expect(judgeVariable("DB_PASSWORD", "hunter2", "environment")).toEqual({
      location: "environment",
      name: "DB_PASSWORD",
      reason: "secret-like name with a value",
      valueLength: 7,
    });
  });

  it("says when the value also looks random", () => {
    expect(judgeVariable("apiToken", "tok_7Hq2Wm9Xc4Vb1Nz8Lp3Kd6", "environment")?.reason).toBe(
      "secret-like name with a random-looking value",
    );
  });

  it("a credential-shaped value counts under any name, even an accepted one", () => {
    expect(judgeVariable("UPSTREAM", AKIA, "environment")?.reason).toBe("the value is an AWS access key id");
    expect(judgeVariable("GPG_KEY", CREDENTIALS[5]?.value ?? "", "environment")?.reason).toBe(
      "the value is a private key",
    );
    expect(judgeVariable("DATABASE_URL", "postgres://app:" + "pw123456@db/app", "environment")?.reason).toBe(
      "the value is a password in URL",
    );
  });

  it.each([
    ["DB_PASSWORD", ""],
    ["DB_PASSWORD_FILE", "/run/secrets/db"],
    ["DB_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:111122223333:secret:orders/prod/db-Qm3Zt8"],
    ["API_TOKEN", "${API_TOKEN}"],
    ["GPG_KEY", "A035C8C19219BA821ECEA86B64E628F8D684696D"],
    ["MONKEY", "banana"],
    ["KEYBOARD_LAYOUT", "de-nodeadkeys"],
    ["ACCESS_LOG_PATH", "/var/log/access.log"],
    ["PARTITION_KEY", "orderId"],
    ["BUILD_ID", "3f786850e387550fdab836ed7e6dc881de23001b"],
    ["REQUEST_ID", "5c1e7a2b-9d4f-4e3a-8b6c-0f2d4a6b8c1e"],
  ])("%s=%j is not a leak", (name, value) => {
    expect(judgeVariable(name, value, "environment")).toBeUndefined();
  });

  it("config-accepted names are not secret unless their value is a credential", () => {
    const options = { acceptedNames: ["LICENSE_KEY"] };
    expect(judgeVariable("LICENSE_KEY", "community-edition", "environment", options)).toBeUndefined();
    expect(judgeVariable("LICENSE_KEY", AKIA, "environment", options)?.reason).toBe(
      "the value is an AWS access key id",
    );
  });

  it("always-secret names count whenever set (ECS.8's fixed keys)", () => {
    const options = { alwaysSecretNames: ["AWS_ACCESS_KEY_ID"] };
    expect(judgeVariable("AWS_ACCESS_KEY_ID", "test", "environment", options)?.reason).toBe(
      "AWS_ACCESS_KEY_ID is a credential and must not be set in plain text",
    );
    expect(judgeVariable("AWS_ACCESS_KEY_ID", "", "environment", options)).toBeUndefined();
  });
});

describe("judgeFacts", () => {
  it.each([
    ["DB_PASSWORD", "hunter2"],
    ["UPSTREAM", AKIA],
    ["API_TOKEN", "tok_7Hq2Wm9Xc4Vb1Nz8Lp3Kd6"],
    ["PATH", "/usr/local/bin:/usr/bin"],
    ["DB_PASSWORD", ""],
  ])("judges %s from the value's facts exactly as from the value", (name, value) => {
    expect(judgeFacts(name, valueFacts(value), "environment")).toEqual(
      judgeVariable(name, value, "environment"),
    );
  });
});

describe("scanVariables and splitEnvEntry", () => {
  it("reports only the leaking pairs, in order", () => {
    const leaks = scanVariables(
      ["NODE_ENV=production", "DB_PASSWORD=hunter2", "EMPTY", "URL=a=b"].map(splitEnvEntry),
      "environment",
    );
    expect(leaks.map((l) => l.name)).toEqual(["DB_PASSWORD"]);
  });

  it("splits on the first '=' only; a bare name has an empty value", () => {
    expect(splitEnvEntry("URL=a=b")).toEqual({ name: "URL", value: "a=b" });
    expect(splitEnvEntry("EMPTY")).toEqual({ name: "EMPTY", value: "" });
  });
});

describe("scanText", () => {
  it("finds assignments with secret names and credentials in a history line", () => {
    const leaks = scanText("/bin/sh -c #(nop)  ENV DB_PASSWORD=hunter2 LOG_LEVEL=info", "history[2]");
    expect(leaks).toEqual([
      {
        location: "history[2]",
        name: "DB_PASSWORD",
        reason: "secret-like name with a value",
        valueLength: 7,
      },
    ]);
  });

  it("reports a credential once for the whole line, not again for its assignment", () => {
    const leaks = scanText(`RUN UPSTREAM=${AKIA} ./sync.sh`, "history[0]");
    expect(leaks).toEqual([
      { location: "history[0]", reason: "contains an AWS access key id", valueLength: expect.any(Number) },
    ]);
  });

  it("quoted values are unquoted before they are judged", () => {
    expect(scanText(`ENV API_TOKEN="\${API_TOKEN}"`, "history[1]")).toEqual([]);
    expect(scanText(`ENV API_TOKEN='tok_7Hq2Wm9Xc4Vb1Nz8Lp3Kd6'`, "history[1]")[0]?.reason).toBe(
      "secret-like name with a random-looking value",
    );
  });
});
