import { describe, expect, it } from "vitest";
import { isReadOnlyAction, organizationUnitsReadActions } from "../../infra/permissions";
import { parseConfig } from "../../shared/config/load";

describe("organizationUnitsReadActions", () => {
  it("grants nothing when no rule names an OU (accounts named directly need no lookup)", () => {
    expect(organizationUnitsReadActions(parseConfig({}))).toEqual([]);
    expect(
      organizationUnitsReadActions(
        parseConfig({
          accounts: [{ accounts: ["222233334444"], modeOverride: "off" }],
          exemptions: [{ checks: "*", accounts: ["222233334444"], reason: "sandbox account" }],
        }),
      ),
    ).toEqual([]);
  });

  it("grants organizations:ListParents, a read, when a mode entry or an exemption names an OU", () => {
    const byMode = parseConfig({
      accounts: [{ organizationalUnits: ["ou-ab12-sbox0001"], modeOverride: "off" }],
    });
    const byExemption = parseConfig({
      exemptions: [{ checks: ["EC2.19"], organizationalUnits: ["ou-ab12-sbox0001"], reason: "sandboxes" }],
    });
    for (const config of [byMode, byExemption]) {
      expect(organizationUnitsReadActions(config)).toEqual(["organizations:ListParents"]);
    }
    expect(isReadOnlyAction("organizations:ListParents")).toBe(true);
  });
});
