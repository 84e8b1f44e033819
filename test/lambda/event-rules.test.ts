import { describe, expect, it } from "vitest";
import { cloudTrailEventPattern, configEventPattern } from "../../infra/event-patterns";
import { checks } from "../../shared/checks/catalog";
import { matchesEventPattern } from "../support/event-pattern";
import { lambdaEvent } from "./support";

const REMEDIATION_ROLE = "arn:aws:iam::111122223333:role/vigil-remediation";

/** Whether the deployed rules (derived from the catalog) deliver the event to Vigil at all. */
function delivered(event: unknown): boolean {
  const rules = [cloudTrailEventPattern(checks, [REMEDIATION_ROLE]), configEventPattern(checks)];
  return rules.some((rule) => rule !== undefined && matchesEventPattern(rule, event));
}

describe("Lambda events reach Vigil through the catalog's rules", () => {
  it.each([
    "create-function",
    "update-function-configuration",
    "delete-function",
    "delete-function-version",
    "update-function-configuration-no-function-name",
  ])("%s is delivered", (name) => {
    expect(delivered(lambdaEvent(name))).toBe(true);
  });

  it("a failed call is not delivered; nor are Lambda Config items (they carry no environment)", () => {
    expect(delivered(lambdaEvent("create-function-failed-ignored"))).toBe(false);
    expect(delivered(lambdaEvent("config-item-function"))).toBe(false);
  });
});
