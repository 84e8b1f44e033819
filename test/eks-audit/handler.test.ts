import { describe, expect, it } from "vitest";
import { eksAuditHandler } from "../../shared/eks-audit/handler";
import { controlMessage, subscriptionEvent } from "./support";

const context = {
  functionName: "vigil-eks-audit",
  functionVersion: "$LATEST",
  memoryLimitInMB: "512",
  invokedFunctionArn: "arn:aws:lambda:us-east-1:111122223333:function:vigil-eks-audit",
  awsRequestId: "3c6b3a0e-7d0f-4b52-9a9e-1f0b2c3d4e5f",
  getRemainingTimeInMillis: () => 120_000,
} as unknown as Parameters<ReturnType<typeof eksAuditHandler>>[1];

describe("the eks-audit Lambda handler", () => {
  it("returns (does not throw, so Lambda does not retry) for a payload it can't decode, without opening a store", async () => {
    const handler = eksAuditHandler("eks-audit");
    await expect(handler({ awslogs: { data: "not base64!" } }, context)).resolves.toMatchObject({
      outcome: "invalid",
      reason: "awslogs.data is not base64",
    });
    await expect(handler({ Records: [] }, context)).resolves.toMatchObject({ outcome: "invalid" });
  });

  it("ignores CloudWatch Logs' CONTROL_MESSAGE", async () => {
    const handler = eksAuditHandler("eks-audit");
    await expect(handler(subscriptionEvent(controlMessage()), context)).resolves.toMatchObject({
      outcome: "ignored",
      reason: "CloudWatch Logs control message",
    });
  });
});
