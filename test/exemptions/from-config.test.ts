import { describe, expect, it } from "vitest";
import { parseConfig } from "../../shared/config/load";
import type { ConfigExemption } from "../../shared/config/schema";
import type { ResourceRef } from "../../shared/core/resource";
import { configExemption } from "../../shared/exemptions/from-config";

const NOW = new Date("2025-06-15T12:00:00.000Z");
const SG: ResourceRef = {
  type: "AWS::EC2::SecurityGroup",
  id: "sg-0c1d2e3f4a5b6c7d8",
  arn: "arn:aws:ec2:us-east-1:111122223333:security-group/sg-0c1d2e3f4a5b6c7d8",
  account: "111122223333",
  region: "us-east-1",
  name: "ops-bastion",
};

/** Entries go through the real schema, as they would from VIGIL_CONFIG. */
function entries(...exemptions: unknown[]): ConfigExemption[] {
  return parseConfig({ exemptions }).exemptions;
}

const exempt = (
  list: ConfigExemption[],
  checkId = "EC2.13",
  /** `null`: the violation carries no CIDR. */
  cidr: string | null = "0.0.0.0/0",
  resource: ResourceRef = SG,
  now = NOW,
) => configExemption(list, checkId, resource, cidr ?? undefined, now);

describe("configExemption", () => {
  it("is undefined without entries", () => {
    expect(exempt([])).toBeUndefined();
  });

  it('checks "*" exempts every check', () => {
    const list = entries({ checks: "*", reason: "sandbox account" });
    for (const id of ["EC2.13", "EC2.19", "EC2.18"]) {
      expect(exempt(list, id)).toEqual({
        source: "config",
        matched: "config exemption for *",
        reason: "sandbox account",
      });
    }
  });

  it("a check list exempts only the listed checks (exact ids)", () => {
    const list = entries({ checks: ["EC2.13", "EC2.19"], reason: "bastion" });
    expect(exempt(list, "EC2.13")).toEqual({
      source: "config",
      matched: "config exemption for EC2.13,EC2.19",
      reason: "bastion",
    });
    expect(exempt(list, "EC2.19")?.matched).toBe("config exemption for EC2.13,EC2.19");
    expect(exempt(list, "EC2.14")).toBeUndefined();
    expect(exempt(list, "EC2.1")).toBeUndefined();
  });

  it("matches accounts", () => {
    const list = entries({ checks: "*", accounts: ["111122223333", "444455556666"], reason: "r" });
    expect(exempt(list)?.source).toBe("config");
    expect(exempt(list, "EC2.13", "0.0.0.0/0", { ...SG, account: "999988887777" })).toBeUndefined();
  });

  it("matches regions", () => {
    const list = entries({ checks: "*", regions: ["eu-west-1", "us-east-1"], reason: "r" });
    expect(exempt(list)?.source).toBe("config");
    expect(exempt(list, "EC2.13", "0.0.0.0/0", { ...SG, region: "us-west-2" })).toBeUndefined();
  });

  it("matches resource ids", () => {
    const list = entries({ checks: "*", resourceIds: ["sg-0c1d2e3f4a5b6c7d8"], reason: "r" });
    expect(exempt(list)?.source).toBe("config");
    expect(exempt(list, "EC2.13", "0.0.0.0/0", { ...SG, id: "sg-0000000000000000f" })).toBeUndefined();
  });

  describe("cidrs", () => {
    it("matches the violation's network when an allowed CIDR contains it", () => {
      const world = entries({ checks: "*", cidrs: ["0.0.0.0/0"], reason: "public by design" });
      expect(exempt(world, "EC2.18", "0.0.0.0/0")?.reason).toBe("public by design");
      expect(exempt(world, "EC2.18", "::/0")).toBeUndefined();

      const v6 = entries({ checks: "*", cidrs: ["::/0"], reason: "v6" });
      expect(exempt(v6, "EC2.18", "::/0")?.reason).toBe("v6");
      expect(exempt(v6, "EC2.18", "0.0.0.0/0")).toBeUndefined();
    });

    it("compares normalised networks: non-canonical text and contained sub-networks match", () => {
      const noncanonical = entries({ checks: "*", cidrs: ["10.0.0.0/0"], reason: "r" });
      expect(exempt(noncanonical, "EC2.18", "0.0.0.0/0")?.source).toBe("config");

      const corp = entries({ checks: "*", cidrs: ["10.0.0.0/8", "2001:db8::/32"], reason: "corp" });
      expect(exempt(corp, "EC2.18", "10.20.0.0/16")?.reason).toBe("corp");
      expect(exempt(corp, "EC2.18", "10.20.30.40/32")?.reason).toBe("corp");
      expect(exempt(corp, "EC2.18", "2001:DB8:1::/48")?.reason).toBe("corp");
      expect(exempt(corp, "EC2.18", "11.0.0.0/16")).toBeUndefined();
      // A wider network is not inside a narrower allowed one.
      expect(exempt(corp, "EC2.18", "0.0.0.0/0")).toBeUndefined();
      expect(exempt(corp, "EC2.18", "10.0.0.0/7")).toBeUndefined();
    });

    it("an entry with cidrs never matches a violation without a CIDR", () => {
      const list = entries({ checks: "*", cidrs: ["0.0.0.0/0"], reason: "r" });
      expect(exempt(list, "EC2.13", null)).toBeUndefined();
    });

    it("an entry without cidrs matches any CIDR, or none", () => {
      const list = entries({ checks: "*", reason: "r" });
      expect(exempt(list, "EC2.13", null)?.source).toBe("config");
      expect(exempt(list, "EC2.13", "::/0")?.source).toBe("config");
    });
  });

  it("requires every selector an entry names to match", () => {
    const list = entries({
      checks: ["EC2.18"],
      accounts: ["111122223333"],
      regions: ["us-east-1"],
      resourceIds: ["sg-0c1d2e3f4a5b6c7d8"],
      cidrs: ["0.0.0.0/0"],
      reason: "public web",
    });
    expect(exempt(list, "EC2.18")).toEqual({
      source: "config",
      matched: "config exemption for EC2.18",
      reason: "public web",
    });
    expect(exempt(list, "EC2.19")).toBeUndefined();
    expect(exempt(list, "EC2.18", "::/0")).toBeUndefined();
    expect(exempt(list, "EC2.18", "0.0.0.0/0", { ...SG, account: "444455556666" })).toBeUndefined();
    expect(exempt(list, "EC2.18", "0.0.0.0/0", { ...SG, region: "eu-west-1" })).toBeUndefined();
    expect(exempt(list, "EC2.18", "0.0.0.0/0", { ...SG, id: "sg-0000000000000000f" })).toBeUndefined();
  });

  describe("until", () => {
    it("a future date keeps the entry and is carried", () => {
      const list = entries({ checks: "*", reason: "migration", until: "2025-06-15" });
      expect(exempt(list)).toEqual({
        source: "config",
        matched: "config exemption for *",
        reason: "migration",
        until: "2025-06-15",
      });
      expect(exempt(list, "EC2.13", "0.0.0.0/0", SG, new Date("2025-06-15T23:59:59.999Z"))?.until).toBe(
        "2025-06-15",
      );
    });

    it("an expired entry no longer counts", () => {
      expect(exempt(entries({ checks: "*", reason: "old", until: "2025-06-14" }))).toBeUndefined();
      expect(exempt(entries({ checks: "*", reason: "old", until: "2025-06-15T11:00:00Z" }))).toBeUndefined();
      const list = entries({ checks: "*", reason: "r", until: "2025-06-15" });
      expect(exempt(list, "EC2.13", "0.0.0.0/0", SG, new Date("2025-06-16T00:00:00.000Z"))).toBeUndefined();
    });

    it("skips expired and non-matching entries and returns the first that counts", () => {
      const list = entries(
        { checks: "*", reason: "expired", until: "2024-01-01" },
        { checks: ["EC2.19"], reason: "other check" },
        { checks: ["EC2.13"], regions: ["eu-west-1"], reason: "other region" },
        { checks: ["EC2.13"], reason: "first that counts", until: "2099-12-31" },
        { checks: "*", reason: "later" },
      );
      expect(exempt(list)).toEqual({
        source: "config",
        matched: "config exemption for EC2.13",
        reason: "first that counts",
        until: "2099-12-31",
      });
    });

    it("the schema refuses dates that do not exist", () => {
      expect(() => entries({ checks: "*", reason: "r", until: "2025-02-30" })).toThrow();
      expect(() => entries({ checks: "*", reason: "r", until: "31/12/2099" })).toThrow();
    });
  });

  it("the schema requires a reason and well-formed selectors", () => {
    expect(() => entries({ checks: "*" })).toThrow();
    expect(() => entries({ checks: [], reason: "r" })).toThrow();
    expect(() => entries({ checks: "*", accounts: ["1234"], reason: "r" })).toThrow();
    expect(() => entries({ checks: "*", reason: "r", resourceId: ["sg-1"] })).toThrow();
  });
});

