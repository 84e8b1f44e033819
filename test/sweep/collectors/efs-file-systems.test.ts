import {
  DescribeFileSystemsCommand,
  EFSClient,
  type DescribeFileSystemsCommandInput,
  type DescribeFileSystemsCommandOutput,
  type FileSystemDescription,
} from "@aws-sdk/client-efs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import adapter from "../../../shared/resources/efs-file-system/adapter";
import defaultCollector, { efsFileSystemsCollector } from "../../../shared/sweep/collectors/efs-file-systems";
import {
  collectAll,
  collectContext,
  configItemOf,
  credentials,
  pagedAnswers,
  REGION,
  verdicts,
  violated,
} from "./data-context";

const efs = new EFSClient({ region: REGION, credentials });
const mock = mockClient(efs);
afterEach(() => mock.reset());

function fileSystem(id: string, encrypted: boolean, name?: string): FileSystemDescription {
  return {
    FileSystemId: id,
    FileSystemArn: `arn:aws:elasticfilesystem:us-east-1:111122223333:file-system/${id}`,
    Encrypted: encrypted,
    ...(encrypted
      ? { KmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab" }
      : {}),
    Tags: name ? [{ Key: "Name", Value: name }] : [],
    OwnerId: "111122223333",
    CreationToken: id,
    CreationTime: new Date("2024-01-01T00:00:00Z"),
    LifeCycleState: "available",
    NumberOfMountTargets: 0,
    SizeInBytes: { Value: 0 },
    PerformanceMode: "generalPurpose",
  };
}

describe("EFS file systems collector", () => {
  it("pages DescribeFileSystems and yields every file system once, whole, with its tags", async () => {
    const pages = pagedAnswers<DescribeFileSystemsCommandInput, DescribeFileSystemsCommandOutput>("Marker", {
      "": { FileSystems: [fileSystem("fs-0b7e4c2a9d1f36580", false, "media-scratch")], NextMarker: "m2" },
      m2: { FileSystems: [fileSystem("fs-0a1b2c3d4e5f67890", true)] },
    });
    mock.on(DescribeFileSystemsCommand).callsFake(pages.answer);
    const found = await collectAll(efsFileSystemsCollector(1), collectContext({ efs }));

    expect(pages.seen).toEqual([{ MaxItems: 1 }, { MaxItems: 1, Marker: "m2" }]);
    expect(found.map((o) => o.resource.id)).toEqual(["fs-0b7e4c2a9d1f36580", "fs-0a1b2c3d4e5f67890"]);
    expect(found.every((o) => o.complete && o.tagsKnown)).toBe(true);
    expect(found[0]?.state?.tags).toEqual({ Name: "media-scratch" });
    expect(found.map(violated)).toEqual([["EFS.1", "EFS.8"], []]);
  });

  it("judges a file system as its Config item is judged", async () => {
    mock
      .on(DescribeFileSystemsCommand)
      .resolves({ FileSystems: [fileSystem("fs-0b7e4c2a9d1f36580", false, "media-scratch")] });
    const [swept] = await collectAll(defaultCollector, collectContext({ efs }));
    const fromConfig = adapter.fromConfigItem(configItemOf("efs/config-item-file-system-unencrypted.json"));

    expect(swept?.resource).toEqual(fromConfig.resource);
    expect(swept?.state).toEqual(fromConfig.state);
    expect(violated(fromConfig)).toEqual(["EFS.1", "EFS.8"]);
    expect(verdicts(swept!)).toEqual(verdicts(fromConfig));
    expect(defaultCollector.iamActions).toEqual(["elasticfilesystem:DescribeFileSystems"]);
  });
});
