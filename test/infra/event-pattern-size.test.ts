import { Template } from "aws-cdk-lib/assertions";
import { afterAll, describe, expect, it } from "vitest";
import { EVENT_PATTERN_MAX_CHARS } from "../../infra/forwarded-events";
import { ACCOUNT, removeMultiRegionOutputs, rulesOf, synthWith } from "./multi-region-synth";

afterAll(removeMultiRegionOutputs);

const HOME = "eu-west-1";

/**
 * EventBridge rejects a rule whose pattern is over 2,048 characters (the default quota; raising it
 * takes a request per account and Region), which `cdk synth` doesn't catch: the deploy would fail.
 * Measured on the patterns as deployed (tokens resolved), in every stack the app makes.
 */
describe("every EventBridge rule fits the default event pattern size quota", () => {
  it.each([
    ["one account and Region", {}],
    [
      "organisation mode with forwarding Regions",
      {
        forwarding: { regions: ["eu-central-1", "us-east-1"] },
        organization: {
          enabled: true,
          organizationId: "o-a1b2c3d4e5",
          organizationalUnits: ["ou-ab12-cdef3456"],
          externalId: "vigil-member-external-id",
        },
      },
    ],
  ])(
    "%s",
    (_name, config) => {
      const synth = synthWith(config, { account: ACCOUNT, region: HOME });
      // The home stack is checked for cyclic references here too: CloudFormation refuses them at deploy.
      const templates = [Template.fromStack(synth.home), ...synth.templates.values()];
      const rules = templates.flatMap((template) => rulesOf(template, ACCOUNT, HOME));
      expect(rules.filter((rule) => rule.id.startsWith("CloudTrailRule")).length).toBeGreaterThan(1);
      for (const rule of rules) {
        expect(JSON.stringify(rule.pattern).length, rule.id).toBeLessThanOrEqual(EVENT_PATTERN_MAX_CHARS);
      }
    },
    120_000,
  );
});
