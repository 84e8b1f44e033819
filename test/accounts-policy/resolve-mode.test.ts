import { describe, expect, it } from "vitest";
import {
  resolveMode,
  resolveModeWithSource,
  matchLevel,
  namesOrganizationalUnits,
} from "../../shared/config/accounts";
import { ConfigError, parseConfig } from "../../shared/config/load";
import type { VigilConfigInput } from "../../shared/config/schema";

const MEMBER = "222233334444";
const OTHER = "555566667777";
const TEAM_OU = "ou-ab12-team0001"; // the account's own OU
const WORKLOADS_OU = "ou-ab12-wkld0001"; // TEAM_OU's parent
const SANDBOX_OU = "ou-ab12-sbox0001"; // elsewhere in the tree
const inTree = { account: MEMBER, organizationalUnits: [TEAM_OU, WORKLOADS_OU] };

const mode = (
  input: VigilConfigInput,
  scope: Parameters<typeof resolveMode>[3] = inTree,
  checkId = "EC2.19",
) => resolveMode(parseConfig(input), checkId, "auto", scope);

describe("resolveMode precedence", () => {
  it("without entries: top-level modes, else the check's default", () => {
    expect(mode({})).toBe("auto");
    expect(mode({ modes: { "EC2.19": "dry-run" } })).toBe("dry-run");
  });

  it("an entry naming the account beats entries reaching it through an OU, whatever the order", () => {
    const accounts = [
      { accounts: [MEMBER], modeOverride: "dry-run" as const },
      { organizationalUnits: [TEAM_OU], modeOverride: "off" as const },
    ];
    expect(mode({ accounts })).toBe("dry-run");
    expect(mode({ accounts: [...accounts].reverse() })).toBe("dry-run");
  });

  it("the OU nearest the account beats its ancestors, whatever the order", () => {
    const accounts = [
      { organizationalUnits: [TEAM_OU], modes: { "EC2.19": "auto" as const } },
      { organizationalUnits: [WORKLOADS_OU], modeOverride: "off" as const },
    ];
    expect(mode({ modes: { "EC2.19": "dry-run" }, accounts })).toBe("auto");
    expect(mode({ modes: { "EC2.19": "dry-run" }, accounts: [...accounts].reverse() })).toBe("auto");
  });

  it("among entries of the same level the later one wins; an entry's modes only touch the checks listed", () => {
    const accounts = [
      { organizationalUnits: [WORKLOADS_OU], modeOverride: "off" as const },
      { organizationalUnits: [WORKLOADS_OU], modes: { "EC2.13": "auto" as const } },
    ];
    expect(mode({ accounts }, inTree, "EC2.19")).toBe("off");
    expect(mode({ accounts }, inTree, "EC2.13")).toBe("auto");
  });

  it("top-level modeOverride (the CLI's --mode, a report-only sweep) beats every entry", () => {
    expect(mode({ modeOverride: "dry-run", accounts: [{ accounts: [MEMBER], modeOverride: "auto" }] })).toBe(
      "dry-run",
    );
  });

  it("entries for other accounts and OUs, or OUs not yet known, change nothing", () => {
    const accounts = [
      { accounts: [OTHER], modeOverride: "off" as const },
      { organizationalUnits: [SANDBOX_OU], modeOverride: "off" as const },
      { organizationalUnits: [TEAM_OU], modeOverride: "off" as const },
    ];
    expect(mode({ accounts }, { account: MEMBER, organizationalUnits: [WORKLOADS_OU] })).toBe("auto");
    expect(mode({ accounts }, { account: MEMBER })).toBe("auto");
    expect(resolveMode(parseConfig({ accounts }), "EC2.19", "auto", undefined)).toBe("auto");
  });

  it("says which entry decided the mode, with its reason", () => {
    const config = parseConfig({
      modes: { "EC2.13": "dry-run" },
      accounts: [
        { organizationalUnits: [WORKLOADS_OU], modeOverride: "off", reason: "workloads: report only" },
        { accounts: [MEMBER], modes: { "EC2.19": "auto" } },
      ],
    });
    expect(resolveModeWithSource(config, "EC2.13", "auto", inTree)).toEqual({
      mode: "off",
      source: `set for OU ${WORKLOADS_OU}: workloads: report only`,
    });
    expect(resolveModeWithSource(config, "EC2.19", "dry-run", inTree)).toEqual({
      mode: "auto",
      source: `set for account ${MEMBER}`,
    });
    expect(resolveModeWithSource(config, "EC2.13", "auto", { account: MEMBER })).toEqual({ mode: "dry-run" });
  });

  it("matchLevel ranks the account above the nearest OU above farther OUs", () => {
    expect(matchLevel({ accounts: [MEMBER] }, inTree)).toBe(3);
    expect(matchLevel({ organizationalUnits: [TEAM_OU] }, inTree)).toBe(2);
    expect(matchLevel({ organizationalUnits: [WORKLOADS_OU, SANDBOX_OU] }, inTree)).toBe(1);
    expect(matchLevel({ organizationalUnits: [SANDBOX_OU] }, inTree)).toBeUndefined();
  });

  it("knows when the config names an OU at all", () => {
    expect(
      namesOrganizationalUnits(parseConfig({ accounts: [{ accounts: [MEMBER], modeOverride: "off" }] })),
    ).toBe(false);
    expect(
      namesOrganizationalUnits(
        parseConfig({ exemptions: [{ checks: "*", organizationalUnits: [SANDBOX_OU], reason: "sandbox" }] }),
      ),
    ).toBe(true);
  });
});

