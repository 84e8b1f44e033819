import { describe, expect, it } from "vitest";
import { isExpired } from "../../shared/exemptions/exemption";

const NOW = new Date("2025-06-15T12:00:00.000Z");

describe("isExpired", () => {
  it("never expires without a date", () => {
    expect(isExpired(undefined, NOW)).toBe(false);
    expect(isExpired("", NOW)).toBe(false);
  });

  it("a date-only value lasts until the end of that day (UTC)", () => {
    expect(isExpired("2025-06-15", NOW)).toBe(false);
    expect(isExpired("2025-06-15", new Date("2025-06-15T23:59:59.999Z"))).toBe(false);
    expect(isExpired("2025-06-15", new Date("2025-06-16T00:00:00.000Z"))).toBe(true);
    expect(isExpired("2025-06-14", NOW)).toBe(true);
    expect(isExpired("2025-06-16", NOW)).toBe(false);
    expect(isExpired("2099-12-31", NOW)).toBe(false);
    expect(isExpired("2000-01-01", NOW)).toBe(true);
  });

  it("a date-time value ends at that instant", () => {
    expect(isExpired("2025-06-15T11:59:59Z", NOW)).toBe(true);
    expect(isExpired("2025-06-15T12:00:00.000Z", NOW)).toBe(false);
    expect(isExpired("2025-06-15T12:00:01Z", NOW)).toBe(false);
    // 13:00 at +02:00 is 11:00 UTC: already past.
    expect(isExpired("2025-06-15T13:00:00+02:00", NOW)).toBe(true);
    expect(isExpired("2025-06-15T09:00:00-04:00", NOW)).toBe(false);
  });

  it.each([
    "garbage",
    "never",
    "tomorrow",
    "2025-13-01",
    "2025-00-10",
    "2025-06-32",
    "2025-06-15T25:00:00Z",
    "20250615",
  ])("an unreadable date (%j) counts as expired", (until) => {
    expect(isExpired(until, NOW)).toBe(true);
  });

  it.each(["2025-02-30", "2025-02-29", "2025-04-31", "2025-02-30T10:00:00Z"])(
    "an impossible calendar date (%j) counts as expired instead of rolling over into the next month",
    (until) => {
      // Date would read 2025-02-30 as 2025-03-02 and keep the exemption alive until then.
      expect(isExpired(until, new Date("2025-02-01T00:00:00Z"))).toBe(true);
    },
  );

  it("a real leap day is honoured", () => {
    expect(isExpired("2024-02-29", new Date("2024-02-29T18:00:00Z"))).toBe(false);
    expect(isExpired("2024-02-29", new Date("2024-03-01T00:00:00Z"))).toBe(true);
  });

  it.each(["06/02/2099", "Dec 31 2099", "31 December 2099", "2099"])(
    "a date not written YYYY-MM-DD[Thh:mm…] (%j) grants nothing, however far away it reads",
    (until) => {
      expect(isExpired(until, NOW)).toBe(true);
    },
  );
});
