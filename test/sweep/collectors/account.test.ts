import { afterAll, beforeAll, describe, expect, it } from "vitest";
import collector from "../../../shared/sweep/collectors/account";
import { collectAll, collectContext, violated } from "./data-context";
import { fromSampleEvent, startLocalIam, type LocalIam } from "./iam-local";

describe("account collector (root access keys, local IAM endpoint)", () => {
  let local: LocalIam;
  beforeAll(async () => {
    local = await startLocalIam();
  });
  afterAll(() => local.close());

  it("one observation from GetAccountSummary: no root key passes, whole", async () => {
    local.grants.rootAccessKeys = 0;
    const [only, ...rest] = await collectAll(collector, collectContext({ iam: local.iam }));
    expect(rest).toEqual([]);
    expect(only?.resource.id).toBe("111122223333");
    expect(only?.resource.region).toBe("global");
    expect(only?.state?.rootAccessKeys).toEqual({ present: false, source: "GetAccountSummary" });
    expect(only?.complete).toBe(true);
    expect(violated(only!)).toEqual([]);
    expect(local.calls("GetAccountSummary")).toHaveLength(1);
  });

  it("parity: a root key gives IAM.4, as the CreateAccessKey-root event does", async () => {
    local.grants.rootAccessKeys = 1;
    const [swept] = await collectAll(collector, collectContext({ iam: local.iam }));
    const [event] = fromSampleEvent("AWS::::Account", "iam/CreateAccessKey-root.json");
    // The event also shows root activity (event-only: the sweep leaves that check undecided).
    expect(violated(event!)).toContain("IAM.4");
    expect(violated(swept!)).toEqual(["IAM.4"]);
    expect(collector.iamActions).toEqual(["iam:GetAccountSummary"]);
  });
});
