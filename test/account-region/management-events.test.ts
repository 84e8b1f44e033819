import { describe, expect, it } from "vitest";
import { managementEventsOf } from "../../shared/resources/account-region/management-events";

const mgmt = { Field: "eventCategory", Equals: ["Management"] };

describe("management events a trail's selectors record", () => {
  it.each([
    ["the default basic selector", [{ ReadWriteType: "All" as const, IncludeManagementEvents: true }], "all"],
    ["defaults left out", [{}], "all"],
    ["write only", [{ ReadWriteType: "WriteOnly" as const }], "write-only"],
    ["read only", [{ ReadWriteType: "ReadOnly" as const }], "read-only"],
    [
      "read and write in two selectors",
      [{ ReadWriteType: "ReadOnly" as const }, { ReadWriteType: "WriteOnly" as const }],
      "all",
    ],
    ["data events only", [{ IncludeManagementEvents: false, ReadWriteType: "All" as const }], "none"],
    ["no selectors", [], "none"],
  ])("basic: %s", (_name, selectors, expected) => {
    expect(managementEventsOf(selectors, undefined)).toBe(expected);
  });

  it.each([
    ["management, no readOnly filter", [{ FieldSelectors: [mgmt] }], "all"],
    [
      "management minus KMS events (still management events)",
      [{ FieldSelectors: [mgmt, { Field: "eventSource", NotEquals: ["kms.amazonaws.com"] }] }],
      "all",
    ],
    ["readOnly true", [{ FieldSelectors: [mgmt, { Field: "readOnly", Equals: ["true"] }] }], "read-only"],
    ["readOnly false", [{ FieldSelectors: [mgmt, { Field: "readOnly", Equals: ["false"] }] }], "write-only"],
    [
      "readOnly true and false in two selectors",
      [
        { FieldSelectors: [mgmt, { Field: "readOnly", Equals: ["true"] }] },
        { FieldSelectors: [mgmt, { Field: "readOnly", Equals: ["false"] }] },
      ],
      "all",
    ],
    [
      "data events only",
      [
        {
          FieldSelectors: [
            { Field: "eventCategory", Equals: ["Data"] },
            { Field: "resources.type", Equals: ["AWS::S3::Object"] },
          ],
        },
      ],
      "none",
    ],
    [
      "a field this reading doesn't know",
      [{ FieldSelectors: [mgmt, { Field: "readOnly", StartsWith: ["t"] }] }],
      "unknown",
    ],
  ])("advanced: %s", (_name, selectors, expected) => {
    expect(managementEventsOf(undefined, selectors)).toBe(expected);
  });
});
