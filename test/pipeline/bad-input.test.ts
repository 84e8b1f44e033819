import { afterEach, describe, expect, it } from "vitest";
import { processEvent } from "../../shared/pipeline/process-event";
import { sg } from "../support/events";
import { testRuntime, type TestRuntime } from "../support/runtime";

describe("bad and extreme input", () => {
  let t: TestRuntime;
  afterEach(() => t.close());

  it("evaluates a huge group (60 permissions x 40 CIDRs) and stores its findings within DynamoDB's item limit", async () => {
    t = await testRuntime({ config: { modeOverride: "dry-run" } });
    const event = sg("config-item-world-open-ssh-and-rdp");
    const item = event.detail.configurationItem as { configuration: { ipPermissions: unknown[] } };
    item.configuration.ipPermissions = Array.from({ length: 60 }, (_, p) => ({
      ipProtocol: "tcp",
      fromPort: 1000 + p,
      toPort: 1000 + p,
      ipv4Ranges: [
        { cidrIp: "0.0.0.0/0", description: "x".repeat(200) },
        ...Array.from({ length: 39 }, (_, c) => ({
          cidrIp: `10.${p}.${c}.0/24`,
          description: `partner ${c}`,
        })),
      ],
      ipv6Ranges: [],
      prefixListIds: [],
      userIdGroupPairs: [],
    }));
    const report = await processEvent(event, t.runtime);
    expect(report.resources[0]?.findings.map((f) => f.checkId)).toEqual(["EC2.18"]);
    const [finding] = await t.runtime.store.list();
    expect(finding?.evidence).toHaveLength(60);
    expect(finding?.remediation?.action.split("; ")).toHaveLength(60);
  });

  it("survives an oversized, deeply nested payload without remediating", async () => {
    t = await testRuntime();
    const event = sg("authorize-ssh-single-host-compliant");
    (event.detail as Record<string, unknown>).additionalEventData = { blob: "y".repeat(2_000_000) };
    const report = await processEvent(event, t.runtime);
    expect(report.outcome).toBe("processed");
    expect(t.ec2.calls()).toHaveLength(0);
  });

  it.each([
    ["a string port", { fromPort: "22", toPort: "22" }, "processed"],
    ["a missing protocol", { ipProtocol: undefined }, "invalid"],
    // The request still says what was opened: evaluate that rather than drop the event.
    ["a rule set that is not a list", "nonsense", "processed"],
  ])("handles a response rule with %s", async (_name, change, outcome) => {
    t = await testRuntime({ config: { modeOverride: "dry-run" } });
    const event = sg("authorize-ssh-world-ipv4");
    const response = event.detail.responseElements as {
      securityGroupRuleSet: { items: Record<string, unknown>[] } | string;
    };
    if (typeof change === "string") response.securityGroupRuleSet = change;
    else if (typeof response.securityGroupRuleSet === "object")
      Object.assign(response.securityGroupRuleSet.items[0] ?? {}, change);
    const report = await processEvent(event, t.runtime);
    expect(report.outcome).toBe(outcome);
    if (outcome === "invalid") expect(await t.runtime.store.list()).toEqual([]);
  });
});

describe("bad configuration at Lambda start", () => {
  it("fails the function's init with a readable message", async () => {
    const saved = process.env.VIGIL_CONFIG;
    try {
      const { eventHandler } = await import("../../shared/pipeline/lambda");
      process.env.VIGIL_CONFIG = JSON.stringify({ minNotifySeverity: "URGENT" });
      expect(() => eventHandler("test")).toThrow(
        /Invalid Vigil configuration \(VIGIL_CONFIG\)[\s\S]*minNotifySeverity/,
      );
      process.env.VIGIL_CONFIG = JSON.stringify({ modes: { "EC2.99": "auto" } });
      expect(() => eventHandler("test")).toThrow(/unknown check id "EC2\.99"/);
      process.env.VIGIL_CONFIG = "{not json";
      expect(() => eventHandler("test")).toThrow(/VIGIL_CONFIG is not valid JSON/);
    } finally {
      if (saved === undefined) delete process.env.VIGIL_CONFIG;
      else process.env.VIGIL_CONFIG = saved;
    }
  });
});
