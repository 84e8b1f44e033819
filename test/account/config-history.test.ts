import { ConfigServiceClient, GetResourceConfigHistoryCommand } from "@aws-sdk/client-config-service";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { configurationBefore } from "../../shared/resources/account-public-access-block/history";
import { ACCOUNT, REGION, awsError } from "./support";

const client = new ConfigServiceClient({ region: REGION });
const config = mockClient(client);
afterEach(() => config.reset());

const item = (status: string, configuration: unknown) => ({
  configurationItems: [
    {
      configurationItemStatus: status as "OK",
      configurationItemCaptureTime: new Date("2025-03-01T00:00:00Z"),
      configuration: typeof configuration === "string" ? configuration : JSON.stringify(configuration),
    },
  ],
});
const before = () => configurationBefore(client, ACCOUNT, "2025-03-17T10:14:22Z");

describe("the account's Block Public Access configuration before a change (AWS Config history)", () => {
  it("reads Config's camelCase item; a flag it leaves out was off", async () => {
    config
      .on(GetResourceConfigHistoryCommand)
      .resolves(item("OK", { blockPublicAcls: true, blockPublicPolicy: true }));
    expect(await before()).toEqual({
      known: true,
      capturedAt: "2025-03-01T00:00:00.000Z",
      configuration: {
        BlockPublicAcls: true,
        IgnorePublicAcls: false,
        BlockPublicPolicy: true,
        RestrictPublicBuckets: false,
      },
    });
  });

  it("deleted before: known to be no configuration", async () => {
    config.on(GetResourceConfigHistoryCommand).resolves(item("ResourceDeleted", "null"));
    expect(await before()).toMatchObject({ known: true, configuration: null });
  });

  it.each([
    ["no earlier item", { configurationItems: [] }, "AWS Config has no earlier configuration item"],
    ["not recorded", item("ResourceNotRecorded", ""), "AWS Config does not record this setting"],
    ["an unreadable item", item("OK", "{not json"), "AWS Config's earlier configuration item is unreadable"],
    [
      "flags that are no booleans",
      item("OK", { blockPublicAcls: "yes" }),
      "AWS Config's earlier configuration item is unreadable",
    ],
  ])("%s: unknown", async (_, answer, reason) => {
    config.on(GetResourceConfigHistoryCommand).resolves(answer);
    expect(await before()).toEqual({ known: false, reason });
  });

  it("any error (no access, throttled) is unknown, never a failed remediation", async () => {
    config.on(GetResourceConfigHistoryCommand).rejects(awsError("AccessDeniedException"));
    expect(await before()).toEqual({
      known: false,
      reason: "AWS Config history unavailable (AccessDeniedException)",
    });
  });
});
