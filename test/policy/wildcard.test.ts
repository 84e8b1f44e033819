import { describe, expect, it } from "vitest";
import { actionMatches, hasWildcard, resourceMatches } from "../../shared/policy";

describe("actionMatches", () => {
  it.each([
    ["s3:Get*", "s3:GetObject", true],
    ["s3:Get*", "s3:PutObject", false],
    ["s3:Get*", "s3express:GetObject", false],
    ["iam:*", "iam:PassRole", true],
    ["iam:*", "sts:AssumeRole", false],
    ["*", "kms:Decrypt", true],
    ["*:*", "kms:Decrypt", true],
    ["ec2:Describe?nstances", "ec2:DescribeInstances", true],
    ["ec2:Describe?nstances", "ec2:DescribeXXnstances", false],
    ["IAM:passrole", "iam:PassRole", true],
    ["iam:PassRole", "IAM:PASSROLE", true],
    ["iam:Put*Policy", "iam:PutUserPolicy", true],
    ["iam:Put*Policy", "iam:PutUserPolicyX", false],
    ["s3*", "s3:GetObject", true],
    ["kms:Decrypt", "kms:DecryptX", false],
    ["", "", true],
    ["", "s3:GetObject", false],
  ])("%s vs %s -> %s", (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });
});

describe("resourceMatches (segment-aware ARN wildcards)", () => {
  it.each([
    ["*", "arn:aws:s3:::bucket/key", true],
    ["arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/a/b/c.txt", true],
    ["arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket2/a", false],
    ["arn:aws:iam::*:role/*", "arn:aws:iam::111122223333:role/path/admin", true],
    [
      "arn:aws:kms:*:*:key/*",
      "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      true,
    ],
    ["arn:aws:kms:*:*:key/*", "arn:aws:kms:eu-west-1:111122223333:alias/x", false],
    // A `*` at the end of a segment expands across colons ...
    ["arn:aws:iam::*", "arn:aws:iam::111122223333:role/x", true],
    [
      "arn:aws:logs:us-east-1:111122223333:log-group:app*",
      "arn:aws:logs:us-east-1:111122223333:log-group:app:log-stream:x",
      true,
    ],
    // ... a `*` inside a segment does not.
    ["arn:aws:logs:us-*-1:111122223333:*", "arn:aws:logs:us-east-1:111122223333:x", true],
    ["arn:aws:s3:::a*b", "arn:aws:s3:::a:xb", false],
    ["arn:aws:s3:::a?b", "arn:aws:s3:::a:b", false],
    ["arn:aws:s3:::a?b", "arn:aws:s3:::axb", true],
    // Case-sensitive.
    ["arn:aws:iam::111122223333:user/Bob", "arn:aws:iam::111122223333:user/bob", false],
    // Policy variables stand for unknown request values: they match nothing; ${*} ${?} ${$} are literals.
    ["arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::111122223333:user/bob", false],
    ["arn:aws:iam::*:user/${aws:username}", "arn:aws:iam::111122223333:user/${aws:username}", false],
    ["arn:aws:s3:::b/${*}", "arn:aws:s3:::b/*", true],
    ["arn:aws:s3:::b/${*}", "arn:aws:s3:::b/x", false],
    ["arn:aws:s3:::b/${?}${$}", "arn:aws:s3:::b/?$", true],
  ])("%s vs %s -> %s", (pattern, resource, expected) => {
    expect(resourceMatches(pattern, resource)).toBe(expected);
  });
});

describe("hasWildcard", () => {
  it.each([
    ["s3:GetObject", false],
    ["s3:Get*", true],
    ["ec2:Describe?nstances", true],
    ["arn:aws:s3:::b/${*}", false],
    ["arn:aws:s3:::b/${*}*", true],
  ])("%s -> %s", (pattern, expected) => {
    expect(hasWildcard(pattern)).toBe(expected);
  });
});