describe("configExemption by organizational unit", () => {
  const TEAM_OU = "ou-ab12-team0001";
  const WORKLOADS_OU = "ou-ab12-wkld0001";
  const ancestry = [TEAM_OU, WORKLOADS_OU];
  const inUnits = (list: ConfigExemption[], units?: readonly string[]) =>
    configExemption(list, "EC2.13", SG, "0.0.0.0/0", NOW, units);

  it("covers every account below the OU, at any depth, and says which OU", () => {
    const list = entries({
      checks: ["EC2.13"],
      organizationalUnits: [WORKLOADS_OU],
      reason: "workloads reviewed",
    });
    expect(inUnits(list, ancestry)).toEqual({
      source: "config",
      matched: `config exemption for EC2.13 in ${WORKLOADS_OU}`,
      reason: "workloads reviewed",
    });
  });

  it("matches nothing while the OUs are unknown (not looked up, or the lookup failed)", () => {
    const list = entries({ checks: "*", organizationalUnits: [TEAM_OU], reason: "team" });
    expect(inUnits(list)).toBeUndefined();
    expect(inUnits(list, [])).toBeUndefined();
  });

  it("accounts and organizationalUnits together: either one matching is enough; other selectors still apply", () => {
    const list = entries({
      checks: "*",
      accounts: ["999988887777"],
      organizationalUnits: [TEAM_OU],
      regions: ["eu-west-1"],
      reason: "team in Ireland",
    });
    expect(inUnits(list, ancestry)).toBeUndefined(); // SG is in us-east-1
    const anyRegion = entries({
      checks: "*",
      accounts: [SG.account],
      organizationalUnits: [TEAM_OU],
      reason: "r",
    });
    expect(inUnits(anyRegion)?.matched).toBe("config exemption for *");
    expect(
      inUnits(entries({ checks: "*", organizationalUnits: ["ou-ab12-othr0001"], reason: "r" }), ancestry),
    ).toBe(undefined);
  });
});
