import { describe, expect, it } from "vitest";
import {
  ANY_ACCOUNT_LITERAL,
  ANY_RESOURCE,
  EVERYWHERE,
  actionPatternCoversAll,
  actionPatternCoversService,
  patternCoversType,
  servicesCoveredBy,
} from "../../shared/policy/probes";
import { IAM_ROLE, KMS_KEY } from "../../shared/policy/resource-types";

describe("patternCoversType", () => {
  it.each([
    ["*", true],
    ["arn:aws:iam::*:role/*", true],
    ["arn:aws:iam::111122223333:role/*", true],
    ["arn:aws:iam::111122223333:*", true],
    ["arn:aws:iam::*", true],
    ["arn:*:iam::*:role/*", true],
    ["arn:aws-cn:iam::111122223333:role/*", true],
    ["arn:aws:iam::111122223333:role/?*", true],
    ["arn:aws:iam::111122223333:role/admin*", false],
    ["arn:aws:iam::111122223333:role/app/*", false],
    ["arn:aws:iam::111122223333:role/??*", false],
    ["arn:aws:iam::111122223333:role/${aws:username}", false],
    ["arn:aws:iam::111122223333:user/*", false],
    ["arn:aws:iam::1111*:role/*", false],
  ])("every role (own account counts): %s -> %s", (pattern, expected) => {
    expect(patternCoversType(pattern, IAM_ROLE, ANY_ACCOUNT_LITERAL)).toBe(expected);
  });

  it.each([
    ["*", true],
    ["arn:aws:kms:*:*:key/*", true],
    ["arn:aws:kms:*:*:*", true],
    ["arn:aws:kms:*", true],
    ["arn:aws:kms:*:111122223333:key/*", false],
    ["arn:aws:kms:us-east-1:*:key/*", false],
    ["arn:aws:kms:us-east-1:111122223333:key/*", false],
    ["arn:aws:kms:*:*:alias/*", false],
    ["arn:aws:kms:*:????????????:key/*", true],
  ])("every KMS key everywhere: %s -> %s", (pattern, expected) => {
    expect(patternCoversType(pattern, KMS_KEY, EVERYWHERE)).toBe(expected);
  });

  it.each([
    ["*", true],
    ["arn:*", true],
    ["arn:aws:*", true],
    ["arn:aws:*:*:*:*", true],
    ["arn:aws:s3:::*", false],
    ["arn:aws:*:*:111122223333:*", false],
  ])("any resource: %s -> %s", (pattern, expected) => {
    expect(patternCoversType(pattern, ANY_RESOURCE, EVERYWHERE)).toBe(expected);
  });
});

describe("action coverage", () => {
  it.each([
    ["*", true],
    ["*:*", true],
    ["?*:*", true],
    ["**", true],
    ["s3:*", false],
    ["*:Get*", false],
  ])("every action: %s -> %s", (pattern, expected) => {
    expect(actionPatternCoversAll(pattern)).toBe(expected);
  });

  it.each([
    ["ec2:*", "ec2", true],
    ["EC2:*", "ec2", true],
    ["ec2:?*", "ec2", true],
    ["e*", "ec2", true],
    ["ec2:Describe*", "ec2", false],
    ["ec2:*", "ecr", false],
  ])("every action of a service: %s on %s -> %s", (pattern, service, expected) => {
    expect(actionPatternCoversService(pattern, service)).toBe(expected);
  });

  it.each([
    ["ec2:*", "ec2"],
    ["EC2:*", "ec2"],
    ["*", "*"],
    ["*:*", "*"],
    ["e*:*", "e*"],
    ["s3*", "s3*"],
    ["s3:?*", "s3"],
    ["ec2:Describe*", undefined],
    ["*:Get*", undefined],
    ["s3:GetObject", undefined],
    ["s3", undefined],
  ])("services wholly covered by %s -> %s", (pattern, expected) => {
    expect(servicesCoveredBy(pattern)).toBe(expected);
  });
});
