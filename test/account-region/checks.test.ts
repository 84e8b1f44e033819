import { describe, expect, it } from "vitest";
import cloudTrail1 from "../../shared/checks/account-region/cloudtrail-1-multi-region-trail";
import config1 from "../../shared/checks/account-region/config-1-recording";
import guardDuty1 from "../../shared/checks/account-region/guardduty-1-enabled";
import { checkById } from "../../shared/checks/catalog";
import type { CheckDefinition } from "../../shared/checks/define";
import type { AccountRegionState } from "../../shared/resources/account-region/state";
import { ACCOUNT, config, healthy, trail } from "./support";

type Check = CheckDefinition<"AWS::::AccountRegion">;

/** What the pipeline would conclude: undecided (reason), or the violations. */
function verdict(check: Check, state: AccountRegionState) {
  const undecided = check.undecided?.(state, { config });
  if (undecided) return { undecided };
  return { violations: check.evaluate(state, { config }) };
}

describe("Region-wide checks are registered, sweep-only, and say they don't remediate", () => {
  it.each([
    ["CloudTrail.1", "HIGH", ["FSBP CloudTrail.1", "CIS 3.1"]],
    ["GuardDuty.1", "HIGH", ["FSBP GuardDuty.1"]],
    ["Config.1", "CRITICAL", ["FSBP Config.1", "CIS 3.3"]],
  ] as const)("%s: %s, %j", (id, severity, controls) => {
    const check = checkById(id);
    expect(check).toMatchObject({ severity, controls, resourceType: "AWS::::AccountRegion" });
    expect(check?.triggers).toEqual({ cloudTrail: [], config: [] });
    expect(check?.remediation).toBeUndefined();
    expect(check?.description).toMatch(/doesn't remediate/);
  });
});

describe("CloudTrail.1", () => {
  it("passes with one logging multi-Region trail recording read and write management events", () => {
    expect(verdict(cloudTrail1, healthy())).toEqual({ violations: [] });
  });

  it("passes when one trail counts although others don't", () => {
    const state = healthy({
      cloudTrail: {
        trails: [trail({ name: "local", multiRegion: false, homeRegion: "eu-west-1" }), trail()],
      },
    });
    expect(verdict(cloudTrail1, state)).toEqual({ violations: [] });
  });

  it("fails with no trail at all", () => {
    const { violations } = verdict(cloudTrail1, healthy({ cloudTrail: { trails: [] } }));
    expect(violations).toEqual([
      { summary: "No CloudTrail trail covers eu-west-1", evidence: { region: "eu-west-1", trails: [] } },
    ]);
  });

  it("fails naming each trail and why it doesn't count", () => {
    const state = healthy({
      cloudTrail: {
        trails: [
          trail({ name: "single", multiRegion: false, homeRegion: "eu-west-1" }),
          trail({ name: "stopped", logging: false }),
          trail({ name: "writes", managementEvents: "write-only" }),
          trail({ name: "data-only", managementEvents: "none", organizationTrail: true }),
        ],
      },
    });
    const { violations } = verdict(cloudTrail1, state);
    expect(violations).toHaveLength(1);
    expect(violations?.[0]?.summary).toContain("4 trail(s) seen, none counts");
    expect(violations?.[0]?.evidence).toEqual({
      region: "eu-west-1",
      trails: [
        expect.objectContaining({ name: "single", whyItDoesNotCount: ["single-Region trail"] }),
        expect.objectContaining({ name: "stopped", logging: false, whyItDoesNotCount: ["not logging"] }),
        expect.objectContaining({
          name: "writes",
          whyItDoesNotCount: ["records write management events only"],
        }),
        expect.objectContaining({
          name: "data-only",
          organizationTrail: true,
          whyItDoesNotCount: ["records no management events"],
        }),
      ],
    });
  });

  it("is undecided when the trails can't be listed", () => {
    expect(verdict(cloudTrail1, healthy({ cloudTrail: "unknown" }))).toEqual({
      undecided: expect.stringContaining("AccessDenied"),
    });
  });

  it("is undecided when the only trail that might count could not be read, decided once another counts", () => {
    const unread = trail({ name: "org-trail", logging: "unknown", managementEvents: "unknown" });
    expect(verdict(cloudTrail1, healthy({ cloudTrail: { trails: [unread] } }))).toEqual({
      undecided: expect.stringContaining("org-trail"),
    });
    expect(verdict(cloudTrail1, healthy({ cloudTrail: { trails: [unread, trail()] } }))).toEqual({
      violations: [],
    });
  });

  it("fails when the unread trail is single-Region anyway (a known reason it doesn't count)", () => {
    const unread = trail({
      name: "local",
      multiRegion: false,
      logging: "unknown",
      managementEvents: "unknown",
    });
    const { violations } = verdict(cloudTrail1, healthy({ cloudTrail: { trails: [unread] } }));
    expect(violations).toHaveLength(1);
  });
});

describe("GuardDuty.1", () => {
  it("passes with an enabled detector", () => {
    expect(verdict(guardDuty1, healthy())).toEqual({ violations: [] });
  });

  it("fails with no detector", () => {
    expect(verdict(guardDuty1, healthy({ guardDuty: { detectors: [] } }))).toEqual({
      violations: [
        {
          summary: "GuardDuty is not enabled in eu-west-1: no detector",
          evidence: { region: "eu-west-1", detectors: [] },
        },
      ],
    });
  });

  it("fails with a suspended detector, naming it and its status", () => {
    const state = healthy({ guardDuty: { detectors: [{ detectorId: "d-1", status: "DISABLED" }] } });
    expect(verdict(guardDuty1, state).violations).toEqual([
      {
        summary: "GuardDuty is not enabled in eu-west-1: detector d-1 is DISABLED",
        evidence: { region: "eu-west-1", detectors: [{ detectorId: "d-1", status: "DISABLED" }] },
      },
    ]);
  });

  it("is undecided when detectors can't be listed", () => {
    expect(verdict(guardDuty1, healthy({ guardDuty: "unknown" }))).toEqual({
      undecided: expect.stringContaining("AccessDenied"),
    });
  });
});

describe("Config.1", () => {
  const slr = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig`;

  it("passes with a recording recorder using the service-linked role", () => {
    expect(verdict(config1, healthy())).toEqual({ violations: [] });
  });

  it("fails with no recorder", () => {
    expect(verdict(config1, healthy({ config: { recorders: [] } }))).toEqual({
      violations: [
        {
          summary: "AWS Config is not enabled in eu-west-1: no configuration recorder",
          evidence: { region: "eu-west-1", recorders: [] },
        },
      ],
    });
  });

  it("fails with a stopped recorder, naming it", () => {
    const state = healthy({ config: { recorders: [{ name: "default", recording: false, roleArn: slr }] } });
    expect(verdict(config1, state).violations).toEqual([
      {
        summary: "AWS Config is not recording in eu-west-1: recorder default is stopped",
        evidence: { region: "eu-west-1", recorders: [{ name: "default", recording: false, roleArn: slr }] },
      },
    ]);
  });

  it("fails, milder, when recording with a custom role instead of the service-linked one", () => {
    const role = `arn:aws:iam::${ACCOUNT}:role/config-recorder`;
    const state = healthy({ config: { recorders: [{ name: "default", recording: true, roleArn: role }] } });
    const { violations } = verdict(config1, state);
    expect(violations).toEqual([
      expect.objectContaining({ severity: "MEDIUM", summary: expect.stringContaining(role) }),
    ]);
  });

  it("is undecided when recorders can't be read, or have no status yet", () => {
    expect(verdict(config1, healthy({ config: "unknown" }))).toEqual({
      undecided: expect.stringContaining("AccessDenied"),
    });
    expect(verdict(config1, healthy({ config: { recorders: [{ name: "default", roleArn: slr }] } }))).toEqual(
      {
        undecided: expect.stringContaining("no recording status"),
      },
    );
  });

  it("is undecided when only another service's service-linked recorder records", () => {
    const state = healthy({
      config: {
        recorders: [
          {
            name: "AWSConfigurationRecorderForSecurityHub",
            recording: true,
            servicePrincipal: "securityhub.amazonaws.com",
          },
        ],
      },
    });
    expect(verdict(config1, state)).toEqual({
      undecided: expect.stringContaining("service-linked recorder"),
    });
  });

  it("evaluate leaves the state it reads unchanged", () => {
    const state = healthy({
      config: { recorders: [] },
      guardDuty: { detectors: [] },
      cloudTrail: { trails: [] },
    });
    const before = structuredClone(state);
    for (const check of [cloudTrail1, guardDuty1, config1]) check.evaluate(state, { config });
    expect(state).toEqual(before);
  });
});
