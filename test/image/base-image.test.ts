import { describe, expect, it } from "vitest";
import {
  acceptsEveryTag,
  couldMatchWithPrefix,
  matchesPattern,
  normaliseImageReference,
} from "../../shared/checks/image/base-image";
import { judgeBase } from "../../shared/checks/image/minimal-base";
import { parseConfig } from "../../shared/config/load";
import { platform } from "./states";

describe("base image references", () => {
  it.each([
    ["node:18-alpine", "docker.io/library/node:18-alpine"],
    ["node", "docker.io/library/node:latest"],
    ["docker.io/library/node:18-alpine", "docker.io/library/node:18-alpine"],
    ["index.docker.io/library/alpine:3.20", "docker.io/library/alpine:3.20"],
    ["registry-1.docker.io/bitnami/redis:7.2", "docker.io/bitnami/redis:7.2"],
    ["bitnami/redis", "docker.io/bitnami/redis:latest"],
    ["gcr.io/distroless/nodejs18-debian12:nonroot", "gcr.io/distroless/nodejs18-debian12:nonroot"],
    ["cgr.dev/chainguard/node", "cgr.dev/chainguard/node:latest"],
    ["localhost:5000/base/app:1", "localhost:5000/base/app:1"],
    ["Public.ECR.aws/docker/library/node:20-slim", "public.ecr.aws/docker/library/node:20-slim"],
    [`node:18-alpine@sha256:${"a".repeat(64)}`, `docker.io/library/node:18-alpine@sha256:${"a".repeat(64)}`],
    [`alpine@sha256:${"b".repeat(64)}`, `docker.io/library/alpine@sha256:${"b".repeat(64)}`],
    ["scratch", "scratch"],
    ["  node:20-alpine  ", "docker.io/library/node:20-alpine"],
  ])("%s -> %s", (reference, normalised) => {
    expect(normaliseImageReference(reference)).toBe(normalised);
  });

  it.each([
    "",
    "Node:18",
    "node:",
    "https://example.com/x",
    "a b",
    "node@sha256:short",
    "node:18@sha256:x@y",
  ])("%j is not a reference", (reference) => {
    expect(normaliseImageReference(reference)).toBeUndefined();
  });

  it("the default approved patterns accept alpine, distroless, chainguard and scratch, not full distributions", () => {
    const { approvedBaseImages } = parseConfig({}).containers.images;
    const approved = (ref: string) =>
      approvedBaseImages.some((p) => matchesPattern(normaliseImageReference(ref) ?? "", p));
    for (const ok of [
      "node:18-alpine",
      "alpine:3.20",
      "python:3.12-alpine3.20",
      "gcr.io/distroless/static",
      "cgr.dev/chainguard/node",
      "scratch",
    ])
      expect([ok, approved(ok)]).toEqual([ok, true]);
    for (const no of [
      "node:18",
      "ubuntu:24.04",
      "python:3.12-slim",
      "evil.example.com/library/alpine:3",
      "docker.io/someone/alpine:3",
    ])
      expect([no, approved(no)]).toEqual([no, false]);
  });

  it("`*` spans any run of characters; other characters are literal", () => {
    expect(matchesPattern("docker.io/library/node:18-alpine", "docker.io/library/*:*-alpine*")).toBe(true);
    expect(matchesPattern("dockerXio/library/node:18-alpine", "docker.io/library/*")).toBe(false);
    expect(matchesPattern("docker.io/library/node:18", "docker.io/library/node:18*")).toBe(true);
    expect(matchesPattern("prefix-docker.io/library/node:18", "docker.io/library/node:18")).toBe(false);
  });

  it("a pattern accepts every tag only when a `*` stands where the tag goes", () => {
    expect(acceptsEveryTag("docker.io/library/alpine", "docker.io/library/alpine:*")).toBe(true);
    expect(acceptsEveryTag("gcr.io/distroless/static", "gcr.io/distroless/*")).toBe(true);
    expect(acceptsEveryTag("docker.io/library/alpine", "docker.io/library/alpine:3*")).toBe(false);
    expect(acceptsEveryTag("docker.io/library/node", "docker.io/library/*:*-alpine*")).toBe(false);
  });

  it("a prefix could match a pattern when their literal parts agree up to the first `*`", () => {
    expect(couldMatchWithPrefix("docker.io/library/node:", "docker.io/library/*:*-alpine*")).toBe(true);
    expect(couldMatchWithPrefix("docker.io/library/alpine:", "docker.io/library/alpine:3.20")).toBe(true);
    expect(couldMatchWithPrefix("docker.io/library/alpinex:", "docker.io/library/alpine:*")).toBe(false);
    expect(couldMatchWithPrefix("docker.io/library/node:", "gcr.io/distroless/*")).toBe(false);
    expect(couldMatchWithPrefix("docker.io/library/node:", "scratch")).toBe(false);
  });
});

describe("judging a declared base against the approved patterns", () => {
  const { approvedBaseImages } = parseConfig({}).containers.images;
  const digest = `sha256:${"c".repeat(64)}`;
  const judge = (name: string, patterns: readonly string[] = approvedBaseImages) =>
    judgeBase(platform({ baseImage: { name, source: "manifest annotation" } }), patterns).approved;

  it("a base pinned by digest keeps its tag for the patterns", () => {
    expect(judge(`alpine:3.20@${digest}`)).toBe(true);
    expect(judge(`node:20-alpine@${digest}`)).toBe(true);
    expect(judge(`alpine:3.20@${digest}`, ["docker.io/library/alpine:3.20"])).toBe(true);
    expect(judge(`node:20@${digest}`)).toBe(false);
  });

  it("a digest-only pin is approved when every tag of its repository is, unknown when only some are", () => {
    expect(judge(`alpine@${digest}`)).toBe(true);
    expect(judge(`gcr.io/distroless/static@${digest}`)).toBe(true);
    // node:20-alpine would be approved, node:20 not: the tag the digest came from is not known.
    expect(judge(`node@${digest}`)).toBe("unknown");
    expect(judge(`node@${digest}`, ["gcr.io/distroless/*"])).toBe(false);
  });

  it("an undeclared or malformed base is unknown, with a note saying which", () => {
    expect(judgeBase(platform({ baseImage: undefined }), approvedBaseImages).note).toMatch(
      /declares no base/,
    );
    expect(
      judgeBase(platform({ baseImage: { name: "not a ref", source: "config label" } }), approvedBaseImages),
    ).toEqual({ approved: "unknown", note: "the declared base is not an image reference: base not judged" });
  });
});
