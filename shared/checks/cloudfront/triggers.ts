import type { CheckTriggers } from "../define";

/**
 * CloudFront is a global service: its CloudTrail events are delivered only in us-east-1
 * (`awsRegion: "us-east-1"`), so these rules must run there.
 */
export const distributionTriggers: CheckTriggers = {
  cloudTrail: [
    {
      eventSource: "cloudfront.amazonaws.com",
      eventNames: [
        "CreateDistribution",
        "CreateDistributionWithTags",
        "UpdateDistribution",
        "CopyDistribution",
        "UpdateDistributionWithStagingConfig",
        "DeleteDistribution",
      ],
    },
  ],
  config: ["AWS::CloudFront::Distribution"],
};

/** Reads the distribution adapter makes: its tags (exemptions) and, when an event was cut, its config. */
export const distributionReadActions = ["cloudfront:ListTagsForResource", "cloudfront:GetDistributionConfig"];
