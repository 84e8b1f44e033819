import { describe, expect, it } from "vitest";
import { networkPolicyOf } from "../../shared/resources/eks-cluster/network-policy";

describe("vpc-cni enableNetworkPolicy (pure)", () => {
  it.each([
    ['{"enableNetworkPolicy":"true"}', true],
    ['{"enableNetworkPolicy":true}', true],
    ['{"enableNetworkPolicy":"false"}', false],
    ['{"env":{"ENABLE_PREFIX_DELEGATION":"true"}}', false],
    ["{}", false],
    ["", false],
    ['enableNetworkPolicy: "true"\nnodeAgent:\n  enablePolicyEventLogs: "true"\n', true],
    ["enableNetworkPolicy: true # enforce policies\n", true],
    ["enableNetworkPolicy: 'false'\n", false],
    ['---\nenv:\n  WARM_IP_TARGET: "5"\n', false],
  ])("%j => %s", (text, expected) => {
    expect(networkPolicyOf(text)).toEqual({ networkPolicy: expected });
  });

  it("no configuration values at all are the add-on's default: off", () => {
    expect(networkPolicyOf(undefined)).toEqual({ networkPolicy: false });
    expect(networkPolicyOf(null)).toEqual({ networkPolicy: false });
  });

  it.each([
    ["HIDDEN_DUE_TO_SECURITY_REASONS", /CloudTrail hid/],
    ['{"enableNetworkPolicy":"yes"}', /other than true or false/],
    ['{"enableNetworkPolicy":null}', /other than true or false/],
    ['["enableNetworkPolicy"]', /not a JSON object/],
    ['nodeAgent:\n  enableNetworkPolicy: "true"\n', /not a single top-level key/],
    ['{enableNetworkPolicy: "true"}', /not a single top-level key/],
    ["enableNetworkPolicy:\n  value: true\n", /other than true or false/],
  ])("unreadable, never guessed: %j", (text, why) => {
    expect(networkPolicyOf(text)).toEqual({ unreadable: expect.stringMatching(why) });
  });

  it("the reason never repeats what the configuration says (it may hold credentials)", () => {
    const setting = networkPolicyOf('{"enableNetworkPolicy":"s3cr3t-t0ken"}');
    expect(JSON.stringify(setting)).not.toContain("s3cr3t");
  });
});
