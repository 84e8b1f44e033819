import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { cloudTrailEventPattern, configEventPattern } from "../../infra/event-patterns";
import { checks } from "../../shared/checks/catalog";
import { matchesEventPattern } from "../support/event-pattern";
import { secretEvent } from "./support";

const REMEDIATION_ROLE = "arn:aws:iam::111122223333:role/vigil-remediation";
const FIXTURES = readdirSync(fileURLToPath(new URL("../../events/secretsmanager", import.meta.url)))
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.replace(/\.json$/, ""));

/** Whether the deployed rules (derived from the catalog) deliver the event to Vigil at all. */
function delivered(event: unknown): boolean {
  const rules = [cloudTrailEventPattern(checks, [REMEDIATION_ROLE]), configEventPattern(checks)];
  return rules.some((rule) => rule !== undefined && matchesEventPattern(rule, event));
}

describe("Secrets Manager events reach Vigil through the catalog's rules", () => {
  it.each(FIXTURES)("%s is delivered", (name) => {
    expect(delivered(secretEvent(name))).toBe(true);
  });

  it("rotation events come as 'AWS Service Event via CloudTrail' and are delivered as such", () => {
    expect(secretEvent("rotation-failed")["detail-type"]).toBe("AWS Service Event via CloudTrail");
    const asApiCall = { ...secretEvent("rotation-failed"), "detail-type": "AWS API Call via CloudTrail" };
    expect(delivered(asApiCall)).toBe(true);
  });

  it("calls that change nothing the checks read are not delivered", () => {
    const event = secretEvent("create-secret");
    (event.detail as { eventName: string }).eventName = "GetSecretValue";
    expect(delivered(event)).toBe(false);
  });
});
