import { describe, expect, it } from "vitest";
import { parseConfig } from "../../shared/config/load";
import { tagExemption } from "../../shared/exemptions/from-tags";
import { stateFrom } from "../checks/fixtures";

const KEY = "vigil:exempt";
const NOW = new Date("2025-06-15T12:00:00.000Z");
const exempt = (tags: Record<string, string> | undefined, checkId: string, key = KEY, now = NOW) =>
  tagExemption(tags, checkId, key, now);

describe("tagExemption", () => {
  it("uses vigil:exempt as the default tag key", () => {
    expect(parseConfig({}).exemptionTagKey).toBe(KEY);
  });

  it("is undefined without tags or without the key", () => {
    expect(exempt(undefined, "EC2.13")).toBeUndefined();
    expect(exempt({}, "EC2.13")).toBeUndefined();
    expect(exempt({ team: "platform", "vigil:exempt-reason": "x" }, "EC2.13")).toBeUndefined();
  });

  it("`*` exempts every check", () => {
    for (const id of ["EC2.13", "EC2.19", "EC2.18", "VIGIL.IAM.1"]) {
      expect(exempt({ [KEY]: "*" }, id)).toEqual({ source: "tag", matched: "vigil:exempt=*" });
    }
  });

  it("a list exempts only the checks it names", () => {
    const tags = { [KEY]: "EC2.13,EC2.19" };
    expect(exempt(tags, "EC2.13")).toEqual({ source: "tag", matched: "vigil:exempt=EC2.13,EC2.19" });
    expect(exempt(tags, "EC2.19")).toEqual({ source: "tag", matched: "vigil:exempt=EC2.13,EC2.19" });
    expect(exempt(tags, "EC2.14")).toBeUndefined();
    expect(exempt(tags, "EC2.1")).toBeUndefined();
    expect(exempt({ [KEY]: "EC2.1" }, "EC2.13")).toBeUndefined();
    expect(exempt({ [KEY]: "EC2.13" }, "EC2.1")).toBeUndefined();
  });

  it.each([
    "EC2.13 EC2.19",
    "EC2.13, EC2.19",
    " EC2.13 ,\tEC2.19 ",
    "EC2.13\nEC2.19",
    "EC2.13,,EC2.19,",
    "EC2.53 EC2.13,EC2.19 *x",
  ])("accepts comma and/or whitespace separated ids (%j)", (value) => {
    expect(exempt({ [KEY]: value }, "EC2.13")?.matched).toBe(`vigil:exempt=${value}`);
    expect(exempt({ [KEY]: value }, "EC2.19")?.source).toBe("tag");
    expect(exempt({ [KEY]: value }, "EC2.14")).toBeUndefined();
  });

  it("compares check ids case-insensitively", () => {
    expect(exempt({ [KEY]: "ec2.13" }, "EC2.13")?.source).toBe("tag");
    expect(exempt({ [KEY]: "Ec2.19 eC2.54" }, "EC2.54")?.source).toBe("tag");
    expect(exempt({ [KEY]: "EC2.13" }, "ec2.13")?.source).toBe("tag");
  });

  it.each(["", " ", ",", " , ,", "none", "false"])("exempts nothing for the value %j", (value) => {
    expect(exempt({ [KEY]: value }, "EC2.13")).toBeUndefined();
  });

  it("carries the reason and the until date", () => {
    expect(
      exempt(
        {
          [KEY]: "EC2.13,EC2.19,EC2.53,EC2.18",
          "vigil:exempt-reason": "partner SFTP, ticket SEC-1422",
          "vigil:exempt-until": "2099-12-31",
        },
        "EC2.53",
      ),
    ).toEqual({
      source: "tag",
      matched: "vigil:exempt=EC2.13,EC2.19,EC2.53,EC2.18",
      reason: "partner SFTP, ticket SEC-1422",
      until: "2099-12-31",
    });
    expect(exempt({ [KEY]: "*", "vigil:exempt-reason": "" }, "EC2.13")).toEqual({
      source: "tag",
      matched: "vigil:exempt=*",
    });
  });

  describe("-until", () => {
    const withUntil = (until: string) => ({ [KEY]: "*", "vigil:exempt-until": until });

    it("a future date keeps the exemption", () => {
      expect(exempt(withUntil("2025-06-16"), "EC2.13")).toEqual({
        source: "tag",
        matched: "vigil:exempt=*",
        until: "2025-06-16",
      });
      expect(exempt(withUntil("2025-06-15T12:30:00Z"), "EC2.13")?.until).toBe("2025-06-15T12:30:00Z");
    });

    it("a past date ends it", () => {
      expect(exempt(withUntil("2025-06-14"), "EC2.13")).toBeUndefined();
      expect(exempt(withUntil("2025-06-15T11:59:59Z"), "EC2.13")).toBeUndefined();
    });

    it("a date-only value lasts until the end of that day (UTC)", () => {
      expect(
        exempt(withUntil("2025-06-15"), "EC2.13", KEY, new Date("2025-06-15T23:59:59.999Z"))?.until,
      ).toBe("2025-06-15");
      expect(
        exempt(withUntil("2025-06-15"), "EC2.13", KEY, new Date("2025-06-16T00:00:00.000Z")),
      ).toBeUndefined();
    });

    it.each(["someday", "2025-13-01", "31/12/2099", "2099-02-30"])(
      "an unparseable date (%j) means not exempt",
      (until) => {
        expect(exempt(withUntil(until), "EC2.13")).toBeUndefined();
      },
    );

    it("an impossible day does not roll over into the next month", () => {
      // 2025-02-30 must not be read as 2025-03-02.
      expect(
        exempt(withUntil("2025-02-30"), "EC2.13", KEY, new Date("2025-03-01T12:00:00Z")),
      ).toBeUndefined();
    });
  });

  describe("custom tag key", () => {
    const key = "security/exempt";

    it("reads the id list, -until and -reason under the custom key", () => {
      const tags = {
        [key]: "EC2.18",
        "security/exempt-reason": "public web tier",
        "security/exempt-until": "2099-01-01",
        [KEY]: "*",
        "vigil:exempt-until": "2000-01-01",
      };
      expect(exempt(tags, "EC2.18", key)).toEqual({
        source: "tag",
        matched: "security/exempt=EC2.18",
        reason: "public web tier",
        until: "2099-01-01",
      });
      expect(exempt(tags, "EC2.19", key)).toBeUndefined();
    });

    it("ignores the default key when a custom key is configured", () => {
      expect(exempt({ [KEY]: "*" }, "EC2.13", key)).toBeUndefined();
      expect(parseConfig({ exemptionTagKey: key }).exemptionTagKey).toBe(key);
    });

    it("applies the custom key's -until, not the default key's", () => {
      expect(exempt({ [key]: "*", "security/exempt-until": "2000-01-01" }, "EC2.13", key)).toBeUndefined();
      expect(exempt({ [key]: "*", "vigil:exempt-until": "2000-01-01" }, "EC2.13", key)).toEqual({
        source: "tag",
        matched: "security/exempt=*",
      });
    });

    it("tag keys are case-sensitive, like AWS tags", () => {
      expect(exempt({ "Vigil:Exempt": "*" }, "EC2.13")).toBeUndefined();
    });
  });
});

describe("tagExemption on a real-shape Config item", () => {
  it("exempts the checks the group's tag lists, with its reason and until, and no others", () => {
    const tags = stateFrom("config-item-exempt-by-tag.json").tags;
    const expected = {
      source: "tag",
      matched: "vigil:exempt=EC2.13,EC2.19,EC2.53,EC2.18",
      reason: "partner SFTP, ticket SEC-1422",
      until: "2099-12-31",
    };
    for (const id of ["EC2.13", "EC2.19", "EC2.53", "EC2.18"]) expect(exempt(tags, id)).toEqual(expected);
    expect(exempt(tags, "EC2.14")).toBeUndefined();
    expect(exempt(tags, "EC2.54")).toBeUndefined();
    // The same tags after their until date grant nothing.
    expect(exempt(tags, "EC2.13", KEY, new Date("2100-01-01T00:00:00Z"))).toBeUndefined();
  });
});
