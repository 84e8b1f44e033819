import { describe, expect, it } from "vitest";
import { undoExemptionTags } from "../../shared/exemptions/undo-tags";

describe("undoExemptionTags", () => {
  it("writes the checks and a reason on an untagged resource", () => {
    expect(undoExemptionTags({}, ["ECR.1"], "vigil:exempt")).toEqual({
      tags: { "vigil:exempt": "ECR.1", "vigil:exempt-reason": "restored with vigil undo" },
      summary: "tagged vigil:exempt=ECR.1",
    });
  });

  it("adds to the ids already there (comma or space separated), once each, and keeps the reason", () => {
    const current = { "vigil:exempt": "EC2.18, EC2.13", "vigil:exempt-reason": "SEC-1422" };
    expect(undoExemptionTags(current, ["EC2.13", "EC2.19"], "vigil:exempt").tags).toEqual({
      "vigil:exempt": "EC2.18 EC2.13 EC2.19",
    });
  });

  it("leaves `*` alone and says when the exemption expires", () => {
    const current = { "vigil:exempt": "*", "vigil:exempt-until": "2026-12-31" };
    expect(undoExemptionTags(current, ["ECS.5"], "vigil:exempt")).toEqual({
      tags: { "vigil:exempt": "*", "vigil:exempt-reason": "restored with vigil undo" },
      summary: "tagged vigil:exempt=* (until 2026-12-31, as its vigil:exempt-until tag says)",
    });
  });
});
