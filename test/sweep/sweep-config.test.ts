import { describe, expect, it } from "vitest";
import { parseConfig } from "../../shared/config/load";
import { sweepRuntimeConfig } from "../../shared/config/sweep";
import { modeFor } from "../../shared/pipeline/evaluate";
import { checkById } from "../../shared/checks/catalog";

describe("the sweep's remediation switch", () => {
  const ssh = checkById("EC2.13");

  it("by default the sweep remediates in the checks' modes, as events do", () => {
    const config = sweepRuntimeConfig(parseConfig({}));
    expect(config.sweep.remediate).toBe(true);
    expect(ssh && modeFor(ssh, config)).toBe("auto");
  });

  it("sweep.remediate false turns every mode off for the sweep only, whatever the configured modes", () => {
    const configured = parseConfig({ sweep: { remediate: false }, modes: { "EC2.13": "auto" } });
    expect(ssh && modeFor(ssh, sweepRuntimeConfig(configured))).toBe("off");
    expect(ssh && modeFor(ssh, configured)).toBe("auto"); // the event path keeps its mode
  });
});