describe("accounts entries are validated", () => {
  const problems = (input: unknown) => {
    try {
      parseConfig(input, "configuration file vigil.config.json");
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error("expected a ConfigError");
  };

  it("names each bad path: selector, mode, OU id, both modes and modeOverride", () => {
    const message = problems({
      accounts: [
        { modeOverride: "off" },
        { accounts: [MEMBER] },
        { organizationalUnits: ["sandbox"], modeOverride: "off" },
        { accounts: [MEMBER], modes: { "EC2.19": "off" }, modeOverride: "auto" },
        { accounts: [MEMBER], modeOverride: "sometimes" },
      ],
    });
    expect(message).toMatch(/^Invalid Vigil configuration file vigil.config.json:/);
    expect(message).toContain("name the accounts or organizationalUnits it applies to");
    expect(message).toMatch(/→ at accounts\[0\]/);
    expect(message).toContain("set modes or modeOverride");
    expect(message).toMatch(/→ at accounts\[1\]/);
    expect(message).toMatch(/organizational unit id like[\s\S]*→ at accounts\[2\]\.organizationalUnits\[0\]/);
    expect(message).toMatch(/not both[\s\S]*→ at accounts\[3\]\.modeOverride/);
    expect(message).toMatch(/→ at accounts\[4\]\.modeOverride/);
  });

  it("rejects an unknown check id in an entry's modes (a typo would silently keep the default)", () => {
    const message = problems({ accounts: [{ accounts: [MEMBER], modes: { "EC2.999": "off" } }] });
    expect(message).toMatch(/unknown check id "EC2.999"[\s\S]*→ at accounts\[0\]\.modes\["EC2.999"\]/);
  });

  it("exemptions take organizationalUnits, validated as OU ids", () => {
    expect(
      parseConfig({ exemptions: [{ checks: "*", organizationalUnits: [SANDBOX_OU], reason: "sandbox" }] })
        .exemptions[0],
    ).toMatchObject({ organizationalUnits: [SANDBOX_OU] });
    expect(
      problems({ exemptions: [{ checks: "*", organizationalUnits: ["r-ab12"], reason: "the root" }] }),
    ).toMatch(/→ at exemptions\[0\]\.organizationalUnits\[0\]/);
  });
});
